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

/**
 * Starts installing an app into an environment (201, status `installing`). Rejects with 422
 * `insufficient_credit` (the wallet cannot pay the first month), 409 `app_already_installed`,
 * 404 `environment_not_found`, 422 `unknown_app`, 503 `cluster_unavailable` (no cluster to deploy into).
 */
export async function installApp(org: string, environment: string, appId: string): Promise<AppInstall> {
  return request(`${orgPath(org)}/environments/${encodeURIComponent(environment)}/apps`, {
    method: 'POST',
    body: { appId },
    schema: appInstallSchema,
  });
}

/** Installs a failed app again (202, back to `installing`); rejects with 409 `app_not_failed` otherwise. */
export async function retryInstall(org: string, installId: string): Promise<AppInstall> {
  return request(`${orgPath(org)}/apps/${encodeURIComponent(installId)}/retry`, {
    method: 'POST',
    schema: appInstallSchema,
  });
}

/**
 * Starts removing an app (202, status `uninstalling`); it leaves the list once the cluster has removed
 * it. Rejects with 404 `app_not_found`.
 */
export async function uninstallApp(org: string, installId: string): Promise<AppInstall> {
  return request(`${orgPath(org)}/apps/${encodeURIComponent(installId)}`, {
    method: 'DELETE',
    schema: appInstallSchema,
  });
}
