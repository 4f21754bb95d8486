import type { CheckoutRequest } from '@catalyst/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { marketplaceKeys } from '../marketplace/queries';
import * as api from './api';

export const redeemKeys = {
  all: ['redeem'] as const,
  preview: (code: string) => [...redeemKeys.all, 'preview', code] as const,
  slugCheck: (slug: string) => [...redeemKeys.all, 'slug-check', slug] as const,
  poolDomains: () => [...redeemKeys.all, 'pool-domains'] as const,
};

export function useRedeemPreview(code: string | undefined) {
  return useQuery({
    queryKey: redeemKeys.preview(code ?? ''),
    queryFn: ({ signal }) => api.redeemPreview(code ?? '', signal),
    enabled: !!code,
    staleTime: 0,
  });
}

/** Availability of `slug`; pass undefined while there is nothing valid to ask about. */
export function useSlugCheck(slug: string | undefined) {
  return useQuery({
    queryKey: redeemKeys.slugCheck(slug ?? ''),
    queryFn: ({ signal }) => api.checkSlug(slug ?? '', signal),
    enabled: !!slug,
    staleTime: 10_000,
  });
}

/** The tenant pool domains to choose from; asked only when there is a choice to make (`enabled`). */
export function usePoolDomains(enabled: boolean) {
  return useQuery({
    queryKey: redeemKeys.poolDomains(),
    queryFn: ({ signal }) => api.listPoolDomains(signal),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useCheckout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: CheckoutRequest; idempotencyKey: string }) =>
      api.checkout(input, idempotencyKey),
    // Not awaited: the page moves on to the marketplace, which loads what it shows afresh.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: marketplaceKeys.all });
    },
    // The voucher may have changed meanwhile (redeemed elsewhere, revoked, expired).
    onError: () => {
      void queryClient.invalidateQueries({ queryKey: [...redeemKeys.all, 'preview'] });
    },
  });
}
