import type { AssignableRole, InvitationRequest, SovereignComponent } from '@catalyst/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as api from './api';

export const consoleKeys = {
  all: ['console'] as const,
  deployments: () => [...consoleKeys.all, 'deployments'] as const,
  kit: (id: string) => [...consoleKeys.all, 'kit', id] as const,
  allocations: () => [...consoleKeys.all, 'allocations'] as const,
  team: () => [...consoleKeys.all, 'team'] as const,
  sovereign: () => [...consoleKeys.all, 'sovereign'] as const,
  components: () => [...consoleKeys.all, 'components'] as const,
};

export function useDeployments() {
  return useQuery({
    queryKey: consoleKeys.deployments(),
    queryFn: ({ signal }) => api.listDeployments(signal),
    staleTime: 0,
  });
}

export function useKitComponents(id: string | undefined) {
  return useQuery({
    queryKey: consoleKeys.kit(id ?? ''),
    queryFn: ({ signal }) => api.listKitComponents(id ?? '', signal),
    enabled: !!id,
    staleTime: 0,
  });
}

export function useAllocations() {
  return useQuery({
    queryKey: consoleKeys.allocations(),
    queryFn: ({ signal }) => api.listAllocations(signal),
    staleTime: 0,
  });
}

export function useTeam() {
  return useQuery({ queryKey: consoleKeys.team(), queryFn: ({ signal }) => api.listTeam(signal) });
}

/** Invites someone to the team, then reads the team again. */
export function useInviteToTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InvitationRequest) => api.inviteToTeam(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consoleKeys.team() }),
  });
}

/** Assigns (`held: true`) or removes a role, then reads the team again. */
export function useSetTeamRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role, held }: { userId: string; role: AssignableRole; held: boolean }) =>
      api.setTeamRole(userId, role, held),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consoleKeys.team() }),
  });
}

/** The Sovereign's facts: read once at the api's start, so they never change while the page is open. */
export function useSovereignFacts() {
  return useQuery({
    queryKey: consoleKeys.sovereign(),
    queryFn: ({ signal }) => api.getSovereignFacts(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** How often the components are read again while one of them is still on its way (not installed or failed). */
export const COMPONENTS_POLL_MS = 5000;

const settled = (c: SovereignComponent) => c.state === 'installed' || c.state === 'failed';

/** A Sovereign's own components (its cluster's HelmReleases); polled while any has not settled. */
export function useSovereignComponents(enabled = true) {
  return useQuery({
    queryKey: consoleKeys.components(),
    queryFn: ({ signal }) => api.listSovereignComponents(signal),
    enabled,
    staleTime: 0,
    refetchInterval: (query) => ((query.state.data ?? []).every(settled) ? false : COMPONENTS_POLL_MS),
  });
}

/** Retries one component, then reads the list again. */
export function useRetrySovereignComponent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ namespace, name }: { namespace: string; name: string }) =>
      api.retrySovereignComponent(namespace, name),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: consoleKeys.components() }),
  });
}
