/**
 * Where a page says that an action worked ("Invitation sent to …"). The live region is always there, so a screen
 * reader hears the message when it appears, not only the next time the page renders.
 */
export function SuccessNotice({ notice }: { notice: string | null | undefined }) {
  return (
    <div aria-live="polite">
      {notice && (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      )}
    </div>
  );
}
