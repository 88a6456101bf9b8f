import type { ZodError } from 'zod';

/** "path.to.field: message; …" — how a programme file's shape problems are reported at boot. */
export function formatZodIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
}
