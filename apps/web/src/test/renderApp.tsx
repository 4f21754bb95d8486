import { QueryClient } from '@tanstack/react-query';
import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { App } from '../App';
import { createAppRouter } from '../router';

/** Renders the whole app (router, guards, header) at `path`, with no retries so failures surface at once. */
export function renderApp(path: string) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: 30_000 }, mutations: { retry: false } },
  });
  const history = createMemoryHistory({ initialEntries: [path] });
  const router = createAppRouter(queryClient, history);
  const result = render(<App queryClient={queryClient} router={router} />);
  return { ...result, router, queryClient, history };
}
