import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import type { CredentialCode } from '../programme/credentials';

/** What earned a credential: an AIDA attempt, a CPAP portfolio decision or a CPAA panel decision. */
export type CredentialSource = 'aida_attempt' | 'portfolio_submission' | 'panel_interview';

/**
 * The certificates module's door for the modules that decide a pass: they record the pass in their
 * own transaction through here, and the certificate follows through the outbox. credential_events
 * belongs to this module; no other module writes it.
 */
@Injectable()
export class CredentialEvents {
  constructor(private readonly outbox: OutboxService) {}

  /** Once per source (a unique constraint): a repeat records nothing and queues nothing. */
  async recordPass(
    tx: EntityManager,
    pass: { userId: string; credential: CredentialCode; sourceType: CredentialSource; sourceId: string },
  ): Promise<void> {
    const event = await typed(tx)
      .insertInto('credentialEvents')
      .values({ userId: pass.userId, credential: pass.credential, kind: 'passed', sourceType: pass.sourceType, sourceId: pass.sourceId })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (event) await this.outbox.enqueue(tx, JobName.IssueCertificate, { credentialEventId: event.id });
  }

  /**
   * Passes whose certificate was withheld because the holder's address was not confirmed yet: queued
   * again when it is (called in the transaction that confirms it, after the users row is updated).
   */
  async issueWithheld(tx: EntityManager, userId: string): Promise<number> {
    const pending = await typed(tx)
      .selectFrom('credentialEvents as e')
      .select('e.id')
      .where('e.userId', '=', userId)
      .where('e.kind', '=', 'passed')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('certificates as c')
              .select('c.id')
              .whereRef('c.sourceType', '=', 'e.sourceType')
              .whereRef('c.sourceId', '=', 'e.sourceId'),
          ),
        ),
      )
      .execute();
    for (const event of pending) await this.outbox.enqueue(tx, JobName.IssueCertificate, { credentialEventId: event.id });
    return pending.length;
  }
}
