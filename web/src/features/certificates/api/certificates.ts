import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type Certificate = components['schemas']['CertificateDto'];

export const listMyCertificates = async () => unwrap(await api.GET('/api/certificates'));
export const useMyCertificates = () => useQuery({ queryKey: ['certificates', 'mine'], queryFn: listMyCertificates });

/** Fetches the PDF with the session's token and hands it to the browser as a download. */
export async function downloadPdf(certificate: Certificate): Promise<void> {
  const result = await api.GET('/api/certificates/{id}/pdf', { params: { path: { id: certificate.id } }, parseAs: 'blob' });
  if (!result.response.ok || !result.data) throw new Error('The PDF could not be downloaded; try again');
  const url = URL.createObjectURL(result.data as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${certificate.number}.pdf`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function linkedInUrl(c: Certificate): string {
  const issued = new Date(c.issuedAt);
  const expires = new Date(c.expiresAt);
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: c.credential.name,
    organizationName: c.issuerName,
    issueYear: String(issued.getUTCFullYear()),
    issueMonth: String(issued.getUTCMonth() + 1),
    expirationYear: String(expires.getUTCFullYear()),
    expirationMonth: String(expires.getUTCMonth() + 1),
    certUrl: c.verifyUrl,
    certId: c.number,
  });
  return `https://www.linkedin.com/profile/add?${params}`;
}
