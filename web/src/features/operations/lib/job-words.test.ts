import { describe, expect, it } from 'vitest';
import { idEntries, jobLabel, reconcileOutcome, requeuedPhrases, runFindings, triggerText } from './job-words';

describe('jobs page words', () => {
  it('turns a job name into words', () => {
    expect(jobLabel('send-welcome-email')).toBe('Send welcome email');
    expect(jobLabel('issue-certificate')).toBe('Issue certificate');
  });

  it('labels payload ids by what they name', () => {
    expect(idEntries({ userId: 'u-1', nameChangeRequestId: 'n-2' })).toEqual([
      { label: 'user', value: 'u-1' },
      { label: 'name change request', value: 'n-2' },
    ]);
  });

  it('says what a pass re-queued, in the singular and the plural, skipping zeros and naming unknown reconcilers', () => {
    expect(requeuedPhrases({ 'certificates.passes': 3, 'outbox.lost': 1, 'panels.reminders': 0, 'audit.gaps': 2 })).toEqual([
      '3 certificates re-queued',
      '1 lost job put back in Redis',
      '2 re-queued by audit.gaps',
    ]);
  });

  it('says when Redis had lost its data, and when nothing was missing', () => {
    expect(runFindings({ redisReset: true, requeued: { 'outbox.lost': 4 } })).toBe(
      'Redis had lost its data; 4 lost jobs put back in Redis.',
    );
    expect(runFindings({ redisReset: false, requeued: {} })).toBe('Nothing was missing.');
    expect(runFindings({ redisReset: false, requeued: { 'certificates.passes': 0 } })).toBe('Nothing was missing.');
  });

  it('names who started a pass', () => {
    expect(triggerText('start')).toBe('Worker start');
    expect(triggerText('schedule')).toBe('Scheduled');
    expect(triggerText('admin')).toBe('An administrator');
  });

  it('reports a pass that stopped short with its error', () => {
    expect(reconcileOutcome({ redisReset: false, requeued: { 'reviews.offers': 1 }, error: null })).toBe(
      'Reconciliation done. 1 review offer re-queued.',
    );
    expect(reconcileOutcome({ redisReset: false, requeued: {}, error: 'panels.reminders: connection refused' })).toBe(
      'Reconciliation stopped short: panels.reminders: connection refused. Nothing was missing.',
    );
  });
});
