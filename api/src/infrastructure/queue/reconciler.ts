import { SetMetadata } from '@nestjs/common';

export const RECONCILER = 'psf:reconciler';

/**
 * A module's answer to "is every effect my records promise done, or on its way?". PostgreSQL is the system
 * of record, so each promised effect (a certificate for a pass, a closed attempt past its deadline, a
 * reminder for a booking…) can be derived from the module's own tables; what is missing is queued again
 * through the outbox, in the module's own transaction, exactly as the original producer queued it.
 *
 * Rules for an implementation:
 * - idempotent and cheap enough to run every minute (indexed queries, bounded batches);
 * - it looks only at records old enough that their job should already have run (a grace period), so it
 *   never races the normal path;
 * - it never queues again what still has an open outbox row (`OutboxService.hasOpen`): the outbox
 *   reconciler owns lost and failed jobs, a module reconciler owns effects no row promises any more;
 * - it returns how many effects it queued again (0 when all is well), and writes only its module's tables
 *   and the outbox.
 */
export interface ReconcilerInstance {
  /** Short and stable: the key under which reconcile_runs.requeued records its count ("certificates.passes"). */
  readonly name: string;
  reconcile(now: Date): Promise<number>;
}

/** Marks a provider as a module reconciler; pair it with `implements ReconcilerInstance`. The worker runs every one. */
export const Reconciler = () => SetMetadata(RECONCILER, true);
