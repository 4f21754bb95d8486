import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import * as api from './api';

export const sovereignKeys = {
  all: ['sovereign'] as const,
  registrars: () => [...sovereignKeys.all, 'registrars'] as const,
  settings: () => [...sovereignKeys.all, 'settings'] as const,
  subdomain: (pool: string, sub: string) => [...sovereignKeys.all, 'subdomain', pool, sub] as const,
  deployment: (id: string) => [...sovereignKeys.all, 'deployment', id] as const,
};

export const registrarsQueryOptions = queryOptions({
  queryKey: sovereignKeys.registrars(),
  queryFn: ({ signal }) => api.listRegistrars(signal),
  staleTime: 10 * 60_000,
});

/** The BSS settings, read once for the Domain step; null when this user may not read them. */
const settingsQueryOptions = queryOptions({
  queryKey: sovereignKeys.settings(),
  queryFn: async ({ signal }) => {
    try {
      return await api.sovereignSettings(signal);
    } catch (error) {
      if (api.isApiError(error) && (error.status === 401 || error.status === 403 || error.status === 404)) {
        return null;
      }
      throw error;
    }
  },
  staleTime: 10 * 60_000,
  retry: false,
});

/** The pool domains, or null when this user may not read the BSS settings (free text then). */
export const poolDomainsQueryOptions = queryOptions({
  ...settingsQueryOptions,
  select: (settings) => settings?.sovereignPoolDomains ?? null,
});

/** Catalyst's nameservers, or an empty list when this user may not read the BSS settings. */
export const nameserversQueryOptions = queryOptions({
  ...settingsQueryOptions,
  select: (settings) => settings?.nameservers ?? [],
});

export function useRegistrars() {
  return useQuery(registrarsQueryOptions);
}

export function usePoolDomains() {
  return useQuery(poolDomainsQueryOptions);
}

export function useSubdomainCheck(poolDomain: string, subdomain: string, enabled: boolean) {
  return useQuery({
    queryKey: sovereignKeys.subdomain(poolDomain, subdomain),
    queryFn: ({ signal }) => api.checkSubdomain(poolDomain, subdomain, signal),
    enabled,
    staleTime: 15_000,
    retry: false,
  });
}

export function useValidateToken() {
  return useMutation({
    mutationFn: ({ token, projectId }: { token: string; projectId?: string }) =>
      api.validateHetznerToken(token, projectId),
  });
}

export function useValidateRegistrar() {
  return useMutation({
    mutationFn: (v: { registrar: string; domain: string; credentials: Record<string, string> }) =>
      api.validateRegistrar(v.registrar, v.domain, v.credentials),
  });
}

export function useCreateDeployment() {
  return useMutation({ mutationFn: api.createDeployment });
}

/** Asks for a fresh handover link (never cached: each is a one-time credential). */
export function useHandoverLink() {
  return useMutation({ mutationFn: api.handoverLink });
}

export function deploymentQueryOptions(id: string) {
  return queryOptions({
    queryKey: sovereignKeys.deployment(id),
    queryFn: ({ signal }) => api.getDeployment(id, signal),
  });
}
