import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { newCertificateNumber } from './certificate-number';
import { type Certificate, type CredentialEventRef, CertificatesRepository } from './certificates.repository';
import { REISSUE_SOURCE, REMINDER_DAYS_BEFORE, CertificatesService } from './certificates.service';
import { DECISION_CHANGED } from './certificate-status.service';
import { getBit, setBit, STATUS_LIST_BITS } from './open-badge';

/**
 * Re-issue under a new name (an approved name change, issue #13). The choice, written down:
 *
 * - Each certificate that is active and within its validity gets a successor: a new number, a new
 *   status-list slot and a newly signed credential naming the holder as they are now, with the SAME
 *   issue and expiry dates (the achievement did not happen again, so the validity period does not restart).
 * - The old certificate is revoked with reason 'superseded' and points at its successor: its bit is
 *   set in the revocation status list (the published list has only the purpose "revocation"), so a
 *   verifier holding the old badge sees it revoked; the public verification answer carries
 *   `supersededBy`, so people checking the old number read "superseded by <new number>", not
 *   "revoked for cause". The public status enum stays the contract's four values.
 * - Suspended, revoked and expired certificates are left as they are: they are not re-issued.
 *
 * Idempotent: the successor's source is (certificate_reissue, old id), unique like every source, and
 * the old row is locked and re-checked, so a redelivered job changes nothing twice.
 */
