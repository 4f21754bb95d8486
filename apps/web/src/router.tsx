import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  type RouterHistory,
  redirect,
} from '@tanstack/react-router';
import { AppShell } from './components/AppShell';
import { ErrorView } from './components/ErrorView';
import { NotFound } from './components/NotFound';
import { PendingView } from './components/PendingView';
import { LoginPage } from './features/auth/LoginPage';
import { meQueryOptions } from './features/auth/queries';
import { BssPage } from './features/bss/BssPage';
import { MarketplacePage } from './features/marketplace/MarketplacePage';
import { RedeemPage } from './features/redeem/RedeemPage';
import { SovereignPage } from './features/sovereign/SovereignPage';
import { safeRedirect } from './lib/redirect';
import { optionalString, parseSearch, stringifySearch } from './lib/search';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppShell,
  notFoundComponent: NotFound,
  errorComponent: ErrorView,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/sovereign/', replace: true });
  },
});

/** Pathless layout: everything below needs a session; without one, go to /login and come back after. */
const authenticatedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'authenticated',
  beforeLoad: async ({ context, location }) => {
    const user = await context.queryClient.ensureQueryData(meQueryOptions);
    if (!user) {
      throw redirect({ to: '/login', search: { redirect: location.href }, replace: true });
    }
    return { user };
  },
});

const sovereignRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'sovereign',
  component: SovereignPage,
});

const bssRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'bss',
  component: BssPage,
});

const marketplaceRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'marketplace',
  component: MarketplacePage,
});

export interface RedeemSearch {
  code?: string;
}

const redeemRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'redeem',
  validateSearch: (search: Record<string, unknown>): RedeemSearch => ({ code: optionalString(search.code) }),
  component: RedeemPage,
});

export interface LoginSearch {
  redirect?: string;
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    redirect: optionalString(search.redirect),
  }),
  beforeLoad: async ({ context, search }) => {
    // Already signed in: go straight on. If the api cannot be reached, show the form anyway.
    const user = await context.queryClient.ensureQueryData(meQueryOptions).catch(() => null);
    if (user) throw redirect({ href: safeRedirect(search.redirect), replace: true });
  },
  component: LoginPage,
});

export const routeTree = rootRoute.addChildren([
  indexRoute,
  authenticatedRoute.addChildren([sovereignRoute, bssRoute]),
  marketplaceRoute,
  redeemRoute,
  loginRoute,
]);

export function createAppRouter(queryClient: QueryClient, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context: { queryClient },
    history,
    // `/sovereign/` and `/sovereign` are the same page; links keep the slash they are written with.
    trailingSlash: 'preserve',
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    // Route data lives in React Query; the router should always ask it.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PendingView,
    defaultErrorComponent: ErrorView,
    defaultNotFoundComponent: NotFound,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
