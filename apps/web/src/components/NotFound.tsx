import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <section className="page page--narrow">
      <div className="card card--center">
        <p className="eyebrow">404</p>
        <h1>Page not found</h1>
        <p className="muted">There is nothing at this address. It may have moved, or the link is mistyped.</p>
        {/* `/` leads where the signed-in role starts (a Sovereign has no wizard to send anyone to). */}
        <Link to="/" className="button">
          Go to the start page
        </Link>
      </div>
    </section>
  );
}
