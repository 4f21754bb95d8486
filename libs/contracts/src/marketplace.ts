/** What tenants can buy: catalog data, served by the api (never hard-coded in screens). */
/**
 * `quota` is what one environment of an organization on the plan may use: its namespace's
 * ResourceQuota (requests and limits of CPU and memory, pods, persistent storage).
 */
export const plans = [
  {
    id: 'starter',
    name: 'Starter (free)',
    priceBaisa: 0,
    quota: { cpu: '2', memory: '4Gi', pods: 20, storage: '20Gi' },
  },
  {
    id: 'business',
    name: 'Business',
    priceBaisa: 25_000,
    quota: { cpu: '8', memory: '16Gi', pods: 60, storage: '200Gi' },
  },
  {
    id: 'enterprise',
    name: 'Enterprise',
    priceBaisa: 150_000,
    quota: { cpu: '32', memory: '64Gi', pods: 200, storage: '1Ti' },
  },
] as const;

/**
 * `chart` is the app's Blueprint chart (charts/app-<id>), installed by a Flux HelmRelease from the
 * Sovereign's chart repository; `postgres` marks the Postgres-backed bundle (its own CloudNativePG
 * cluster in the app's namespace).
 */
export const marketplaceApps = [
  {
    id: 'wordpress',
    chart: { name: 'app-wordpress', version: '1.0.0' },
    postgres: false,
    name: 'WordPress',
    description: 'Websites and blogs, with themes and plugins.',
    monthlyPriceBaisa: 5_000,
  },
  {
    id: 'ghost',
    chart: { name: 'app-ghost', version: '1.0.0' },
    postgres: false,
    name: 'Ghost',
    description: 'Publishing and newsletters for creators.',
    monthlyPriceBaisa: 6_000,
  },
  {
    id: 'nextcloud',
    chart: { name: 'app-nextcloud', version: '1.0.0' },
    postgres: true,
    name: 'Nextcloud',
    description: 'Files, calendars and contacts your team owns.',
    monthlyPriceBaisa: 8_000,
  },
  {
    id: 'gitea',
    chart: { name: 'app-gitea', version: '1.0.0' },
    postgres: true,
    name: 'Gitea',
    description: 'Git hosting with code review and CI.',
    monthlyPriceBaisa: 7_000,
  },
  {
    id: 'uptime-kuma',
    chart: { name: 'app-uptime-kuma', version: '1.0.0' },
    postgres: false,
    name: 'Uptime Kuma',
    description: 'Status pages and uptime monitoring.',
    monthlyPriceBaisa: 3_000,
  },
] as const;

export function findPlan(id: string) {
  return plans.find((p) => p.id === id);
}

export function findMarketplaceApp(id: string) {
  return marketplaceApps.find((a) => a.id === id);
}
