import { call } from './candidates';
import type { DrillPlatform } from './platform';

export interface IssuedCertificate {
  number: string;
  source_id: string;
  /** The credential is signed, the PDF stored and the holder e-mailed: the issuing job ran to its end. */
  complete: boolean;
}

/** The certificates issued for these sources (attempt ids), as the owner reads them. */
export function certificatesFor(platform: DrillPlatform, sourceIds: string[]): Promise<IssuedCertificate[]> {
  return platform.query<IssuedCertificate>(
    `SELECT c.number, c.source_id,
            (c.credential_jwt IS NOT NULL AND c.pdf_hash IS NOT NULL AND n.sent_at IS NOT NULL) AS complete
       FROM certificates c
       LEFT JOIN notifications n ON n.dedupe_key = 'certificate-issued:' || c.id
      WHERE c.source_id::text = ANY($1::text[])`,
    [sourceIds],
  );
}

/** Sources with more than one certificate. */
export async function duplicateSources(platform: DrillPlatform, sourceIds: string[]): Promise<string[]> {
  const rows = await platform.query<{ source_id: string }>(
    `SELECT source_id FROM certificates WHERE source_id::text = ANY($1::text[]) GROUP BY source_type, source_id HAVING count(*) > 1`,
    [sourceIds],
  );
  return rows.map((r) => r.source_id);
}

/** Numbers the public verification page does not show as active certificates. */
export async function unverifiable(platform: DrillPlatform, numbers: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (const number of numbers) {
    const answer = await call(platform.baseUrl, 'GET', `/api/public/certificates/${encodeURIComponent(number)}`);
    if (answer.status !== 200 || (answer.body as { status?: string }).status !== 'active') failed.push(number);
  }
  return failed;
}
