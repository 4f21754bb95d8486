import {
  bssSettingsSchema,
  createDeploymentResponseSchema,
  credentialsValidateResponseSchema,
  deploymentSchema,
  handoverLinkSchema,
  type ProvisionRequest,
  registrarListSchema,
  registrarValidateResponseSchema,
  subdomainCheckResponseSchema,
} from '@catalyst/contracts';
import { request } from '../../lib/http';

export { ApiError, isApiError } from '../../lib/http';

const API = '/api/v1';

export function validateHetznerToken(token: string, projectId?: string, signal?: AbortSignal) {
  return request(`${API}/credentials/validate`, {
    method: 'POST',
    body: { provider: 'hetzner', token, ...(projectId ? { projectId } : {}) },
    schema: credentialsValidateResponseSchema,
    signal,
  });
}

export function checkSubdomain(poolDomain: string, subdomain: string, signal?: AbortSignal) {
  return request(`${API}/subdomains/check`, {
    method: 'POST',
    body: { poolDomain, subdomain },
    schema: subdomainCheckResponseSchema,
    signal,
  });
}

export async function listRegistrars(signal?: AbortSignal) {
  return (await request(`${API}/registrars`, { schema: registrarListSchema, signal })).registrars;
}

export function validateRegistrar(registrar: string, domain: string, credentials: Record<string, string>) {
  return request(`${API}/registrars/${encodeURIComponent(registrar)}/validate`, {
    method: 'POST',
    body: { domain, credentials },
    schema: registrarValidateResponseSchema,
  });
}

/** The Sovereign's DNS settings (pool domains, nameservers); rejects (401/403) when the user may not read them. */
export async function sovereignSettings(signal?: AbortSignal) {
  return request(`${API}/bss/settings`, { schema: bssSettingsSchema, signal });
}

export function createDeployment(body: ProvisionRequest | Record<string, unknown>) {
  return request(`${API}/deployments`, { method: 'POST', body, schema: createDeploymentResponseSchema });
}

export function getDeployment(id: string, signal?: AbortSignal) {
  return request(`${API}/deployments/${encodeURIComponent(id)}`, { schema: deploymentSchema, signal });
}

/** Re-runs a stopped run from `phase` (or retries a kit component); answers with the deployment. */
export function retryPhase(id: string, phase: string, hetznerToken?: string) {
  return request(`${API}/deployments/${encodeURIComponent(id)}/phases/${encodeURIComponent(phase)}/retry`, {
    method: 'POST',
    body: hetznerToken ? { hetznerToken } : {},
    schema: deploymentSchema,
  });
}

/** Stops a queued or running run; answers with the deployment. */
export function cancelDeployment(id: string) {
  return request(`${API}/deployments/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
    body: {},
    schema: deploymentSchema,
  });
}

/** Deletes the run's cloud resources (202); answers with the deployment, now wiping. */
export function wipeDeployment(id: string, hetznerToken: string) {
  return request(`${API}/deployments/${encodeURIComponent(id)}/wipe`, {
    method: 'POST',
    body: { hetznerToken },
    schema: deploymentSchema,
  });
}

/** A one-time link that signs the Sovereign's first admin in to its console (a ready run only; 409 before). */
export function handoverLink(id: string) {
  return request(`${API}/deployments/${encodeURIComponent(id)}/handover`, {
    method: 'POST',
    schema: handoverLinkSchema,
  });
}

export const kubeconfigUrl = (id: string) => `${API}/deployments/${encodeURIComponent(id)}/kubeconfig`;
export const logsUrl = (id: string) => `${API}/deployments/${encodeURIComponent(id)}/logs`;
