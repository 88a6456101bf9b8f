import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { DomainScoreDto, NoShowDto, PanelDecisionDto, PanelDetailDto, PanelSummaryDto, SubmitScoresDto } from './dto/panel.dto';
import type { InterviewGuide } from '../programme/interview-guide';
import { bookingLifecycle } from './booking-lifecycle';
import { decidedInterviewState, interviewLifecycle } from './interview-lifecycle';
import { PanelNoticesService } from './panel-notices.service';
import { panelOutcome } from './panel-outcome';
import { PanelsRepository } from './panels.repository';

/** What assessors do with a panel: read the portfolio, score independently, and (the chair) decide. */
@Injectable()
export class PanelDecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PanelsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly programme: ProgrammeCatalogue,
    private readonly notices: PanelNoticesService,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  get guide(): InterviewGuide {
    return this.programme.interviewGuide;
  }

  private get domains(): string[] {
    return this.programme.domainsOf('CPAA');
  }

  private title(code: string): string {
    return this.programme.domainTitle(code);
  }

  async myPanels(user: AuthUser): Promise<PanelSummaryDto[]> {
    const rows = await this.dataSource.query(
      `SELECT b.id, b.starts_at, b.ends_at, b.status, u.full_name, mb.is_chair,
              EXISTS (SELECT 1 FROM panel_scores s WHERE s.booking_id = b.id AND s.assessor_id = $1) AS scored, d.outcome
       FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id JOIN panel_interviews iv ON iv.id = b.interview_id
       JOIN users u ON u.id = iv.candidate_id LEFT JOIN panel_decisions d ON d.booking_id = b.id
       WHERE mb.assessor_id = $1 AND mb.active ORDER BY b.starts_at DESC LIMIT 200`,
      [user.id],
    );
    return rows.map((r: Record<string, unknown>) => ({
      bookingId: r.id,
      start: (r.starts_at as Date).toISOString(),
      end: (r.ends_at as Date).toISOString(),
      status: r.status,
      candidateName: r.full_name,
      isChair: r.is_chair,
      scored: r.scored,
      outcome: r.outcome ?? null,
    }));
  }

  /** Only the booking's active members see it; others' scores only once you have submitted yours. */
  async detail(user: AuthUser, bookingId: string): Promise<PanelDetailDto> {
    const booking = await this.repo.booking(this.dataSource, bookingId);
    const members = booking ? await this.repo.members(this.dataSource, bookingId, false) : [];
    const me = members.find((m) => m.assessor_id === user.id && m.active);
    if (!booking || !me) throw new NotFoundException('No such panel');
    const interview = (await this.repo.interview(this.dataSource, booking.interview_id))!;
    const [candidate] = await this.dataSource.query(`SELECT full_name FROM users WHERE id = $1`, [interview.candidate_id]);
    const [submission] = await this.dataSource.query(`SELECT content FROM portfolio_submissions WHERE id = $1`, [interview.submission_id]);
    const scores: Array<{ assessor_id: string; domain_scores: DomainScoreDto[]; submitted_at: Date }> = await this.dataSource.query(
      `SELECT assessor_id, domain_scores, submitted_at FROM panel_scores WHERE booking_id = $1 ORDER BY submitted_at`,
      [bookingId],
    );
    const mine = scores.find((s) => s.assessor_id === user.id);
    const settings = await this.repo.settings();
    const active = members.filter((m) => m.active);
    return {
      bookingId,
      start: booking.starts_at.toISOString(),
      end: booking.ends_at.toISOString(),
      status: booking.status,
      candidateName: candidate.full_name,
      isChair: me.is_chair,
      scored: Boolean(mine),
      outcome: (await this.decisionOf(interview.id))?.outcome ?? null,
      meetingUrl: booking.meeting_url,
      timeZone: me.time_zone,
      submissionId: interview.submission_id,
      context: submission?.content?.context ?? {},
      evidence: (submission?.content?.evidence ?? []).map(
        (e: { criterion: string; narrative: string; attachments?: Array<{ id: string; filename: string }> }) => ({
          criterion: e.criterion,
          narrative: e.narrative,
          attachments: (e.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename })),
        }),
      ),
      members: active.map((m) => ({
        assessorId: m.assessor_id,
        name: m.full_name,
        isChair: m.is_chair,
        scored: scores.some((s) => s.assessor_id === m.assessor_id),
        noShow: m.no_show,
      })),
      scoringOpen: booking.starts_at.getTime() <= Date.now() && ['booked', 'completed'].includes(booking.status),
      myScores: mine?.domain_scores ?? null,
      otherScores: mine
        ? scores
            .filter((s) => s.assessor_id !== user.id)
            .map((s) => ({
              assessorId: s.assessor_id,
              name: members.find((m) => m.assessor_id === s.assessor_id)?.full_name ?? '',
              domains: s.domain_scores,
              submittedAt: s.submitted_at.toISOString(),
            }))
        : [],
      metScore: settings.met_score,
      passVotes: settings.domain_pass_votes,
      decision: await this.decisionOf(interview.id),
    };
  }

  /** Each member scores once, after the interview has started, every CPAA domain exactly once. */
  async submitScores(user: AuthUser, bookingId: string, dto: SubmitScoresDto): Promise<PanelDetailDto> {
    const codes = dto.domains.map((d) => d.domain).sort();
    if (codes.join() !== [...this.domains].sort().join())
      throw new BadRequestException(`domains: score each of ${this.domains.join(', ')} exactly once`);
    await this.dataSource.transaction(async (tx) => {
      const booking = await this.repo.booking(tx, bookingId, true);
      const [me] = booking
        ? await tx.query(`SELECT 1 FROM panel_members WHERE booking_id = $1 AND assessor_id = $2 AND active`, [bookingId, user.id])
        : [];
      if (!booking || !me) throw new NotFoundException('No such panel');
      if (booking.status !== 'booked' || booking.starts_at.getTime() > Date.now())
        throw new ConflictException('Scoring opens when the interview starts and closes with the decision');
      const [inserted] = await tx.query(
        `INSERT INTO panel_scores (booking_id, assessor_id, domain_scores) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING booking_id`,
        [
          bookingId,
          user.id,
          JSON.stringify(
            dto.domains.map(({ domain, score, notes }) => ({ domain, score, notes })).sort((a, b) => a.domain.localeCompare(b.domain)),
          ),
        ],
      );
      if (!inserted) throw new ConflictException('You have already submitted your scores for this panel');
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.scored',
        subjectType: 'panel_booking',
        subjectId: bookingId,
        data: { scores: Object.fromEntries(dto.domains.map((d) => [d.domain, d.score])) },
      });
    });
    return this.detail(user, bookingId);
  }

  private async chairOf(tx: DataSource | EntityManager, bookingId: string, user: AuthUser) {
    const booking = await this.repo.booking(tx, bookingId, true);
    const members = booking ? await this.repo.members(tx, bookingId) : [];
    const me = members.find((m) => m.assessor_id === user.id);
    if (!booking || !me) throw new NotFoundException('No such panel');
    if (!me.is_chair) throw new ForbiddenException('Only the panel chair can do this');
    if (booking.status !== 'booked') throw new ConflictException(`This panel is ${booking.status.replace(/_/g, ' ')}`);
    if (booking.starts_at.getTime() > Date.now()) throw new ConflictException('The interview has not started yet');
    return { booking, members };
  }

  /** The chair records the decision once all three have scored; the rule, not the chair, sets the outcome. */
  async decide(user: AuthUser, bookingId: string, note: string): Promise<PanelDetailDto> {
    await this.dataSource.transaction(async (tx) => {
      const { booking, members } = await this.chairOf(tx, bookingId, user);
      const sheets: Array<{ assessor_id: string; domain_scores: DomainScoreDto[] }> = await tx.query(
        `SELECT assessor_id, domain_scores FROM panel_scores WHERE booking_id = $1 AND assessor_id = ANY($2::uuid[])`,
        [bookingId, members.map((m) => m.assessor_id)],
      );
      if (members.length !== 3 || sheets.length !== 3)
        throw new ConflictException(`All three assessors must submit their scores first (${sheets.length} of 3 in)`);
      const settings = await this.repo.settings(tx);
      const result = panelOutcome(
        sheets.map((s) => s.domain_scores),
        this.domains,
        settings.met_score,
        settings.domain_pass_votes,
      );
      await this.record(tx, booking.interview_id, bookingId, result.outcome, 'panel', result.domains, user.id, note);
      bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'completed');
      await tx.query(`UPDATE panel_bookings SET status = 'completed', updated_at = now() WHERE id = $1`, [bookingId]);
    });
    return this.detail(user, bookingId);
  }

  /** The chair records who did not attend; the settings say what a candidate no-show leads to. */
  async noShow(user: AuthUser, bookingId: string, dto: NoShowDto): Promise<PanelDetailDto> {
    if (!dto.note.trim()) throw new BadRequestException('note is required');
    await this.dataSource.transaction(async (tx) => {
      const { booking, members } = await this.chairOf(tx, bookingId, user);
      const interview = (await this.repo.interview(tx, booking.interview_id, true))!;
      if (dto.party === 'assessor') {
        const absent = members.find((m) => m.assessor_id === dto.assessorId);
        if (!absent || absent.assessor_id === user.id) throw new BadRequestException('assessorId must be another member of this panel');
        await tx.query(`UPDATE panel_members SET no_show = true WHERE booking_id = $1 AND assessor_id = $2`, [
          bookingId,
          absent.assessor_id,
        ]);
        bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'no_show_assessor');
        interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'awaiting_booking');
        await tx.query(`UPDATE panel_bookings SET status = 'no_show_assessor', close_reason = $2, updated_at = now() WHERE id = $1`, [
          bookingId,
          dto.note,
        ]);
        // The candidate is not at fault: they rebook without it counting as one of their changes.
        await tx.query(`UPDATE panel_interviews SET status = 'awaiting_booking' WHERE id = $1`, [interview.id]);
        await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
      } else {
        const settings = await this.repo.settings(tx);
        bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'no_show_candidate');
        await tx.query(`UPDATE panel_bookings SET status = 'no_show_candidate', close_reason = $2, updated_at = now() WHERE id = $1`, [
          bookingId,
          dto.note,
        ]);
        if (settings.candidate_no_show === 'fail') {
          await this.record(tx, interview.id, bookingId, 'fail', 'no_show', [], user.id, dto.note);
        } else {
          interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'awaiting_booking');
          await tx.query(`UPDATE panel_interviews SET status = 'awaiting_booking', reschedules_used = reschedules_used + 1 WHERE id = $1`, [
            interview.id,
          ]);
        }
      }
      await this.notices.cancelReminders(tx, bookingId);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.no_show',
        subjectType: 'panel_booking',
        subjectId: bookingId,
        data: { party: dto.party, assessorId: dto.assessorId ?? null, note: dto.note },
      });
    });
    return this.detail(user, bookingId);
  }

  private async record(
    tx: EntityManager,
    interviewId: string,
    bookingId: string,
    outcome: 'pass' | 'fail',
    route: 'panel' | 'no_show',
    domains: Array<{ domain: string; votes: number; met: boolean }>,
    actorId: string,
    note: string,
  ) {
    // decide has not read the interview: lock it here for both callers; the move is checked after the friendlier "already".
    const [iv] = await tx.query(`SELECT status, candidate_id FROM panel_interviews WHERE id = $1 FOR UPDATE`, [interviewId]);
    const [inserted] = await tx.query(
      `INSERT INTO panel_decisions (interview_id, booking_id, outcome, route, domain_results, decided_by, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (interview_id) DO NOTHING RETURNING interview_id`,
      [interviewId, bookingId, outcome, route, JSON.stringify(domains), actorId, note],
    );
    if (!inserted) throw new ConflictException('The panel decision has already been recorded');
    interviewLifecycle.assert(interviewLifecycle.parse(iv.status), decidedInterviewState(outcome));
    await tx.query(`UPDATE panel_interviews SET status = $2 WHERE id = $1`, [interviewId, decidedInterviewState(outcome)]);
    await this.audit.append(tx, {
      actorId,
      action: 'panel.decided',
      subjectType: 'panel_interview',
      subjectId: interviewId,
      data: { outcome, route, bookingId, domains, note },
    });
    if (outcome === 'pass') {
      // The same entry point as AIDA and CPAP: a credential event and the issue-certificate job, once per interview.
      await this.credentialEvents.recordPass(tx, {
        userId: iv.candidate_id,
        credential: 'CPAA',
        sourceType: 'panel_interview',
        sourceId: interviewId,
      });
    } else {
      await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId, reason: 'decided' });
    }
  }

  async decisionOf(interviewId: string): Promise<PanelDecisionDto | null> {
    const [d] = await this.dataSource.query(
      `SELECT outcome, route, domain_results, decided_at FROM panel_decisions WHERE interview_id = $1`,
      [interviewId],
    );
    if (!d) return null;
    return {
      outcome: d.outcome,
      route: d.route,
      decidedAt: d.decided_at.toISOString(),
      domains: (d.domain_results as Array<{ domain: string; votes: number; met: boolean }>).map((r) => ({
        ...r,
        title: this.title(r.domain),
      })),
    };
  }
}
