import { useQuery } from '@tanstack/react-query';
import * as api from './api';

export const consoleKeys = {
  all: ['console'] as const,
  deployments: () => [...consoleKeys.all, 'deployments'] as const,
  kit: (id: string) => [...consoleKeys.all, 'kit', id] as const,
  allocations: () => [...consoleKeys.all, 'allocations'] as const,
  team: () => [...consoleKeys.all, 'team'] as const,
  sovereign: () => [...consoleKeys.all, 'sovereign'] as const,
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

/** The Sovereign's facts: read once at the api's start, so they never change while the page is open. */
export function useSovereignFacts() {
  return useQuery({
    queryKey: consoleKeys.sovereign(),
    queryFn: ({ signal }) => api.getSovereignFacts(signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
