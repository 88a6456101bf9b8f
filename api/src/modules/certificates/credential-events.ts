import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import type { CredentialCode } from '../programme/credentials';
import { CertificateStatusService } from './certificate-status.service';
import { WITHDRAWN } from './certificates.repository';

/** What earned a credential: an AIDA attempt, a CPAP portfolio decision or a CPAA panel decision. */
export type CredentialSource = 'aida_attempt' | 'portfolio_submission' | 'panel_interview';

/**
 * The certificates module's door for the modules that decide a pass: they record the pass in their
 * own transaction through here, and the certificate follows through the outbox. credential_events
 * belongs to this module; no other module writes it.
 */
@Injectable()
export class CredentialEvents {
  constructor(
    private readonly outbox: OutboxService,
    private readonly status: CertificateStatusService,
  ) {}

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
    if (event) {
      await this.outbox.enqueue(tx, JobName.IssueCertificate, { credentialEventId: event.id });
      return;
    }
    // Passed again after a decision changed to fail had withdrawn it: the pass stands again, and the job issues
    // its certificate if none was issued, or a successor of the one the change revoked (revocation is final).
    const restored = await typed(tx)
      .deleteFrom('credentialEvents')
      .where('sourceType', '=', pass.sourceType)
      .where('sourceId', '=', pass.sourceId)
      .where('kind', '=', WITHDRAWN)
      .returning('id')
      .executeTakeFirst();
    if (!restored) return;
    const passed = await typed(tx)
      .selectFrom('credentialEvents')
      .select('id')
      .where('sourceType', '=', pass.sourceType)
      .where('sourceId', '=', pass.sourceId)
      .where('kind', '=', 'passed')
      .executeTakeFirst();
    if (passed) await this.outbox.enqueue(tx, JobName.IssueCertificate, { credentialEventId: passed.id });
  }

  /**
   * Architecture invariant 12: a decision changed from pass to fail withdraws the pass, in the transaction
   * that changes the decision. Its certificate is revoked now (reason 'decision_changed', audited with the
   * decision); one not issued yet never will be (the issuing job reads the withdrawal under the same lock).
   * Returns the certificate numbers revoked. Nothing happens when the source never passed.
   */
  async withdrawPass(
    tx: EntityManager,
    change: { sourceType: CredentialSource; sourceId: string; actorId: string | null; decision: Record<string, unknown> },
  ): Promise<string[]> {
    // For update: an issuing run holds it for share while it creates the certificate, so the two take turns.
    const pass = await typed(tx)
      .selectFrom('credentialEvents')
      .select(['userId', 'credential'])
      .where('sourceType', '=', change.sourceType)
      .where('sourceId', '=', change.sourceId)
      .where('kind', '=', 'passed')
      .forUpdate()
      .executeTakeFirst();
    if (!pass) return [];
    await typed(tx)
      .insertInto('credentialEvents')
      .values({
        userId: pass.userId,
        credential: pass.credential,
        kind: WITHDRAWN,
        sourceType: change.sourceType,
        sourceId: change.sourceId,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return this.status.revokeForChangedDecision(
      tx,
      { sourceType: change.sourceType, sourceId: change.sourceId },
      { actorId: change.actorId, decision: { source: `${change.sourceType}:${change.sourceId}`, ...change.decision } },
    );
  }

  /**
   * Passes whose certificate was withheld because the holder's address was not confirmed yet, or because the
   * account was deactivated: queued again when the address is confirmed (in the transaction that confirms it,
   * after the users row is updated) or the account reactivated (IssueWithheldCertificates job).
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
