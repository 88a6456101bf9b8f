import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Framework } from './framework';
import { formatZodIssues } from './yaml-file';

const line = z.string().trim().min(10).max(600);

const schema = z
  .object({
    version: z.literal(1),
    credential: z.literal('CPAA'),
    title: z.string().min(5),
    durationMinutes: z.number().int().positive(),
    scale: z.array(z.object({ score: z.number().int().min(0).max(3), label: z.string().min(2), description: line }).strict()).length(4),
    opening: z.array(line).min(1),
    closing: z.array(line).min(1),
    domains: z
      .array(
        z
          .object({
            domain: z.string().regex(/^D0[1-8]$/),
            minutes: z.number().int().positive(),
            prompts: z
              .array(
                z
                  .object({
                    id: z.string().regex(/^D0[1-8]-P\d+$/),
                    criteria: z
                      .array(z.string().regex(/^D0[1-8]\.[1-5]$/))
                      .min(1)
                      .max(3),
                    prompt: line,
                    followUps: z.array(line).min(1).max(4),
                  })
                  .strict(),
              )
              .min(2),
            lookFor: z.array(line).min(2),
            redFlags: z.array(line).min(1),
          })
          .strict(),
      )
      .length(8),
  })
  .strict();

export type InterviewGuide = z.infer<typeof schema>;

export const INTERVIEW_GUIDE_FILE = 'interview-guide.yaml';

/**
 * Loads and checks the structured interview guide against the framework: every domain once in
 * order, every criterion covered by a prompt, prompt criteria from their own domain, the scale
 * 0–3 in order, and domain minutes that fit the interview.
 */
export function loadInterviewGuide(bankDir: string, framework: Framework): InterviewGuide {
  const file = path.join(bankDir, INTERVIEW_GUIDE_FILE);
  const result = schema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    throw new Error(`${file}: ${formatZodIssues(result.error)}`);
  }
  const guide = result.data;
  const problems: string[] = [];
  if (guide.scale.some((s, i) => s.score !== i)) problems.push('scale must list scores 0, 1, 2, 3 in order');
  guide.domains.forEach((d, i) => {
    const domain = framework.domains[i];
    if (d.domain !== domain?.code) problems.push(`domains[${i}] must be ${domain?.code}`);
    const covered = new Set(d.prompts.flatMap((p) => p.criteria));
    for (const c of domain?.criteria ?? []) if (!covered.has(c.code)) problems.push(`${d.domain}: no prompt covers ${c.code}`);
    for (const p of d.prompts) {
      if (!p.id.startsWith(`${d.domain}-`)) problems.push(`${p.id} is listed under ${d.domain}`);
      for (const c of p.criteria) if (!c.startsWith(`${d.domain}.`)) problems.push(`${p.id}: ${c} is not a criterion of ${d.domain}`);
    }
  });
  const ids = guide.domains.flatMap((d) => d.prompts.map((p) => p.id));
  if (new Set(ids).size !== ids.length) problems.push('prompt ids must be unique');
  const minutes = guide.domains.reduce((n, d) => n + d.minutes, 0);
  if (minutes > guide.durationMinutes) problems.push(`domain minutes (${minutes}) exceed the interview (${guide.durationMinutes})`);
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return guide;
}
