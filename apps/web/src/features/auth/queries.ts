import type { User } from '@catalyst/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as api from './api';
import { isApiError } from './api';

export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

/** The current user, or null when signed out (a 401 is an answer here, not a failure). */
export const meQueryOptions = queryOptions({
  queryKey: authKeys.me(),
  queryFn: async ({ signal }): Promise<User | null> => {
    try {
      return await api.me(signal);
    } catch (error) {
      if (isApiError(error) && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQueryOptions);
}

export function useRequestPin() {
  return useMutation({ mutationFn: (email: string) => api.requestPin(email) });
}

export function useVerifyPin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ email, pin }: { email: string; pin: string }) => api.verifyPin(email, pin),
    onSuccess: (user) => {
      queryClient.setQueryData(authKeys.me(), user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.logout();
      } catch (error) {
        // The session is already gone: that is the outcome we wanted.
        if (!(isApiError(error) && error.status === 401)) throw error;
      }
    },
    onSuccess: () => {
      // Drop everything cached for the previous user, then record that nobody is signed in.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData(authKeys.me(), null);
    },
  });
}
