import {
  type AppInstall,
  appInstallListSchema,
  appInstallSchema,
  type CatalogApp,
  catalogAppListSchema,
  type Environment,
  environmentListSchema,
  environmentSchema,
  type Org,
  orgListSchema,
  type Wallet,
  walletSchema,
} from '@catalyst/contracts';
import { request } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

/** The signed-in user's credit: balance and ledger. */
export async function getWallet(signal?: AbortSignal): Promise<Wallet> {
  return request('/billing/wallet', { schema: walletSchema, signal });
}

/** Organisations the signed-in user belongs to. */
export async function listOrgs(signal?: AbortSignal): Promise<Org[]> {
  const { orgs } = await request('/api/v1/orgs', { schema: orgListSchema, signal });
  return orgs;
}

const orgPath = (slug: string) => `/api/v1/orgs/${encodeURIComponent(slug)}`;

export async function listEnvironments(org: string, signal?: AbortSignal): Promise<Environment[]> {
  const { environments } = await request(`${orgPath(org)}/environments`, {
    schema: environmentListSchema,
    signal,
  });
  return environments;
}

/** Creates an environment; rejects with 409 `environment_exists` when the name is in use. */
export async function createEnvironment(org: string, name: string): Promise<Environment> {
  return request(`${orgPath(org)}/environments`, {
    method: 'POST',
    body: { name },
    schema: environmentSchema,
  });
}

export async function listCatalogApps(signal?: AbortSignal): Promise<CatalogApp[]> {
  const { apps } = await request('/api/v1/catalog/apps', { schema: catalogAppListSchema, signal });
  return apps;
}

export async function listInstalls(org: string, signal?: AbortSignal): Promise<AppInstall[]> {
  const { apps } = await request(`${orgPath(org)}/apps`, { schema: appInstallListSchema, signal });
  return apps;
}

/** Installs an app into an environment; rejects with 422 `insufficient_credit` when the wallet is short. */
export async function installApp(org: string, environment: string, appId: string): Promise<AppInstall> {
  return request(`${orgPath(org)}/environments/${encodeURIComponent(environment)}/apps`, {
    method: 'POST',
    body: { appId },
    schema: appInstallSchema,
  });
}

export async function uninstallApp(org: string, installId: string): Promise<void> {
  await request(`${orgPath(org)}/apps/${encodeURIComponent(installId)}`, { method: 'DELETE' });
}
