import {
  type AssignableRole,
  allocationListSchema,
  componentListSchema,
  deploymentListSchema,
  type InvitationRequest,
  sovereignComponentListSchema,
  sovereignFactsResponseSchema,
  teamListSchema,
  teamMemberResponseSchema,
} from '@catalyst/contracts';
import { request } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

const API = '/api/v1';

/** Every deployment (provisioning run) of this Catalyst: GET /api/v1/deployments. */
export async function listDeployments(signal?: AbortSignal) {
  return (await request(`${API}/deployments`, { schema: deploymentListSchema, signal })).deployments;
}

/** The bootstrap kit of one deployment as the watch last saw it: GET /api/v1/deployments/:id/components. */
export async function listKitComponents(id: string, signal?: AbortSignal) {
  return (
    await request(`${API}/deployments/${encodeURIComponent(id)}/components`, {
      schema: componentListSchema,
      signal,
    })
  ).components;
}

/** Pool-domain allocations (reserved and active names): GET /api/v1/pool/allocations. */
export async function listAllocations(signal?: AbortSignal) {
  return (await request(`${API}/pool/allocations`, { schema: allocationListSchema, signal })).allocations;
}

/** Everyone who has signed in to this Sovereign, with their roles. */
export async function listTeam(signal?: AbortSignal) {
  return (await request(`${API}/users`, { schema: teamListSchema, signal })).users;
}

/** Mails an invitation, creating the user if new and assigning the roles they lack: POST /api/v1/users/invitations. */
export async function inviteToTeam(body: InvitationRequest) {
  return (
    await request(`${API}/users/invitations`, { method: 'POST', body, schema: teamMemberResponseSchema })
  ).user;
}

/** Assigns (PUT) or removes (DELETE) a role; a removal signs the user out everywhere: /api/v1/users/:id/roles/:role. */
export async function setTeamRole(userId: string, role: AssignableRole, held: boolean) {
  return (
    await request(`${API}/users/${encodeURIComponent(userId)}/roles/${encodeURIComponent(role)}`, {
      method: held ? 'PUT' : 'DELETE',
      schema: teamMemberResponseSchema,
    })
  ).user;
}

/** What this Sovereign knows about itself (null on a mothership): GET /api/v1/sovereign. */
export async function getSovereignFacts(signal?: AbortSignal) {
  return (await request(`${API}/sovereign`, { schema: sovereignFactsResponseSchema, signal })).facts;
}

/** A Sovereign's own components, from the HelmReleases of its cluster: GET /api/v1/sovereign/components. */
export async function listSovereignComponents(signal?: AbortSignal) {
  return (await request(`${API}/sovereign/components`, { schema: sovereignComponentListSchema, signal }))
    .components;
}

/** Has Flux reconcile one of them again (202): POST /api/v1/sovereign/components/:namespace/:name/retry. */
export async function retrySovereignComponent(namespace: string, name: string) {
  await request(
    `${API}/sovereign/components/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/retry`,
    { method: 'POST' },
  );
}
