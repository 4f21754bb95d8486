import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  notFound,
  type ParsedLocation,
  type RouterHistory,
  redirect,
} from '@tanstack/react-router';
import { AppShell } from './components/AppShell';
import { ErrorView } from './components/ErrorView';
import { NotFound } from './components/NotFound';
import { PendingView } from './components/PendingView';
import { LoginPage } from './features/auth/LoginPage';
import { meQueryOptions } from './features/auth/queries';
import { BssOverview, BssPage } from './features/bss/BssPage';
import { OrdersPage } from './features/bss/OrdersPage';
import { SettingsPage } from './features/bss/SettingsPage';
import { TenantsPage } from './features/bss/TenantsPage';
import { VouchersPage } from './features/bss/VouchersPage';
import { AppDetailPage } from './features/console/AppDetailPage';
import { AppsPage } from './features/console/AppsPage';
import { BillingPage } from './features/console/BillingPage';
import { ConsoleLayout } from './features/console/ConsoleLayout';
import { DashboardPage } from './features/console/DashboardPage';
import { DomainsPage } from './features/console/DomainsPage';
import { JobsPage } from './features/console/JobsPage';
import { ConsoleSettingsPage } from './features/console/SettingsPage';
import { TeamPage } from './features/console/TeamPage';
import { MarketplacePage } from './features/marketplace/MarketplacePage';
import { metaQueryOptions } from './features/meta/queries';
import { RedeemPage } from './features/redeem/RedeemPage';
import { ProvisionPage } from './features/sovereign/ProvisionPage';
import { SovereignPage } from './features/sovereign/SovereignPage';
import { TokensPage } from './features/tokens/TokensPage';
import { safeRedirect } from './lib/redirect';
import { landingPath } from './lib/roles';
import { optionalString, parseSearch, stringifySearch } from './lib/search';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: AppShell,
  notFoundComponent: NotFound,
  errorComponent: ErrorView,
});

/** `/` and a sign-in without a destination: each role's start page (lib/roles.ts `landingPath`). */
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    const [user, meta] = await Promise.all([
      context.queryClient.ensureQueryData(meQueryOptions),
      context.queryClient.ensureQueryData(metaQueryOptions),
    ]);
    if (!user) throw redirect({ to: '/login', replace: true });
    throw redirect({ to: landingPath(user, meta.mode), replace: true });
  },
});

/** Without a session, go to /login and come back after. */
async function requireSession({ context, location }: { context: RouterContext; location: ParsedLocation }) {
  const user = await context.queryClient.ensureQueryData(meQueryOptions);
  if (!user) {
    throw redirect({ to: '/login', search: { redirect: location.href }, replace: true });
  }
  return { user };
}

/** Pathless layout: everything below needs a session. */
const authenticatedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'authenticated',
  beforeLoad: requireSession,
});

/**
 * Pathless layout of the wizard and its runs: a mothership's only. On a Sovereign they do not exist,
 * for anyone, signed in or not: the not-found page (the api refuses POST /api/v1/deployments too).
 */
const mothershipRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'mothership',
  beforeLoad: async (options) => {
    const { mode } = await options.context.queryClient.ensureQueryData(metaQueryOptions);
    if (mode !== 'mothership') throw notFound();
    return requireSession(options);
  },
});

const sovereignRoute = createRoute({
  getParentRoute: () => mothershipRoute,
  path: 'sovereign',
  component: SovereignPage,
});

const sovereignProvisionRoute = createRoute({
  getParentRoute: () => mothershipRoute,
  path: 'sovereign/provision/$id',
  component: ProvisionPage,
});

/** The BSS area; the layout shows a "needs the sovereign-admin role" message to anyone else. */
const bssRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'bss',
  component: BssPage,
});

const bssIndexRoute = createRoute({
  getParentRoute: () => bssRoute,
  path: '/',
  component: BssOverview,
});

const bssVouchersRoute = createRoute({
  getParentRoute: () => bssRoute,
  path: 'vouchers',
  component: VouchersPage,
});

const bssTenantsRoute = createRoute({
  getParentRoute: () => bssRoute,
  path: 'tenants',
  component: TenantsPage,
});

const bssOrdersRoute = createRoute({
  getParentRoute: () => bssRoute,
  path: 'orders',
  component: OrdersPage,
});

const bssSettingsRoute = createRoute({
  getParentRoute: () => bssRoute,
  path: 'settings',
  component: SettingsPage,
});

export interface ConsoleSearch {
  /** The deployment the Apps and Jobs pages show; the most recent one without it. */
  deployment?: string;
}

/** The Sovereign console; the layout shows a role message to anyone but sovereign-admins and superadmins. */
const consoleRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'console',
  validateSearch: (search: Record<string, unknown>): ConsoleSearch => ({
    deployment: optionalString(search.deployment),
  }),
  component: ConsoleLayout,
});

const consoleIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/',
  component: DashboardPage,
});

const consoleAppsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'apps',
  component: AppsPage,
});

const consoleAppRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'apps/$id',
  component: AppDetailPage,
});

const consoleJobsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'jobs',
  component: JobsPage,
});

const consoleDomainsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'domains',
  component: DomainsPage,
});

const consoleBillingRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'billing',
  component: BillingPage,
});

const consoleTeamRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'team',
  component: TeamPage,
});

const consoleSettingsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: 'settings',
  component: ConsoleSettingsPage,
});

export interface MarketplaceSearch {
  /** The organisation to show, when the user has more than one. */
  org?: string;
}

const marketplaceRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'marketplace',
  validateSearch: (search: Record<string, unknown>): MarketplaceSearch => ({
    org: optionalString(search.org),
  }),
  component: MarketplacePage,
});

/** Personal access tokens for agents: every signed-in user, tenant or admin, manages their own. */
const tokensRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: 'tokens',
  component: TokensPage,
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
  mothershipRoute.addChildren([sovereignRoute, sovereignProvisionRoute]),
  authenticatedRoute.addChildren([
    bssRoute.addChildren([
      bssIndexRoute,
      bssVouchersRoute,
      bssTenantsRoute,
      bssOrdersRoute,
      bssSettingsRoute,
    ]),
    marketplaceRoute,
    tokensRoute,
    consoleRoute.addChildren([
      consoleIndexRoute,
      consoleAppsRoute,
      consoleAppRoute,
      consoleJobsRoute,
      consoleDomainsRoute,
      consoleBillingRoute,
      consoleTeamRoute,
      consoleSettingsRoute,
    ]),
  ]),
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
