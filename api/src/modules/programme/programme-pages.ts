import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Framework } from './framework';
import { formatZodIssues } from './yaml-file';

const text = z.string().trim().min(5).max(1000);

const certificationPage = z
  .object({
    headline: text,
    attests: text,
    audience: text,
    steps: z.array(text).min(2).max(10),
    fee: z.object({ amount: z.number().min(0), currency: z.string().regex(/^[A-Z]{3}$/) }).strict(),
    feeNote: text.optional(),
  })
  .strict();

const fileSchema = z
  .object({
    version: z.literal(1),
    programme: z.object({ title: text, lead: text, audience: text, howItWorks: z.array(text).min(2).max(10) }).strict(),
    certifications: z.object({ AIDA: certificationPage, CPAP: certificationPage, CPAA: certificationPage }).strict(),
    framework: z
      .object({
        url: z.string().url(),
        licenceUrl: z.string().url(),
        versions: z
          .array(z.object({ version: z.union([z.string(), z.number()]).transform(String), year: z.number().int(), changes: text }).strict())
          .min(1),
      })
      .strict(),
  })
  .strict();

export type ProgrammePages = z.infer<typeof fileSchema>;
export type CertificationPage = z.infer<typeof certificationPage>;

export const PROGRAMME_FILE = 'framework/programme.yaml';
/** Where the public pages read the programme (its stored copy is forgotten when the exam's settings change). */
export const PUBLIC_PROGRAMME_PATH = '/api/public/programme';

/**
 * What the public pages say (question-bank/framework/programme.yaml), checked at boot: the version
 * history must include the framework's own version, so the page never shows a history without it.
 */
export function loadProgrammePages(bankDir: string, framework: Framework): ProgrammePages {
  const file = path.join(bankDir, PROGRAMME_FILE);
  const result = fileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new Error(`${file}: ${formatZodIssues(result.error)}`);
  if (!result.data.framework.versions.some((v) => v.version === framework.version)) {
    throw new Error(`${file}: framework.versions must include version ${framework.version}, the framework's own`);
  }
  return result.data;
}

export interface Citations {
  apa: string;
  ieee: string;
  bibtex: string;
}

/** The framework's citation in the three formats the framework page offers, from its own metadata. */
export function citationsOf(f: Pick<Framework, 'code' | 'title' | 'version' | 'publisher' | 'year' | 'licence'>, url: string): Citations {
  const licence = f.licence.replace('CC-BY-', 'CC BY ');
  const key = `${f.code.toLowerCase()}${f.year}v${f.version.replace(/\W/g, '')}`;
  return {
    apa: `${f.publisher}. (${f.year}). ${f.title} (Version ${f.version}). ${url}`,
    ieee: `${f.publisher}, "${f.title}," Version ${f.version}, ${f.year}. [Online]. Available: ${url}`,
    bibtex: [
      `@misc{${key},`,
      `  author = {{${f.publisher}}},`,
      `  title = {{${f.title}}},`,
      `  year = {${f.year}},`,
      `  version = {${f.version}},`,
      `  url = {${url}},`,
      `  note = {Version ${f.version}. Licensed under ${licence}}`,
      `}`,
    ].join('\n'),
  };
}
