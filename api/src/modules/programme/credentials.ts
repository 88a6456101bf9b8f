import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Framework } from './framework';
import { formatZodIssues } from './yaml-file';

export type CredentialCode = 'AIDA' | 'CPAP' | 'CPAA';

const credential = z
  .object({
    name: z.string().min(5),
    validityDays: z.number().int().positive(),
    /** Credentials a candidate must have passed before this one's portfolio opens. */
    requires: z.array(z.enum(['AIDA', 'CPAP', 'CPAA'])).default([]),
  })
  .strict();

const fileSchema = z.object({ credentials: z.object({ AIDA: credential, CPAP: credential, CPAA: credential }).strict() }).strict();

export type Credential = z.infer<typeof credential>;
export type Credentials = Record<CredentialCode, Credential>;

export const CREDENTIALS_FILE = 'framework/credentials.yaml';

/**
 * Display names, validity and prerequisites of the three credentials (set by the certification
 * body), with validity overridden per credential by configuration (CERTIFICATE_VALIDITY_DAYS_<CODE>).
 */
export function loadCredentials(
  bankDir: string,
  framework: Framework,
  validityOverrides: Record<string, number | undefined> = {},
): Credentials {
  const file = path.join(bankDir, CREDENTIALS_FILE);
  const result = fileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new Error(`${file}: ${formatZodIssues(result.error)}`);
  const known = new Set(framework.certifications.map((c) => c.code));
  const problems: string[] = [];
  const credentials = result.data.credentials;
  for (const [code, c] of Object.entries(credentials)) {
    if (!known.has(code as CredentialCode)) problems.push(`${code} is not a certification of the framework`);
    if (c.requires.includes(code as CredentialCode)) problems.push(`${code} cannot require itself`);
  }
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  const withOverride = (code: CredentialCode): Credential => ({
    ...credentials[code],
    validityDays: validityOverrides[code] ?? credentials[code].validityDays,
  });
  return { AIDA: withOverride('AIDA'), CPAP: withOverride('CPAP'), CPAA: withOverride('CPAA') };
}
