import type { IssueVoucher } from '@catalyst/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as api from './api';

export const bssKeys = {
  all: ['bss'] as const,
  vouchers: () => [...bssKeys.all, 'vouchers'] as const,
  tenants: () => [...bssKeys.all, 'tenants'] as const,
  orders: () => [...bssKeys.all, 'orders'] as const,
  settings: () => [...bssKeys.all, 'settings'] as const,
};

export function useVouchers() {
  return useQuery({
    queryKey: bssKeys.vouchers(),
    queryFn: ({ signal }) => api.listVouchers(signal),
    // Redemptions happen elsewhere: look again whenever the list is shown.
    staleTime: 0,
  });
}

export function useIssueVoucher() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: IssueVoucher) => api.issueVoucher(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: bssKeys.vouchers() }),
  });
}

export function useRevokeVoucher() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.revokeVoucher(code),
    onSettled: () => queryClient.invalidateQueries({ queryKey: bssKeys.vouchers() }),
  });
}

export function useTenants() {
  return useQuery({
    queryKey: bssKeys.tenants(),
    queryFn: ({ signal }) => api.listTenants(signal),
    staleTime: 0,
  });
}

export function useOrders() {
  return useQuery({
    queryKey: bssKeys.orders(),
    queryFn: ({ signal }) => api.listOrders(signal),
    staleTime: 0,
  });
}

export function useSettings() {
  return useQuery({ queryKey: bssKeys.settings(), queryFn: ({ signal }) => api.getSettings(signal) });
}
