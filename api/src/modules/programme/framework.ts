import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { formatZodIssues } from './yaml-file';

const criterion = z.object({ code: z.string().regex(/^D0[1-8]\.[1-5]$/), text: z.string().min(5) }).strict();

const domain = z
  .object({
    code: z.string().regex(/^D0[1-8]$/),
    number: z.number().int().min(1).max(8),
    title: z.string().min(3),
    summary: z.string().min(5),
    criteria: z.array(criterion).min(1),
  })
  .strict();

const certification = z
  .object({
    code: z.enum(['AIDA', 'CPAP', 'CPAA']),
    kind: z.string().min(2),
    summary: z.string().min(5),
    domains: z.array(z.string().regex(/^D0[1-8]$/)).min(1),
  })
  .passthrough();

const fileSchema = z.object({
  framework: z.object({
    code: z.string().min(2),
    version: z.union([z.string(), z.number()]).transform(String),
    title: z.string().min(3),
    publisher: z.string().min(3),
    year: z.number().int(),
    licence: z.string().min(3),
    citation: z.string().min(10),
  }),
  domains: z.array(domain).length(8),
  certifications: z.array(certification).length(3),
});

export type FrameworkCriterion = z.infer<typeof criterion>;
export type FrameworkDomain = z.infer<typeof domain>;
export type FrameworkCertification = z.infer<typeof certification>;

export interface Framework {
  code: string;
  version: string;
  title: string;
  publisher: string;
  year: number;
  licence: string;
  citation: string;
  /** What every screen that shows framework content must display (CC BY 4.0). */
  attribution: string;
  domains: FrameworkDomain[];
  certifications: FrameworkCertification[];
}

export const FRAMEWORK_FILE = 'framework/psf-v1.0.yaml';

/**
 * Loads and checks the PSF framework data (question-bank/framework/): eight domains in order,
 * criteria of their own domain, certifications that name known domains. Throws with every problem.
 */
export function loadFramework(bankDir: string): Framework {
  const file = path.join(bankDir, FRAMEWORK_FILE);
  const result = fileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) throw new Error(`${file}: ${formatZodIssues(result.error)}`);
  const { framework: f, domains, certifications } = result.data;
  const problems: string[] = [];
  domains.forEach((d, i) => {
    if (d.number !== i + 1 || d.code !== `D0${i + 1}`) problems.push(`domains[${i}] must be D0${i + 1} (number ${i + 1})`);
    for (const c of d.criteria) if (!c.code.startsWith(`${d.code}.`)) problems.push(`${c.code} is listed under ${d.code}`);
  });
  const codes = new Set(domains.map((d) => d.code));
  for (const c of certifications) {
    for (const d of c.domains) if (!codes.has(d)) problems.push(`${c.code} names unknown domain ${d}`);
  }
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return {
    ...f,
    attribution: `${f.title} v${f.version} © ${f.publisher} (${f.year}), licensed ${f.licence.replace('CC-BY-', 'CC BY ')}. ${f.citation}`,
    domains,
    certifications,
  };
}
