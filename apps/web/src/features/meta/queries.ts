import type { CatalystMode } from '@catalyst/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as api from './api';

export const metaKeys = {
  all: ['meta'] as const,
  detail: () => [...metaKeys.all, 'detail'] as const,
};

/** Fixed for the life of the server process (CATALYST_MODE), so it is asked once per page load. */
export const metaQueryOptions = queryOptions({
  queryKey: metaKeys.detail(),
  queryFn: ({ signal }) => api.meta(signal),
  staleTime: Number.POSITIVE_INFINITY,
});

/** `mothership` or `sovereign`; undefined until the api has answered. */
export function useMode(): CatalystMode | undefined {
  return useQuery(metaQueryOptions).data?.mode;
}
