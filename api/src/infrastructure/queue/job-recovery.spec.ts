import { JobName } from './job-names';
import { isFinalFailure, isOutboxId, shouldAlert } from './job-recovery';

describe('job recovery rules', () => {
  it('alerts admins on the first failure and then on every fifth, never about a failed alert', () => {
    const alerted = Array.from({ length: 20 }, (_, i) => i + 1).filter((n) => shouldAlert(JobName.IssueCertificate, n));
    expect(alerted).toEqual([1, 5, 10, 15, 20]);
    expect(shouldAlert(JobName.AlertJobFailed, 1)).toBe(false);
    expect(shouldAlert(JobName.AlertJobFailed, 5)).toBe(false);
  });

  it('takes only outbox ids (UUIDs) for rows, not periodic scheduler job ids', () => {
    expect(isOutboxId('8d0c7f4e-3b1a-4c9e-9f3e-2a6b5c4d3e2f')).toBe(true);
    expect(isOutboxId('repeat:expire-overdue-attempts:1765929600000')).toBe(false);
    expect(isOutboxId(undefined)).toBe(false);
  });

  it('counts a failure as final only when BullMQ finished the job or no attempt is left', () => {
    const opts = { attempts: 8 };
    expect(isFinalFailure({ finishedOn: undefined, attemptsMade: 3, opts })).toBe(false);
    expect(isFinalFailure({ finishedOn: undefined, attemptsMade: 8, opts })).toBe(true);
    // Stalled too often: failed at once, whatever attempts remain.
    expect(isFinalFailure({ finishedOn: Date.now(), attemptsMade: 1, opts })).toBe(true);
    expect(isFinalFailure({ finishedOn: undefined, attemptsMade: 1, opts: {} })).toBe(true);
  });
});
