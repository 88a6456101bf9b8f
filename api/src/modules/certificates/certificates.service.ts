import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { SigningKeys } from '../../infrastructure/signing/signing-keys';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../notifications/mail.service';
import { Credential } from '../programme/credentials';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { effectiveCertificateStatus } from './certificate-lifecycle';
import { checkCertificateNumber, newCertificateNumber } from './certificate-number';
import { renderCertificatePdf } from './certificate-pdf';
import { type Certificate, CertificatesRepository, type CredentialEventRef } from './certificates.repository';
import { CertificateDto, CertificateStatus, PublicCertificateDto } from './dto/certificate.dto';
import {
  achievement,
  type AchievementInput,
  badgeImageUrl,
  credentialUrl,
  issuerProfile,
  OB_CONTEXT,
  openBadgeCredential,
  STATUS_LIST_BITS,
  VC_CONTEXT,
  verifyUrl,
} from './open-badge';
import { badgePng, badgeSvg } from './badge-image';

export const REMINDER_DAYS_BEFORE = [60, 14];
/** source_type of a certificate re-issued in place of another (source_id: the one it replaces). */
export const REISSUE_SOURCE = 'certificate_reissue';

class AlreadyIssued extends Error {}
class PassWithdrawn extends Error {}

@Injectable()
export class CertificatesService {
  /** Badge PNGs by certification code: rendered once per process. */
  private readonly pngs = new Map<string, Buffer>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly keys: SigningKeys,
    private readonly storage: FileStorage,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  /**
   * The one entry point for issuing (AIDA passes now, CPAP/CPAA decisions later): idempotent per
   * source thanks to the unique constraint; re-running it finishes any artefact a crash left undone.
   */
  async issueForEvent(credentialEventId: string): Promise<Certificate | null> {
    const event = await this.certificates.credentialEvent(credentialEventId);
    if (!event) return null;
    let certificate = await this.certificates.findBySource(event.sourceType, event.sourceId);
    if (!certificate && !(await this.holderMayReceive(event))) return null;
    let withdrawn = false;
    for (let tries = 0; !certificate && !withdrawn && tries < 5; tries++) {
      certificate = await this.createCertificate(event).catch((error) => {
        if (error instanceof AlreadyIssued) return null;
        if (error instanceof PassWithdrawn) {
          withdrawn = true;
          return null;
        }
        if ((error as { code?: string }).code === '23505') return null; // number collision: draw another
        throw error;
      });
      certificate ??= await this.certificates.findBySource(event.sourceType, event.sourceId);
    }
    if (!certificate && withdrawn) return null;
    if (!certificate) throw new Error(`could not issue a certificate for event ${credentialEventId}`);
    await this.ensureArtifacts(certificate);
    return this.certificates.findById(certificate.id);
  }

