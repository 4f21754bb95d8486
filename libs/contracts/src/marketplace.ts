/** What tenants can buy: catalog data, served by the api (never hard-coded in screens). */
export const plans = [
  { id: 'starter', name: 'Starter (free)', priceBaisa: 0 },
  { id: 'business', name: 'Business', priceBaisa: 25_000 },
  { id: 'enterprise', name: 'Enterprise', priceBaisa: 150_000 },
] as const;

export const marketplaceApps = [
  {
    id: 'wordpress',
    name: 'WordPress',
    description: 'Websites and blogs, with themes and plugins.',
    monthlyPriceBaisa: 5_000,
  },
  {
    id: 'ghost',
    name: 'Ghost',
    description: 'Publishing and newsletters for creators.',
    monthlyPriceBaisa: 6_000,
  },
  {
    id: 'nextcloud',
    name: 'Nextcloud',
    description: 'Files, calendars and contacts your team owns.',
    monthlyPriceBaisa: 8_000,
  },
  {
    id: 'gitea',
    name: 'Gitea',
    description: 'Git hosting with code review and CI.',
    monthlyPriceBaisa: 7_000,
  },
  {
    id: 'uptime-kuma',
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
