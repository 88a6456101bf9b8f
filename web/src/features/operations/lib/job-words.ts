/**
 * The jobs page in words: job names, ids and what a reconciliation pass found, said the way an
 * administrator would say them ("3 certificates re-queued"), never as raw keys or colours alone.
 */

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What each reconciler's count means (the keys of a run's `requeued`); an unknown key is still reported. */
const REQUEUED: Record<string, (n: number) => string> = {
  'outbox.lost': (n) => `${count(n, 'lost job', 'lost jobs')} put back in Redis`,
  'outbox.retried': (n) => `${count(n, 'failed job', 'failed jobs')} retried`,
  'certificates.passes': (n) => `${count(n, 'certificate', 'certificates')} re-queued`,
  'certificates.expiry-reminders': (n) => `${count(n, 'certificate expiry reminder', 'certificate expiry reminders')} re-queued`,
  'exams.overdue-attempts': (n) => `${count(n, 'attempt deadline', 'attempt deadlines')} re-queued`,
  'panels.reminders': (n) => `${count(n, 'panel reminder', 'panel reminders')} re-queued`,
  'panels.stage': (n) => `${count(n, 'CPAA panel stage', 'CPAA panel stages')} re-queued`,
  'reviews.offers': (n) => `${count(n, 'review offer', 'review offers')} re-queued`,
};

/** "send-welcome-email" → "Send welcome email". */
export function jobLabel(jobName: string): string {
  const words = jobName.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A payload's ids as label and value: "nameChangeRequestId" → "name change request". */
export function idEntries(payloadIds: Record<string, string>): Array<{ label: string; value: string }> {
  return Object.entries(payloadIds).map(([key, value]) => ({
    label: key
      .replace(/Id$/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase(),
    value,
  }));
}

/** What one pass queued again, one phrase per reconciler that found something. */
export function requeuedPhrases(requeued: Record<string, number>): string[] {
  return Object.entries(requeued)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => REQUEUED[key]?.(n) ?? `${n} re-queued by ${key}`);
}

/** One sentence for a pass: whether Redis had lost its data, and what was queued again. */
export function runFindings(run: { redisReset: boolean; requeued: Record<string, number> }): string {
  const found = requeuedPhrases(run.requeued);
  const parts = [...(run.redisReset ? ['Redis had lost its data'] : []), ...(found.length ? found : ['nothing was missing'])];
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

export function triggerText(trigger: 'start' | 'schedule' | 'admin'): string {
  return { start: 'Worker start', schedule: 'Scheduled', admin: 'An administrator' }[trigger];
}

/** The outcome of "Reconcile now", for the status message. */
export function reconcileOutcome(result: { redisReset: boolean; requeued: Record<string, number>; error: string | null }): string {
  const findings = runFindings(result);
  return result.error ? `Reconciliation stopped short: ${result.error}. ${findings}` : `Reconciliation done. ${findings}`;
}
