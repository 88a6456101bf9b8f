import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type HolderPageSetting = components['schemas']['HolderPageSettingDto'];
export type PublicHolder = components['schemas']['PublicHolderDto'];

const SETTING_KEY = ['certificates', 'holder-page'];

export const useHolderPageSetting = () =>
  useQuery({ queryKey: SETTING_KEY, queryFn: async () => unwrap(await api.GET('/api/certificates/holder-page')) });

/** Turns the public page on (`true`) or off; the answer is the setting as it now stands. */
export function useSetHolderPage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (on: boolean): Promise<HolderPageSetting> =>
      unwrap(on ? await api.PUT('/api/certificates/holder-page') : await api.DELETE('/api/certificates/holder-page')),
    onSuccess: (setting) => queryClient.setQueryData(SETTING_KEY, setting),
  });
}

/** A holder's public page; `null` when the address has none (never issued, or turned off by its holder). */
async function readHolder(slug: string): Promise<PublicHolder | null> {
  const result = await api.GET('/api/public/holders/{slug}', { params: { path: { slug } } });
  if (result.response.status === 404) return null;
  return unwrap(result);
}

export const usePublicHolder = (slug: string | undefined) =>
  useQuery({ queryKey: ['holder', slug], queryFn: () => readHolder(slug!), enabled: Boolean(slug), retry: false, staleTime: 0 });
