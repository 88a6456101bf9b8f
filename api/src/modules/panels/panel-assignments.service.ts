import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import type { InterviewGuide } from '../programme/interview-guide';
import { BookingsRepository } from './bookings.repository';
import {
  PanelDecisionDto,
  PanelDetailDto,
  PanelScoreDraftDto,
  PanelSummaryDto,
  SavedPanelScoreDraftDto,
  SubmitScoresDto,
} from './dto/panel.dto';
import { PanelScoresRepository } from './panel-scores.repository';
import { PanelsRepository } from './panels.repository';

/** What assessors see of their panels: the list, the panel page, and their independent score sheet. */
@Injectable()
export class PanelAssignmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly scores: PanelScoresRepository,
    private readonly audit: AuditService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  get guide(): InterviewGuide {
    return this.programme.interviewGuide;
  }

  get domains(): string[] {
    return this.programme.domainsOf('CPAA');
  }

  async myPanels(user: AuthUser): Promise<PanelSummaryDto[]> {
    const rows = await this.scores.assessorPanels(user.id);
    return rows.map((r) => ({
      bookingId: r.id,
      start: r.startsAt.toISOString(),
      end: r.endsAt.toISOString(),
      status: r.status,
      candidateName: r.candidateName,
      isChair: r.isChair,
      scored: r.scored,
      outcome: r.outcome ?? null,
    }));
  }

  /** Only the booking's active members see it; others' scores only once you have submitted yours. */
  async detail(user: AuthUser, bookingId: string): Promise<PanelDetailDto> {
    const booking = await this.bookings.booking(bookingId);
    const members = booking ? await this.bookings.members(bookingId, undefined, false) : [];
    const me = members.find((m) => m.assessorId === user.id && m.active);
    if (!booking || !me) throw new NotFoundException('No such panel');
    const interview = (await this.panels.interview(booking.interviewId))!;
    const candidate = (await this.panels.person(interview.candidateId))!;
    const submission = await this.scores.submissionContent(interview.submissionId);
    const scores = await this.scores.scores(bookingId);
    const mine = scores.find((s) => s.assessorId === user.id);
    const settings = await this.panels.settings();
    const active = members.filter((m) => m.active);
    return {
      bookingId,
      start: booking.startsAt.toISOString(),
      end: booking.endsAt.toISOString(),
      status: booking.status,
      candidateName: candidate.fullName,
      isChair: me.isChair,
      scored: Boolean(mine),
      outcome: (await this.decisionOf(interview.id))?.outcome ?? null,
      meetingUrl: booking.meetingUrl,
      timeZone: me.timeZone,
      submissionId: interview.submissionId,
      context: submission?.context ?? {},
      evidence: (submission?.evidence ?? []).map((e) => ({
        criterion: e.criterion,
        narrative: e.narrative,
        attachments: (e.attachments ?? []).map((a) => ({ id: a.id, fileName: a.fileName, mediaType: a.mediaType })),
      })),
      members: active.map((m) => ({
        assessorId: m.assessorId,
        name: m.fullName,
        isChair: m.isChair,
        scored: scores.some((s) => s.assessorId === m.assessorId),
        noShow: m.noShow,
      })),
      scoringOpen: booking.startsAt.getTime() <= Date.now() && ['booked', 'completed'].includes(booking.status),
      myScores: mine?.domainScores ?? null,
      otherScores: mine
        ? scores
            .filter((s) => s.assessorId !== user.id)
            .map((s) => ({
              assessorId: s.assessorId,
              name: members.find((m) => m.assessorId === s.assessorId)?.fullName ?? '',
              domains: s.domainScores,
              submittedAt: s.submittedAt.toISOString(),
            }))
        : [],
      metScore: settings.metScore,
      passVotes: settings.domainPassVotes,
      decision: await this.decisionOf(interview.id),
    };
  }

  /** The assessor's score sheet in progress (404 when there is none or the panel is not theirs; 409 once it is decided or closed). */
  async draft(user: AuthUser, bookingId: string): Promise<SavedPanelScoreDraftDto> {
    const booking = await this.bookings.booking(bookingId);
    const seated = booking ? await this.bookings.isActiveMember(this.dataSource.manager, bookingId, user.id) : false;
    if (!booking || !seated) throw new NotFoundException('No such panel');
    if (booking.status !== 'booked') throw new ConflictException(`This panel is ${booking.status.replace(/_/g, ' ')}`);
    const d = await this.scores.draft(bookingId, user.id);
    if (!d) throw new NotFoundException('No draft saved for this panel');
    return { ...(d.content as PanelScoreDraftDto), updatedAt: d.updatedAt.toISOString() };
  }

  /**
   * Keeps the assessor's score sheet in progress on the server (any device, any reload finds it), while the sheet can
   * still be submitted: the interview has started, the panel is not decided or closed, and their scores are not in.
   */
  async saveDraft(user: AuthUser, bookingId: string, dto: PanelScoreDraftDto): Promise<SavedPanelScoreDraftDto> {
    const codes = dto.domains.map((d) => d.domain);
    const strangers = codes.filter((c) => !this.domains.includes(c));
    if (strangers.length) throw new BadRequestException(`domains: not assessed at the panel: ${strangers.join(', ')}`);
    if (new Set(codes).size !== codes.length) throw new BadRequestException('domains: each domain at most once');
    return this.dataSource.transaction(async (tx) => {
      const booking = await this.bookings.booking(bookingId, tx, true);
      const seated = booking ? await this.bookings.isActiveMember(tx, bookingId, user.id) : false;
      if (!booking || !seated) throw new NotFoundException('No such panel');
      if (booking.status !== 'booked') throw new ConflictException(`This panel is ${booking.status.replace(/_/g, ' ')}`);
      if (booking.startsAt.getTime() > Date.now()) throw new ConflictException('Scoring opens when the interview starts');
      if ((await this.scores.scores(bookingId, tx, [user.id])).length)
        throw new ConflictException('You have already submitted your scores for this panel');
      const content = { domains: dto.domains.map(({ domain, score, notes }) => ({ domain, score, notes })) };
      const updatedAt = await this.scores.saveDraft(tx, bookingId, user.id, content);
      return { ...content, updatedAt: updatedAt.toISOString() };
    });
  }

  /** Each member scores once, after the interview has started, every CPAA domain exactly once. */
  async submitScores(user: AuthUser, bookingId: string, dto: SubmitScoresDto): Promise<PanelDetailDto> {
    const codes = dto.domains.map((d) => d.domain).sort();
    if (codes.join() !== [...this.domains].sort().join())
      throw new BadRequestException(`domains: score each of ${this.domains.join(', ')} exactly once`);
    await this.dataSource.transaction(async (tx) => {
      const booking = await this.bookings.booking(bookingId, tx, true);
      const me = booking ? await this.bookings.isActiveMember(tx, bookingId, user.id) : false;
      if (!booking || !me) throw new NotFoundException('No such panel');
      if (booking.status !== 'booked' || booking.startsAt.getTime() > Date.now())
        throw new ConflictException('Scoring opens when the interview starts and closes with the decision');
      const inserted = await this.scores.insertScores(
        tx,
        bookingId,
        user.id,
        dto.domains.map(({ domain, score, notes }) => ({ domain, score, notes })).sort((a, b) => a.domain.localeCompare(b.domain)),
      );
      if (!inserted) throw new ConflictException('You have already submitted your scores for this panel');
      await this.scores.deleteDrafts(tx, bookingId, user.id);
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

  async decisionOf(interviewId: string): Promise<PanelDecisionDto | null> {
    const d = await this.scores.decision(interviewId);
    if (!d) return null;
    return {
      outcome: d.outcome,
      route: d.route,
      decidedAt: d.decidedAt.toISOString(),
      domains: d.domainResults.map((r) => ({ ...r, title: this.programme.domainTitle(r.domain) })),
    };
  }
}
