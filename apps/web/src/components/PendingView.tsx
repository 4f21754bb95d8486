export function PendingView() {
  return (
    <div className="pending" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>Loading…</span>
    </div>
  );
}