  /**
   * Architecture invariant 12: a credential names a verified person (its identity hash is of the
   * address). Until the holder confirms it, the pass waits (audited); confirming queues it again
   * (CredentialEvents.issueWithheld). A deactivated account receives nothing either (audited), nor a deleted
   * one, ever (a pass recorded before the deletion whose job runs after it), and a pass whose decision has
   * since been changed to fail issues nothing (that change was audited).
   */
  private async holderMayReceive(event: CredentialEventRef): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.certificates.passStands(tx, event.id))) return false;
      const barred = await this.certificates.holderBarred(tx, event.userId);
      if (!barred && (await this.certificates.holderVerified(tx, event.userId))) return true;
      await this.audit.append(tx, {
        actorId: null,
        action: 'certificate.withheld',
        subjectType: 'user',
        subjectId: event.userId,
        data: {
          credentialEventId: event.id,
          credential: event.credential,
          reason: barred ?? 'email_unverified',
        },
      });
      return false;
    });
  }

  private async createCertificate(event: CredentialEventRef) {
    return this.dataSource.transaction(async (tx) => {
      // Re-read under a share lock on the pass: a decision changed to fail since withdraws it (waiting for this transaction).
      if (!(await this.certificates.passStands(tx, event.id))) throw new PassWithdrawn();
      const holder = await this.certificates.holder(event.userId);
      if (!holder) throw new Error(`no user ${event.userId}`);
      const slot = await this.certificates.allocateStatusSlot(tx, STATUS_LIST_BITS);
      const created = await this.certificates.insert(tx, {
        number: newCertificateNumber(),
        userId: event.userId,
        credential: event.credential,
        sourceType: event.sourceType,
        sourceId: event.sourceId,
        holderName: holder.fullName,
        psfVersion: this.programme.framework.version,
        statusListId: slot.listId,
        statusListIndex: slot.index,
        validityDays: this.credential(event.credential).validityDays,
      });
      if (!created) throw new AlreadyIssued(); // another run issued it first; roll back this run's status slot
      await this.audit.append(tx, {
        actorId: null,
        action: 'certificate.issued',
        subjectType: 'certificate',
        subjectId: created.id,
        data: { number: created.number, credential: created.credential, source: `${created.sourceType}:${created.sourceId}` },
      });
      for (const daysBefore of REMINDER_DAYS_BEFORE) {
        const runAt = new Date(created.expiresAt.getTime() - daysBefore * 86_400_000);
        if (runAt.getTime() > Date.now()) {
          await this.outbox.enqueue(tx, JobName.CertificateExpiryReminder, { certificateId: created.id, daysBefore }, { runAt });
        }
      }
      return created;
    });
  }

  /** Signed credential, PDF and the holder's e-mail: each done once, each safe to redo. */
  async ensureArtifacts(c: Certificate): Promise<void> {
    const holder = await this.certificates.holder(c.userId);
    if (!holder) return;
    if (!c.credentialJwt) {
      const jwt = await this.keys.signVcJwt(
        openBadgeCredential({
          ...this.achievementInput(c.credential, c.psfVersion),
          number: c.number,
          holderEmail: holder.email,
          holderId: c.userId,
          issuedAt: c.issuedAt,
          expiresAt: c.expiresAt,
          statusListId: c.statusListId,
          statusListIndex: c.statusListIndex,
        }),
      );
      await this.certificates.saveArtifacts(c.id, { credentialJwt: jwt });
    }
    await this.ensurePdf(c);
    await this.mail.send({
      dedupeKey: `certificate-issued:${c.id}`,
      template: 'certificate-issued',
      to: holder.email,
      subject: `Your ${c.credential} certificate ${c.number}`,
      text: [
        `Hello ${c.holderName},`,
        '',
        c.sourceType === REISSUE_SOURCE
          ? `Your ${this.credential(c.credential).name} certificate has been re-issued under your new name, with the same dates. ` +
            'It replaces your earlier certificate, whose number now shows as superseded.'
          : `Congratulations: your ${this.credential(c.credential).name} certificate has been issued.`,
        `Certificate number: ${c.number}`,
        `Anyone can verify it at ${verifyUrl(this.config.publicUrl, c.number)}`,
        `Your certificate PDF and signed Open Badge are under "My certificates" at ${this.config.publicUrl}/candidate/certificates.`,
        '',
        this.programme.framework.attribution,
      ].join('\n'),
    });
  }

  /** The PDF is regenerated only when what it shows changes (its input hash). */
  private async ensurePdf(c: Certificate): Promise<Buffer> {
    const input = {
      holderName: c.holderName,
      credentialCode: c.credential,
      credentialName: this.credential(c.credential).name,
      number: c.number,
      issuedAt: c.issuedAt,
      expiresAt: c.expiresAt,
      verifyUrl: verifyUrl(this.config.publicUrl, c.number),
      issuerName: this.config.issuerName,
      signatory: this.config.issuerSignatory,
      psfVersion: c.psfVersion,
      badgeSvg: this.badgeImage(c.credential),
      attribution: this.programme.framework.attribution,
    };
    const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    if (c.pdfFile && c.pdfHash === hash) {
      const stored = await this.storage.get(c.pdfFile);
      if (stored) return stored;
    }
    const pdf = await renderCertificatePdf(input);
    const key = `certificates/${c.id}.pdf`;
    await this.storage.put(key, pdf);
    await this.certificates.saveArtifacts(c.id, { pdfFile: key, pdfHash: hash });
    return pdf;
  }

  credential(code: string): Credential {
    return this.programme.credential(code);
  }

  /** The issuer's OB 3.0 Profile, served at the credentials' issuer.id. */
  issuerDocument(): Record<string, unknown> {
    const f = this.programme.framework;
    return {
      '@context': [VC_CONTEXT, OB_CONTEXT],
      ...issuerProfile(this.config.publicUrl, this.config.issuerName),
      description: `Certification body for the ${f.title} (${f.code} v${f.version}). ${f.attribution}`,
    };
  }

  /** The OB 3.0 Achievement of a certification (served at credentialSubject.achievement.id); 404 for unknown codes. */
  achievementDocument(code: string): Record<string, unknown> {
    return { '@context': [VC_CONTEXT, OB_CONTEXT], ...achievement(this.achievementInput(code)) };
  }

  /** The badge image of a certification (the credential's `image`), as SVG. */
  badgeImage(code: string): string {
    const a = this.achievementInput(code);
    return badgeSvg({ code: a.credentialCode, name: a.credentialName, framework: `PSF v${a.psfVersion}`, issuerName: a.issuerName });
  }

  /** The same badge as PNG, for link previews (rendered once per certification and process). */
  badgeImagePng(code: string): Buffer {
    const svg = this.badgeImage(code);
    let png = this.pngs.get(code);
    if (!png) this.pngs.set(code, (png = badgePng(svg)));
    return png;
  }

  /**
   * The <head> tags of the page /verify/:number as the server sends it, so that a link shared on LinkedIn or
   * in a chat previews the badge, the holder and the verdict without running the SPA; 404 for numbers that do
   * not exist (the page says so too).
   */
  async verifyPageHead(typed: string): Promise<{ status: number; title: string; meta: Record<string, string> }> {
    const record = await this.verify(typed).catch((error: unknown) => {
      if (error instanceof NotFoundException) return null;
      throw error;
    });
    const base = { 'og:site_name': `${this.config.issuerName}`, 'og:type': 'website', 'twitter:card': 'summary' };
    if (!record) {
      const title = `No certificate has the number ${typed}`;
      return { status: 404, title, meta: { ...base, 'og:title': title, description: 'Check the number printed on the certificate.' } };
    }
    const until = record.expiresAt.slice(0, 10);
    const verdict = record.status === 'active' ? `valid until ${until}` : `${record.status}, not valid`;
    const title = `${record.holderName}: ${record.credential.name} (${record.credential.code})`;
    const description =
      `${record.holderName} holds the ${record.credential.name}, issued by ${this.config.issuerName} on ${record.issuedAt.slice(0, 10)}: ` +
      `${verdict}. ${this.achievementDocument(record.credential.code).description as string}`;
    const image = `${badgeImageUrl(this.config.publicUrl, record.credential.code).replace(/\.svg$/, '.png')}`;
    return {
      status: 200,
      title,
      meta: {
        ...base,
        description,
        'og:title': title,
        'og:description': description,
        'og:url': record.verifyUrl,
        'og:image': image,
        'og:image:alt': `${record.credential.name} badge`,
        'twitter:title': title,
        'twitter:description': description,
        'twitter:image': image,
      },
    };
  }

  private achievementInput(code: string, psfVersion = this.programme.framework.version): AchievementInput {
    const framework = this.programme.framework;
    const cert = framework.certifications.find((x) => x.code === code);
    if (!cert) throw new NotFoundException('No certification has this code');
    return {
      publicUrl: this.config.publicUrl,
      issuerName: this.config.issuerName,
      credentialCode: cert.code,
      credentialName: this.credential(cert.code).name,
      credentialSummary: cert.summary ?? '',
      domains: framework.domains.filter((d) => cert.domains.includes(d.code)),
      psfVersion,
      attribution: framework.attribution,
    };
  }

  effectiveStatus(c: Certificate): CertificateStatus {
    return effectiveCertificateStatus(c.status, c.expiresAt, new Date());
  }

  /** `successorNumber`: the number of the certificate that superseded this one, if any. */
  toDto(c: Certificate, successorNumber: string | null = null): CertificateDto {
    return {
      id: c.id,
      number: c.number,
      credential: { code: c.credential, name: this.credential(c.credential).name },
      holderName: c.holderName,
      issuedAt: c.issuedAt.toISOString(),
      expiresAt: c.expiresAt.toISOString(),
      status: this.effectiveStatus(c),
      verifyUrl: verifyUrl(this.config.publicUrl, c.number),
      credentialUrl: credentialUrl(this.config.publicUrl, c.number),
      psfVersion: c.psfVersion,
      issuerName: this.config.issuerName,
      supersededBy: c.supersededBy ? successorNumber : null,
    };
  }

  /** The numbers of the certificates that superseded these (a name change re-issued them). */
  async successorNumbers(list: Certificate[]): Promise<Map<string, string>> {
    return this.certificates.numbersById(list.flatMap((c) => (c.supersededBy ? [c.supersededBy] : [])));
  }

  async toDtoWithSuccessor(c: Certificate): Promise<CertificateDto> {
    return this.toDto(c, (await this.successorNumbers([c])).get(c.supersededBy ?? '') ?? null);
  }

  async mine(user: AuthUser): Promise<CertificateDto[]> {
    const list = await this.certificates.listForUser(user.id);
    const successors = await this.successorNumbers(list);
    return list.map((c) => this.toDto(c, successors.get(c.supersededBy ?? '') ?? null));
  }

  async pdf(user: AuthUser, id: string): Promise<{ pdf: Buffer; number: string }> {
    const c = await this.certificates.findById(id);
    if (!c || (c.userId !== user.id && !user.roles.includes('admin'))) throw new NotFoundException('No such certificate');
    return { pdf: await this.ensurePdf(c), number: c.number };
  }

  /** The certificate a typed number names (spacing and case as people type them); 404 when none or mistyped. */
  async findByTypedNumber(typed: string): Promise<Certificate> {
    const check = checkCertificateNumber(typed);
    if (!check.ok) {
      throw new NotFoundException(
        check.reason === 'check'
          ? 'No certificate has this number: its check character does not match, so it was probably mistyped'
          : 'No certificate has this number: certificate numbers look like PSF-XXXXX-XXXXX-X',
      );
    }
    const c = await this.certificates.findByNumber(check.number);
    if (!c) throw new NotFoundException('No certificate has this number');
    return c;
  }

  async verify(typed: string): Promise<PublicCertificateDto> {
    const {
      id: _id,
      psfVersion: _v,
      issuerName: _i,
      supersededBy,
      ...pub
    } = await this.toDtoWithSuccessor(await this.findByTypedNumber(typed));
    // Only a superseded certificate carries the field: the contract's answer for every other one is unchanged.
    return supersededBy ? { ...pub, supersededBy } : pub;
  }

  async credentialJwt(typed: string): Promise<string> {
    const c = await this.findByTypedNumber(typed);
    if (!c.credentialJwt) await this.ensureArtifacts(c);
    return (await this.certificates.findById(c.id))!.credentialJwt!;
  }

  jwks() {
    return this.keys.jwks();
  }
}
