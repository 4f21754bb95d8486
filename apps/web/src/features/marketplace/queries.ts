import type { AppInstall, AssignableOrgRole } from '@catalyst/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import * as api from './api';

/** How often the installs are looked at again while the cluster is still installing or removing one. */
export const INSTALL_POLL_MS = 2_000;

/** Whether the cluster is still working on an install: its status will change without anyone asking. */
export const inFlight = (install: AppInstall) =>
  install.status === 'installing' || install.status === 'uninstalling';

export const marketplaceKeys = {
  all: ['marketplace'] as const,
  wallet: () => [...marketplaceKeys.all, 'wallet'] as const,
  orgs: () => [...marketplaceKeys.all, 'orgs'] as const,
  catalog: () => [...marketplaceKeys.all, 'catalog'] as const,
  org: (org: string) => [...marketplaceKeys.all, 'org', org] as const,
  environments: (org: string) => [...marketplaceKeys.org(org), 'environments'] as const,
  installs: (org: string) => [...marketplaceKeys.org(org), 'installs'] as const,
  orgWallet: (org: string) => [...marketplaceKeys.org(org), 'wallet'] as const,
  members: (org: string) => [...marketplaceKeys.org(org), 'members'] as const,
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

/**
 * The organisation's installs, live: polled while one is installing or uninstalling, and the wallet
 * reloaded when a status changes (an app is charged when it starts running).
 */
export function useInstalls(org: string | undefined) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: marketplaceKeys.installs(org ?? ''),
    queryFn: ({ signal }) => api.listInstalls(org ?? '', signal),
    enabled: !!org,
    staleTime: 0,
    refetchInterval: (current) => (current.state.data?.some(inFlight) ? INSTALL_POLL_MS : false),
  });
  const statuses = query.data?.map((install) => `${install.id}:${install.status}`).join(',');
  const seen = useRef(statuses);
  useEffect(() => {
    if (seen.current !== undefined && statuses !== undefined && seen.current !== statuses) {
      void queryClient.invalidateQueries({ queryKey: marketplaceKeys.wallet() });
      if (org) void queryClient.invalidateQueries({ queryKey: marketplaceKeys.orgWallet(org) });
    }
    seen.current = statuses;
  }, [statuses, queryClient, org]);
  return query;
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
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.orgWallet(org) }),
      ]),
  });
}

export function useRetryInstall(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (installId: string) => api.retryInstall(org, installId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.installs(org) }),
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
        queryClient.invalidateQueries({ queryKey: marketplaceKeys.orgWallet(org) }),
      ]),
  });
}

/** The balance installs in `org` are paid from: only fetched for a role that installs. */
export function useOrgWallet(org: string, enabled: boolean) {
  return useQuery({
    queryKey: marketplaceKeys.orgWallet(org),
    queryFn: ({ signal }) => api.getOrgWallet(org, signal),
    enabled,
    staleTime: 0,
  });
}

export function useMembers(org: string) {
  return useQuery({
    queryKey: marketplaceKeys.members(org),
    queryFn: ({ signal }) => api.listMembers(org, signal),
  });
}

export function useInviteMember(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ email, role }: { email: string; role: AssignableOrgRole }) =>
      api.inviteMember(org, email, role),
    onSettled: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.members(org) }),
  });
}

export function useChangeMemberRole(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: AssignableOrgRole }) =>
      api.changeMemberRole(org, userId, role),
    onSettled: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.members(org) }),
  });
}

export function useRemoveMember(org: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.removeMember(org, userId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: marketplaceKeys.members(org) }),
  });
}