@Injectable()
export class CertificateReissueService {
  private readonly logger = new Logger(CertificateReissueService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly certificates: CertificatesRepository,
    private readonly certificatesService: CertificatesService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** Returns the successors made by this run. */
  async reissueForNameChange(userId: string, nameChangeRequestId: string): Promise<Certificate[]> {
    const holder = await this.certificates.holder(userId);
    if (!holder) return [];
    const made: Certificate[] = [];
    for (const c of await this.certificates.activeForUser(userId)) {
      if (c.holderName === holder.fullName) continue;
      const successor = await this.reissueWithFreshNumber(c.id, holder.fullName, nameChangeRequestId);
      if (successor) made.push(successor);
    }
    // Artefacts after the commits (signing and the PDF are slow); a run that crashed before them finishes them here.
    for (const c of await this.certificates.activeForUser(userId)) {
      if (c.sourceType === REISSUE_SOURCE && (!c.credentialJwt || !c.pdfFile)) await this.certificatesService.ensureArtifacts(c);
    }
    for (const c of made) await this.certificatesService.ensureArtifacts((await this.certificates.findById(c.id))!);
    return made;
  }

  /**
   * A pass that stands again after a decision changed to fail had withdrawn it (an appeal upheld, an override
   * undone): its certificate was revoked for the changed decision, and a revocation is final (the status-list
   * bit stays set), so the pass gets a successor, as a name change does: a new number and credential with the
   * SAME issue and expiry dates (the achievement is the original one), naming the holder as they are now. The
   * revoked one points at it (`supersededBy`), so its public record reads "superseded by <new number>", and a
   * later change to fail revokes the successor too (CertificateStatusService walks the chain).
   * Nothing happens when the newest certificate of the pass is active, suspended, revoked for another reason (a
   * revocation for cause stands), or past its expiry, nor while the holder is deactivated.
   * Idempotent like every re-issue: the successor's source is (certificate_reissue, revoked id).
   */
  async reissueForReinstatedPass(credentialEventId: string): Promise<Certificate | null> {
    const event = await this.certificates.credentialEvent(credentialEventId);
    if (!event) return null;
    const successor = await this.withFreshNumber(`for pass ${credentialEventId}`, (tx) => this.succeedRevoked(tx, event));
    if (successor) await this.certificatesService.ensureArtifacts((await this.certificates.findById(successor.id))!);
    return successor;
  }

  /** The reinstated pass's successor, in `tx`, when its newest certificate is one a changed decision revoked. */
  private async succeedRevoked(tx: EntityManager, event: CredentialEventRef): Promise<Certificate | null> {
    if (!(await this.certificates.passStands(tx, event.id))) return null;
    let newest = await this.certificates.findBySource(event.sourceType, event.sourceId, tx);
    while (newest?.supersededBy) newest = await this.certificates.findById(newest.supersededBy, tx);
    const revoked = newest && (await this.certificates.findByIdForUpdate(tx, newest.id));
    if (!revoked || revoked.status !== 'revoked' || revoked.statusReason !== DECISION_CHANGED || revoked.supersededBy) return null;
    if (revoked.expiresAt.getTime() <= Date.now() || (await this.certificates.holderBarred(tx, event.userId))) return null;
    const holder = await this.certificates.holder(event.userId);
    if (!holder) return null;
    const why = { reason: 'pass_reinstated', credentialEventId: event.id };
    const made = await this.makeSuccessor(tx, revoked, holder.fullName, why);
    if (!made) return null;
    await this.certificates.markSuperseded(tx, revoked.id, made.id);
    await this.audit.append(tx, {
      actorId: null,
      action: 'certificate.superseded',
      subjectType: 'certificate',
      subjectId: revoked.id,
      data: { number: revoked.number, supersededBy: made.number, ...why },
    });
    return made;
  }

  private reissueWithFreshNumber(oldId: string, holderName: string, requestId: string): Promise<Certificate | null> {
    return this.withFreshNumber(oldId, (tx) => this.reissueOne(tx, oldId, holderName, requestId));
  }

  /** Runs `issue` in a transaction, again with another number drawn after a collision (a unique violation), five times at most. */
  private async withFreshNumber(what: string, issue: (tx: EntityManager) => Promise<Certificate | null>): Promise<Certificate | null> {
    for (let tries = 0; tries < 5; tries++) {
      try {
        return await this.dataSource.transaction(issue);
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error; // a number collision: draw another
        this.logger.warn(`certificate number collision re-issuing ${what}; drawing another`);
      }
    }
    throw new Error(`could not re-issue ${what}`);
  }

  private async reissueOne(tx: EntityManager, oldId: string, holderName: string, requestId: string): Promise<Certificate | null> {
    const old = await this.certificates.findByIdForUpdate(tx, oldId);
    // Re-checked under the lock: suspended, revoked or expired meanwhile, or re-issued by another run.
    if (!old || old.status !== 'active' || old.supersededBy || old.expiresAt.getTime() <= Date.now() || old.holderName === holderName) {
      return null;
    }
    const successor = await this.makeSuccessor(tx, old, holderName, { nameChangeRequestId: requestId });
    if (!successor) return null;
    await this.certificates.markSuperseded(tx, old.id, successor.id);
    const bit = await this.setRevocationBit(tx, old);
    await this.audit.append(tx, {
      actorId: null,
      action: 'certificate.superseded',
      subjectType: 'certificate',
      subjectId: old.id,
      data: { number: old.number, supersededBy: successor.number, nameChangeRequestId: requestId, statusBit: bit },
    });
    return successor;
  }

  /**
   * The successor of `old` (locked by the caller): a new number and status-list slot, the same dates, issued
   * (audited, with `why`) and its expiry reminders queued. Null when `old` already has one.
   */
  private async makeSuccessor(
    tx: EntityManager,
    old: Certificate,
    holderName: string,
    why: Record<string, unknown>,
  ): Promise<Certificate | null> {
    const slot = await this.certificates.allocateStatusSlot(tx, STATUS_LIST_BITS);
    const successor = await this.certificates.insertReissue(tx, {
      number: newCertificateNumber(),
      userId: old.userId,
      credential: old.credential,
      sourceType: REISSUE_SOURCE,
      sourceId: old.id,
      holderName,
      psfVersion: old.psfVersion,
      statusListId: slot.listId,
      statusListIndex: slot.index,
      issuedAt: old.issuedAt,
      expiresAt: old.expiresAt,
    });
    if (!successor) return null;
    await this.audit.append(tx, {
      actorId: null,
      action: 'certificate.issued',
      subjectType: 'certificate',
      subjectId: successor.id,
      data: {
        number: successor.number,
        credential: successor.credential,
        source: `${REISSUE_SOURCE}:${old.id}`,
        supersedes: old.number,
        ...why,
      },
    });
    for (const daysBefore of REMINDER_DAYS_BEFORE) {
      const runAt = new Date(successor.expiresAt.getTime() - daysBefore * 86_400_000);
      if (runAt.getTime() > Date.now()) {
        await this.outbox.enqueue(tx, JobName.CertificateExpiryReminder, { certificateId: successor.id, daysBefore }, { runAt });
      }
    }
    return successor;
  }

  /** The old credential's bit, set in the same transaction; the next request for the list signs it (StatusListService). */
  private async setRevocationBit(tx: EntityManager, old: Certificate): Promise<boolean> {
    const list = await this.certificates.lockStatusList(tx, old.statusListId);
    if (!list) throw new Error('status list missing');
    const bits = setBit(list.bits, old.statusListIndex, true);
    await this.certificates.saveStatusList(tx, old.statusListId, bits);
    return getBit(bits, old.statusListIndex);
  }
}
