import {
  type AppInstall,
  type AssignableOrgRole,
  appInstallListSchema,
  appInstallSchema,
  type CatalogApp,
  catalogAppListSchema,
  type Environment,
  environmentListSchema,
  environmentSchema,
  type Org,
  type OrgMember,
  type OrgWallet,
  orgListSchema,
  orgMemberListSchema,
  orgMemberSchema,
  orgWalletSchema,
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

/** What the organisation's installs are paid from (owner and org-admin; a member gets 403 `org_role_required`). */
export async function getOrgWallet(org: string, signal?: AbortSignal): Promise<OrgWallet> {
  return request(`${orgPath(org)}/wallet`, { schema: orgWalletSchema, signal });
}

/** Everyone in the organisation, with their role (any member may look). */
export async function listMembers(org: string, signal?: AbortSignal): Promise<OrgMember[]> {
  const { members } = await request(`${orgPath(org)}/members`, { schema: orgMemberListSchema, signal });
  return members;
}

/**
 * Invites an e-mail into the organisation (owner; 201): they are mailed how to sign in. Rejects with 409
 * `already_member`, 400 with field issues, 429 when too many invitations were sent.
 */
export async function inviteMember(org: string, email: string, role: AssignableOrgRole): Promise<OrgMember> {
  return request(`${orgPath(org)}/members`, {
    method: 'POST',
    body: { email, role },
    schema: orgMemberSchema,
  });
}

/** Gives a member another role (owner); a lesser role signs them out everywhere. */
export async function changeMemberRole(
  org: string,
  userId: string,
  role: AssignableOrgRole,
): Promise<OrgMember> {
  return request(`${orgPath(org)}/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { role },
    schema: orgMemberSchema,
  });
}

/** Removes a member (owner; 204) and signs them out everywhere. */
export async function removeMember(org: string, userId: string): Promise<void> {
  await request(`${orgPath(org)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' });
}
