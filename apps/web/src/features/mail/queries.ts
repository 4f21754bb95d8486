import { useQuery } from '@tanstack/react-query';
import * as api from './api';

export const mailKeys = {
  all: ['mail'] as const,
  status: () => [...mailKeys.all, 'status'] as const,
};

/** Fixed for the life of the server process, so it is asked once per page load. */
export function useMailStatus() {
  return useQuery({
    queryKey: mailKeys.status(),
    queryFn: ({ signal }) => api.mailStatus(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
