import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { SigningKeys } from '../../infrastructure/signing/signing-keys';
import { AuditService } from '../audit/audit.service';
import { IndependenceService } from '../independence/independence.service';
import { certificateLifecycle, type CertificateState } from './certificate-lifecycle';
import { checkCertificateNumber } from './certificate-number';
import { type Certificate, type CertificateFilter, CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';
import { AdminCertificateDto, AdminCertificateRowDto, AdminCertificatesPageDto, AdminCertificatesQueryDto } from './dto/certificate.dto';
import { CSV_EXPORT_CAP, toCsv } from '../../common/lists/csv';
import { dayRange, pageRequest, utcDay } from '../../common/lists/list-query';
import { getBit, setBit, statusListCredential } from './open-badge';

/** statusReason of a certificate revoked because the decision that issued it was changed to fail. */
export const DECISION_CHANGED = 'decision_changed';

function certificateFilterOf(q: AdminCertificatesQueryDto): CertificateFilter {
  const issued = dayRange(q.issuedFrom, q.issuedTo, ['issuedFrom', 'issuedTo']);
  const sort = q.sort ?? 'issuedAt';
  return {
    query: q.query,
    credential: q.credential,
    status: q.status,
    issuedFrom: issued.start,
    issuedBefore: issued.end,
    expiringBefore: q.expiringBefore ? utcDay(q.expiringBefore, 'expiringBefore') : undefined,
    sort,
    order: q.order ?? (sort === 'issuedAt' ? 'desc' : 'asc'),
  };
}

/** The administrator's side of a certificate: look it up, and revoke, suspend or reinstate it. */
@Injectable()
export class CertificateStatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly certificatesService: CertificatesService,
    private readonly keys: SigningKeys,
    private readonly audit: AuditService,
    private readonly independence: IndependenceService,
  ) {}

  async adminFind(typed: string): Promise<AdminCertificateDto> {
    const c = await this.certificatesService.findByTypedNumber(typed);
    return { ...(await this.certificatesService.toDtoWithSuccessor(c)), statusReason: c.statusReason, statusListIndex: c.statusListIndex };
  }

  async search(q: AdminCertificatesQueryDto): Promise<AdminCertificatesPageDto> {
    const { page, pageSize, offset } = pageRequest(q);
    const { rows, total } = await this.certificates.search(certificateFilterOf(q), { limit: pageSize, offset });
    return { items: await this.rowsOf(rows), total, page, pageSize };
  }

  /** The filtered certificates as CSV (every page, up to CSV_EXPORT_CAP rows), in the list's order. */
  async exportCsv(q: AdminCertificatesQueryDto): Promise<string> {
    const { rows } = await this.certificates.search(certificateFilterOf(q), { limit: CSV_EXPORT_CAP, offset: 0 });
    return toCsv([
      ['number', 'credential', 'holder', 'email', 'status', 'status_reason', 'issued_at', 'expires_at', 'superseded_by', 'verify_url'],
      ...(await this.rowsOf(rows)).map((c) => [
        c.number,
        c.credential.code,
        c.holderName,
        c.holderEmail,
        c.status,
        c.statusReason,
        c.issuedAt,
        c.expiresAt,
        c.supersededBy,
        c.verifyUrl,
      ]),
    ]);
  }

  private async rowsOf(rows: Array<Certificate & { holderEmail: string | null }>): Promise<AdminCertificateRowDto[]> {
    const successors = await this.certificatesService.successorNumbers(rows);
    return rows.map((c) => ({
      ...this.certificatesService.toDto(c, successors.get(c.supersededBy ?? '') ?? null),
      statusReason: c.statusReason,
      statusListIndex: c.statusListIndex,
      holderId: c.userId,
      holderEmail: c.holderEmail,
    }));
  }

  private toAdminDto(c: Certificate): AdminCertificateDto {
    return { ...this.certificatesService.toDto(c), statusReason: c.statusReason, statusListIndex: c.statusListIndex };
  }

  /**
   * Revoke, suspend or reinstate: status, status-list bit and a freshly signed list in one transaction, audited.
   * Only an administrator independent of the holder's case may (invariant 11); revocation is final (invariant 12).
   */
  async changeStatus(actor: AuthUser, typed: string, to: CertificateState, reason: string | null): Promise<AdminCertificateDto> {
    const check = checkCertificateNumber(typed);
    if (!check.ok) throw new NotFoundException('No certificate has this number');
    const updated = await this.dataSource.transaction(async (tx) => {
      const c = await this.certificates.findByNumber(check.number, tx, true);
      if (!c) throw new NotFoundException('No certificate has this number');
      await this.independence.assertIndependent(tx, actor.id, c.userId);
      if (c.status === to) throw new ConflictException(`The certificate is already ${to}`);
      if (to !== 'active' && !reason?.trim()) throw new BadRequestException('reason is required');
      // Before the status list is locked and re-signed: a refused move (revocation is final) signs nothing.
      certificateLifecycle.assert(certificateLifecycle.parse(c.status), to);
      await this.apply(tx, c, to, reason, actor.id, {});
      return (await this.certificates.findById(c.id, tx))!;
    });
    return this.toAdminDto(updated);
  }

  /**
   * Invariant 12: a decision changed to fail revokes the certificate it issued, in the caller's transaction
   * (the one that changes the decision), audited with the decision. A certificate re-issued in its place
   * (a name change) is revoked with it. Returns the numbers revoked now (none: not issued yet, or revoked already).
   */
  async revokeForChangedDecision(
    tx: EntityManager,
    source: { sourceType: string; sourceId: string },
    change: { actorId: string | null; decision: Record<string, unknown> },
  ): Promise<string[]> {
    const revoked: string[] = [];
    const first = await this.certificates.findBySource(source.sourceType, source.sourceId, tx);
    let next = first?.id ?? null;
    while (next) {
      const c = await this.certificates.findByIdForUpdate(tx, next);
      if (!c) break;
      if (c.status !== 'revoked') {
        await this.apply(tx, c, 'revoked', DECISION_CHANGED, change.actorId, { decision: change.decision });
        revoked.push(c.number);
      }
      next = c.supersededBy;
    }
    return revoked;
  }

  /** The status, the certificate's status-list bit and a freshly signed list, in `tx`, audited. The move is checked by the caller. */
  private async apply(
    tx: EntityManager,
    c: Certificate,
    to: CertificateState,
    reason: string | null,
    actorId: string | null,
    extra: Record<string, unknown>,
  ): Promise<void> {
    const list = await this.certificates.lockStatusList(tx, c.statusListId);
    if (!list) throw new Error('status list missing');
    const bits = setBit(list.bits, c.statusListIndex, to !== 'active');
    const jwt = await this.keys.signVcJwt(statusListCredential(this.config.publicUrl, c.statusListId, bits));
    await this.certificates.saveStatusList(tx, c.statusListId, bits, jwt);
    await this.certificates.setStatus(tx, c.id, to, reason);
    await this.audit.append(tx, {
      actorId,
      action: to === 'active' ? 'certificate.reinstated' : `certificate.${to}`,
      subjectType: 'certificate',
      subjectId: c.id,
      data: { number: c.number, from: c.status, to, reason, statusBit: getBit(bits, c.statusListIndex), ...extra },
    });
  }
}
