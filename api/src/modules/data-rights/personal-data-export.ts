import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { AuditService } from '../audit/audit.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { CertificatesService } from '../certificates/certificates.service';
import { ExamPersonalData } from '../exams/exam-personal-data.repository';
import { ExamsService } from '../exams/exams.service';
import { StoredMail } from '../notifications/stored-mail.repository';
import { CandidatePanelsService } from '../panels/candidate-panels.service';
import { PanelPersonalData } from '../panels/panel-personal-data.repository';
import { PortfolioSubmissionsService } from '../portfolios/portfolio-submissions.service';
import { PortfolioPersonalData } from '../portfolios/portfolio-personal-data.repository';
import { ReviewsService } from '../reviews/reviews.service';
import { SelfAssessmentService } from '../self-assessment/self-assessment.service';
import { HolderPagesService } from '../certificates/holder-pages.service';
import type { User } from '../users/entities/user.entity';
import { safeEntryName, type ZipEntry } from './zip-writer';

export const EXPORT_FORMAT = 'psf-personal-data-export/1';

/**
 * Everything the platform holds about one person (GDPR Art. 15 and 20), as `data.json` plus their files.
 * Each module contributes through its own code: the candidate-facing views (the same ones the SPA shows,
 * so no reviewer's identity, no answer key and nobody else's data can appear) and, for what no view shows,
 * the module's personal-data repository.
 */
@Injectable()
export class PersonalDataExport {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: FileStorage,
    private readonly audit: AuditService,
    private readonly sessions: SessionsRepository,
    private readonly exams: ExamsService,
    private readonly examData: ExamPersonalData,
    private readonly portfolioData: PortfolioPersonalData,
    private readonly submissions: PortfolioSubmissionsService,
    private readonly panels: CandidatePanelsService,
    private readonly panelData: PanelPersonalData,
    private readonly certificates: CertificatesService,
    private readonly reviews: ReviewsService,
    private readonly mail: StoredMail,
    private readonly selfAssessments: SelfAssessmentService,
    private readonly holderPages: HolderPagesService,
  ) {}

  async collect(user: User): Promise<ZipEntry[]> {
    const as: AuthUser = {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      roles: user.roles,
      emailVerified: Boolean(user.emailVerifiedAt),
      sessionFamilyId: '',
    };
    const files: ZipEntry[] = [];

    const attempts = await Promise.all((await this.exams.listAttempts(as)).map((a) => this.exams.getAttempt(as, a.id)));
    const portfolios = await this.portfolioData.exportFor(user.id);
    const feedback = await Promise.all(portfolios.submissions.map((s) => this.submissions.feedback(as, s.id)));
    const attachments = await this.portfolioData.storedAttachments(user.id);
    for (const a of attachments) {
      const data = await this.storage.get(a.storageKey);
      if (data) files.push({ name: `attachments/${a.credential}/${a.criterion}/${a.id}-${safeEntryName(a.fileName)}`, data });
    }
    const certificates = await this.certificates.mine(as);
    for (const c of certificates) {
      files.push({ name: `certificates/${c.number}.pdf`, data: (await this.certificates.pdf(as, c.id)).pdf });
      const jwt = await this.certificates.credentialJwt(c.number).catch(() => null);
      if (jwt) files.push({ name: `certificates/${c.number}.credential.jwt`, data: Buffer.from(jwt) });
    }
    const messages = await this.mail.sentTo(user.email);
    for (const m of messages) {
      const data = m.storedFile ? await this.mail.read(m.storedFile) : null;
      if (data) files.push({ name: `mail/${m.id}.eml`, data });
    }
    const isReviewer = user.roles.includes('reviewer');

    const data = {
      format: EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      controller: this.config.issuerName,
      account: {
        id: user.id,
        email: user.email,
        fullName: user.fullName,
        roles: user.roles,
        createdAt: user.createdAt.toISOString(),
        emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
        totpEnabled: Boolean(user.totpEnabledAt),
        passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
      },
      sessions: (await this.sessions.listLive(user.id)).map((s) => ({
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        expiresAt: s.expiresAt,
        userAgent: s.userAgent,
        ip: s.ip,
        signInMethod: s.signInMethod,
      })),
      exams: { attempts, ...(await this.examData.exportFor(user.id)) },
      portfolios: {
        ...portfolios,
        attachments: attachments.map(({ storageKey: _key, ...a }) => a),
        // Reviews received, as the candidate's feedback page shows them: scores and comments, never who wrote them.
        feedback,
      },
      panel: await this.panels.mine(as),
      // An assessor's own score sheets in progress (kept with the account whatever its roles now are).
      panelScoreDrafts: await this.panelData.exportFor(user.id),
      // An assessor's seats on panels and the score sheets they submitted.
      panelSeats: await this.panelData.seatsOf(user.id),
      panelScoreSheets: await this.panelData.sheetsWrittenBy(user.id),
      // A candidate's decided panel: each assessor's scores and notes, without who wrote them.
      panelScoresReceived: await this.panelData.sheetsAbout(user.id),
      certificates,
      holderPage: await this.holderPages.exportFor(user.id),
      selfAssessment: await this.selfAssessments.exportFor(user.id),
      mail: messages.map(({ storedFile, ...m }) => ({ ...m, file: storedFile ? `mail/${m.id}.eml` : null })),
      audit: await this.audit.about(user.id),
      reviewing: isReviewer ? { profile: await this.reviews.profile(as), assignments: await this.reviews.mine(as) } : null,
      files: files.map((f) => f.name),
    };
    return [{ name: 'data.json', data: Buffer.from(JSON.stringify(data, null, 2)) }, ...files, readme()];
  }
}

function readme(): ZipEntry {
  const text = [
    'Your personal data from the PSF certification platform',
    '',
    'data.json      everything the platform holds about you, machine-readable (JSON)',
    'attachments/   the files you attached to your portfolios, by credential and criterion',
    'certificates/  your certificates: the PDF and the signed Open Badges credential (VC-JWT)',
    'mail/          the e-mails the platform sent you (RFC 822 files), where they are stored',
    '',
    'Reviews appear as the feedback page shows them: scores and comments, without the reviewers.',
    "A decided CPAA panel's score sheets appear the same way: each assessor's scores and notes, without their names.",
  ].join('\r\n');
  return { name: 'README.txt', data: Buffer.from(text) };
}
