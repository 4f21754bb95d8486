import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as api from './api';

/** How long after an install its status is polled while it is still `installing`. */
const INSTALL_POLL_FOR_MS = 10 * 60_000;

export const marketplaceKeys = {
  all: ['marketplace'] as const,
  wallet: () => [...marketplaceKeys.all, 'wallet'] as const,
  orgs: () => [...marketplaceKeys.all, 'orgs'] as const,
  catalog: () => [...marketplaceKeys.all, 'catalog'] as const,
  org: (org: string) => [...marketplaceKeys.all, 'org', org] as const,
  environments: (org: string) => [...marketplaceKeys.org(org), 'environments'] as const,
  installs: (org: string) => [...marketplaceKeys.org(org), 'installs'] as const,
};

export const walletQueryOptions = queryOptions({
  queryKey: marketplaceKeys.wallet(),
  queryFn: ({ signal }) => api.getWallet(signal),
  staleTime: 0,
});

export const orgsQueryOptions = queryOptions({
  queryKey: marketplaceKeys.orgs(),
  queryFn: ({ signal }) => api.listOrgs(signal),
});

export function useWallet() {
  return useQuery(walletQueryOptions);
}

export function useOrgs() {
  return useQuery(orgsQueryOptions);
}

export function useCatalogApps() {
  return useQuery({
    queryKey: marketplaceKeys.catalog(),
    queryFn: ({ signal }) => api.listCatalogApps(signal),
    staleTime: 5 * 60_000,
  });
}

export function useEnvironments(org: string | undefined) {
  return useQuery({
    queryKey: marketplaceKeys.environments(org ?? ''),
    queryFn: ({ signal }) => api.listEnvironments(org ?? '', signal),
    enabled: !!org,
  });
}

export function useInstalls(org: string | undefined) {
  return useQuery({
    queryKey: marketplaceKeys.installs(org ?? ''),
    queryFn: ({ signal }) => api.listInstalls(org ?? '', signal),
    enabled: !!org,
    staleTime: 0,
    // An install starts as `installing`: look again while a recent one still is.
    refetchInterval: (query) =>
      query.state.data?.some(
        (app) => app.status === 'installing' && Date.now() - Date.parse(app.createdAt) < INSTALL_POLL_FOR_MS,
      )
        ? 10_000
        : false,
  });
}

export function useCreateEnvironment(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.createEnvironment(org, name),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.environments(org) }),
  });
}

export function useInstallApp(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ environment, appId }: { environment: string; appId: string }) =>
      api.installApp(org, environment, appId),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.installs(org) }),
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.wallet() }),
      ]),
  });
}

export function useUninstallApp(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (installId: string) => api.uninstallApp(org, installId),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.installs(org) }),
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.wallet() }),
      ]),
  });
}
