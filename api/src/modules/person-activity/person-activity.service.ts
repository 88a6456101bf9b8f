import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { AuditViewerService } from '../audit/audit-viewer.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { describeClient } from '../auth/user-agent';
import { type CertificateState, effectiveCertificateStatus } from '../certificates/certificate-lifecycle';
import { needsSecondFactor, type Role } from '../users/entities/user.entity';
import type { PersonActivityDto, PersonPortfolioDto, PersonSessionDto } from './dto/person-activity.dto';
import { PersonActivityRepository } from './person-activity.repository';

/** How many audit entries the person's page shows; the audit viewer lists the rest. */
export const PERSON_TRAIL_LIMIT = 20;

/**
 * A person's activity for an administrator (issue #18 item 5): live sessions, AIDA attempts, portfolios and their
 * submitted versions, certificates, and the newest audit entries by them or about their account.
 */
@Injectable()
export class PersonActivityService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activity: PersonActivityRepository,
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditViewerService,
  ) {}

  async of(userId: string): Promise<PersonActivityDto> {
    const roles = await this.activity.roles(userId);
    if (!roles) throw new NotFoundException('No such person');
    const [sessions, attempts, portfolios, certificates, auditTrail] = await Promise.all([
      this.liveSessions(userId, roles),
      this.activity.attempts(userId),
      this.activity.portfolios(userId),
      this.activity.certificates(userId),
      this.audit.trail(userId, PERSON_TRAIL_LIMIT),
    ]);
    const now = new Date();
    return {
      sessions,
      attempts: attempts.map((a) => ({
        id: a.id,
        examCode: a.examCode,
        status: a.status,
        startedAt: a.startedAt.toISOString(),
        deadline: a.deadline.toISOString(),
        submittedAt: a.submittedAt?.toISOString() ?? null,
        scorePercent: a.scorePercent === null ? null : Number(a.scorePercent),
        passed: a.passed,
      })),
      portfolios: portfolios.reduce<PersonPortfolioDto[]>((list, row) => {
        let portfolio = list.find((p) => p.id === row.portfolioId);
        if (!portfolio) list.push((portfolio = { id: row.portfolioId, credential: row.credential, submissions: [] }));
        if (row.submissionId && row.version !== null && row.status !== null && row.submittedAt !== null)
          portfolio.submissions.push({
            id: row.submissionId,
            version: row.version,
            status: row.status,
            submittedAt: row.submittedAt.toISOString(),
          });
        return list;
      }, []),
      certificates: certificates.map((c) => ({
        id: c.id,
        number: c.number,
        credential: c.credential,
        status: effectiveCertificateStatus(c.status as CertificateState, c.expiresAt, now),
        issuedAt: c.issuedAt.toISOString(),
        expiresAt: c.expiresAt.toISOString(),
      })),
      auditTrail,
    };
  }

  /** Live sessions; a staff session past the idle timeout is already over (as on the person's own Sessions page). */
  private async liveSessions(userId: string, roles: Role[]): Promise<PersonSessionDto[]> {
    const idleBefore = needsSecondFactor(roles) ? Date.now() - this.config.sessions.staffIdleSeconds * 1000 : -Infinity;
    const rows = await this.sessions.listLive(userId);
    return rows
      .filter((s) => s.lastUsedAt.getTime() >= idleBefore)
      .map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        client: describeClient(s.userAgent),
        signInMethod: s.signInMethod as PersonSessionDto['signInMethod'],
      }));
  }
}
