/**
 * Valid api answers, typed by their contracts in libs/contracts, with overrides: a test states only
 * what matters to it, and a field the api would never send does not compile. Pair them with
 * `answer(schema, body)` from ./api, which also parses them at run time.
 */
import type {
  Allocation,
  AppInstall,
  BssSettings,
  BssTenant,
  CatalogApp,
  CheckoutResponse,
  CredentialsValidateResponse,
  componentSchema,
  createDeploymentResponseSchema,
  Deployment,
  Environment,
  Org,
  RedeemPreview,
  RegionSnapshot,
  SlugCheckResponse,
  SubdomainCheckResponse,
  TeamMember,
  User,
  Voucher,
  Wallet,
} from '@catalyst/contracts';
import type { Parser } from '../lib/http';

/** What a contract schema parses to: the shape of one api answer. */
export type ContractOf<S> = S extends Parser<infer T> ? T : never;

/** One instant for every timestamp, so nothing depends on the clock. */
export const NOW = '2026-01-01T10:00:00.000Z';
export const DEPLOYMENT_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

export const user = (overrides: Partial<User> = {}): User => ({
  id: '3f1c2a4e-8b7d-4c6a-9e2f-1a2b3c4d5e6f',
  email: 'ada@example.com',
  roles: ['member'],
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

export const teamMember = (overrides: Partial<TeamMember> = {}): TeamMember => ({
  ...user(),
  lastSignInAt: null,
  assignedRoles: [],
  configuredRoles: [],
  ...overrides,
});

export const deployment = (overrides: Partial<Deployment> = {}): Deployment => ({
  id: DEPLOYMENT_ID,
  fqdn: 'acme.pool.example',
  status: 'running',
  orgName: 'Acme',
  domainMode: 'pool',
  phases: [],
  regions: [regionSnapshot()],
  components: [],
  hasCloudResources: true,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

/** One region of a deployment (Hetzner fsn1 unless overridden), nothing of it done yet. */
export const regionSnapshot = (overrides: Partial<RegionSnapshot> = {}): RegionSnapshot => ({
  region: 'fsn1',
  provider: 'hetzner',
  phases: [
    { name: 'infrastructure', status: 'pending' },
    { name: 'kubeconfig', status: 'pending' },
    { name: 'bootstrap-kit', status: 'pending' },
  ],
  ...overrides,
});

type DeploymentComponent = Deployment['components'][number];
/** One bootstrap-kit release of a deployment, in its region (fsn1 unless overridden). */
export const deploymentComponent = (overrides: Partial<DeploymentComponent> = {}): DeploymentComponent => ({
  id: 'cilium',
  region: 'fsn1',
  state: 'installed',
  ...overrides,
});

type CreatedDeployment = ContractOf<typeof createDeploymentResponseSchema>;
export const createdDeployment = (overrides: Partial<CreatedDeployment> = {}): CreatedDeployment => ({
  id: DEPLOYMENT_ID,
  status: 'queued',
  fqdn: 'acme.pool.example',
  streamURL: `/api/v1/deployments/${overrides.id ?? DEPLOYMENT_ID}/logs`,
  ...overrides,
});

type KitComponent = ContractOf<typeof componentSchema>;
export const kitComponent = (overrides: Partial<KitComponent> = {}): KitComponent => ({
  id: 'cilium',
  state: 'installed',
  updatedAt: NOW,
  ...overrides,
});

export const allocation = (overrides: Partial<Allocation> = {}): Allocation => ({
  fqdn: 'acme.pool.example',
  mode: 'pool',
  state: 'active',
  createdAt: NOW,
  ...overrides,
});

export const tokenCheck = (
  overrides: Partial<CredentialsValidateResponse> = {},
): CredentialsValidateResponse => ({
  valid: true,
  status: 'valid',
  message: 'The token can read and write its project.',
  ...overrides,
});

export const subdomainCheck = (overrides: Partial<SubdomainCheckResponse> = {}): SubdomainCheckResponse => ({
  available: true,
  ...overrides,
});

export const bssSettings = (overrides: Partial<BssSettings> = {}): BssSettings => ({
  publicUrl: 'https://catalyst.example',
  marketplaceUrl: 'https://market.example',
  tenantPoolDomains: [],
  sovereignPoolDomains: ['pool.example'],
  nameservers: [],
  mailMode: 'dev-outbox',
  eventsMode: 'in-process',
  plans: [],
  ...overrides,
});

export const bssTenant = (overrides: Partial<BssTenant> = {}): BssTenant => ({
  slug: 'acme-e2e',
  name: 'Acme E2E',
  owner: 'ada@example.com',
  fqdn: 'acme-e2e.tenants.test',
  balanceBaisa: 100_000,
  balanceOmr: '100.000',
  monthlyRunRateBaisa: 0,
  monthlyRunRateOmr: '0.000',
  suspendedApps: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

export const voucher = (overrides: Partial<Voucher> = {}): Voucher => ({
  code: 'WELCOME-E2E',
  creditBaisa: 100_000,
  creditOmr: '100.000',
  description: 'Welcome credit',
  active: true,
  maxRedemptions: 1,
  timesRedeemed: 0,
  expiresAt: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  redeemUrl: `http://market.test/redeem/?code=${overrides.code ?? 'WELCOME-E2E'}`,
  ...overrides,
});

export const redeemPreview = (overrides: Partial<RedeemPreview> = {}): RedeemPreview => ({
  code: 'WELCOME-E2E',
  creditBaisa: 100_000,
  creditOmr: '100.000',
  description: 'Welcome to Catalyst',
  acceptingRedemptions: true,
  ...overrides,
});

export const slugCheck = (overrides: Partial<SlugCheckResponse> = {}): SlugCheckResponse => ({
  available: true,
  ...overrides,
});

export const checkoutResponse = (overrides: Partial<CheckoutResponse> = {}): CheckoutResponse => ({
  orderId: '6c1e8f5a-3b2d-4e7f-9a1b-2c3d4e5f6a7b',
  org: { slug: 'acme-e2e', fqdn: 'acme-e2e.tenants.test' },
  balanceBaisa: 100_000,
  balanceOmr: '100.000',
  ...overrides,
});

/** A wallet holding `balanceBaisa`, with no ledger entries unless given. */
export const wallet = (balanceBaisa = 100_000, overrides: Partial<Wallet> = {}): Wallet => ({
  balanceBaisa,
  balanceOmr: (balanceBaisa / 1000).toFixed(3),
  entries: [],
  ...overrides,
});

export const org = (overrides: Partial<Org> = {}): Org => ({
  slug: 'acme-e2e',
  name: 'Acme E2E',
  fqdn: 'acme-e2e.tenants.test',
  role: 'owner',
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

export const environment = (name = 'production', overrides: Partial<Environment> = {}): Environment => ({
  name,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

export const catalogApp = (overrides: Partial<CatalogApp> = {}): CatalogApp => ({
  id: 'wordpress',
  name: 'WordPress',
  description: 'Websites and blogs.',
  monthlyPriceBaisa: 5_000,
  monthlyPriceOmr: '5.000',
  postgres: false,
  ...overrides,
});

export const appInstall = (overrides: Partial<AppInstall> = {}): AppInstall => ({
  id: '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a',
  appId: 'wordpress',
  environment: 'production',
  url: 'https://wordpress.production.acme-e2e.tenants.test',
  status: 'installing',
  message: null,
  monthlyPriceBaisa: 5_000,
  paidUntil: null,
  createdAt: '2025-01-02T00:00:00.000Z',
  ...overrides,
});
