import { useQuery } from '@tanstack/react-query';
import { api } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type PublicCertificate = components['schemas']['PublicCertificateDto'];

export async function lookUp(number: string): Promise<PublicCertificate | { notFound: string }> {
  const result = await api.GET('/api/public/certificates/{number}', { params: { path: { number } } });
  if (result.response.status === 404) {
    return { notFound: (result.error as unknown as { message?: string })?.message ?? 'No certificate has this number' };
  }
  if (!result.data) throw new Error('The verification service did not answer; try again');
  return result.data;
}

export const useCertificateLookup = (number: string | undefined) =>
  useQuery({ queryKey: ['verify', number], queryFn: () => lookUp(number!), enabled: Boolean(number), retry: false, staleTime: 0 });
