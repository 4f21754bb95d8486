import type { ErrorComponentProps } from '@tanstack/react-router';
import { useRouter } from '@tanstack/react-router';

export function ErrorView({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  const message = error instanceof Error ? error.message : 'An unexpected error occurred.';
  const retry = () => {
    reset();
    void router.invalidate();
  };
  return (
    <section className="page page--narrow">
      <div className="card card--center">
        <h1>Something went wrong</h1>
        <p role="alert" className="alert alert--error">
          {message}
        </p>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </div>
    </section>
  );
}
