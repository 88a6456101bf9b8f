import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { saveDownload } from '../../../lib/download';
import type { components } from '../../../lib/api/schema';

export type Certificate = components['schemas']['CertificateDto'];

export const listMyCertificates = async () => unwrap(await api.GET('/api/certificates'));
export const useMyCertificates = () => useQuery({ queryKey: ['certificates', 'mine'], queryFn: listMyCertificates });

/** Fetches the PDF with the session's token and hands it to the browser as a download. */
export async function downloadPdf(certificate: Certificate): Promise<void> {
  const result = await api.GET('/api/certificates/{id}/pdf', { params: { path: { id: certificate.id } }, parseAs: 'blob' });
  saveDownload(result, `${certificate.number}.pdf`, 'The PDF could not be downloaded; try again');
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
