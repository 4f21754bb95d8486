import {
  allocationListSchema,
  componentListSchema,
  deploymentListSchema,
  sovereignComponentListSchema,
  sovereignFactsResponseSchema,
  teamListSchema,
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
