import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { IndependenceService } from '../independence/independence.service';
import { bookingLifecycle } from './booking-lifecycle';
import { BookingsRepository } from './bookings.repository';
import { NoShowDto, PanelDetailDto } from './dto/panel.dto';
import { decidedInterviewState, interviewLifecycle } from './interview-lifecycle';
import { PanelAssignmentsService } from './panel-assignments.service';
import { PanelNoticesService } from './panel-notices.service';
import { panelOutcome } from './panel-outcome';
import { type DecisionRoute, type DomainResult, type PanelOutcomeValue, PanelScoresRepository } from './panel-scores.repository';
import { PanelsRepository } from './panels.repository';

/** What the chair records once the interview has started: the panel's decision, or who did not attend. */
@Injectable()
export class PanelDecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly scores: PanelScoresRepository,
    private readonly assignments: PanelAssignmentsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly notices: PanelNoticesService,
    private readonly credentialEvents: CredentialEvents,
    private readonly independence: IndependenceService,
  ) {}

  private async chairOf(tx: EntityManager, bookingId: string, user: AuthUser) {
    const booking = await this.bookings.booking(bookingId, tx, true);
    const members = booking ? await this.bookings.members(bookingId, tx) : [];
    const me = members.find((m) => m.assessorId === user.id);
    if (!booking || !me) throw new NotFoundException('No such panel');
    if (!me.isChair) throw new ForbiddenException('Only the panel chair can do this');
    // Invariant 11: the chair's seat is their role here, but no other tie to the candidate's case is allowed.
    const { candidateId } = (await this.panels.interview(booking.interviewId, tx))!;
    await this.independence.assertIndependent(tx, user.id, candidateId, { fromPanelSeat: true });
    if (booking.status !== 'booked') throw new ConflictException(`This panel is ${booking.status.replace(/_/g, ' ')}`);
    if (booking.startsAt.getTime() > Date.now()) throw new ConflictException('The interview has not started yet');
    return { booking, members };
  }

  /** The chair records the decision once all three have scored; the rule, not the chair, sets the outcome. */
  async decide(user: AuthUser, bookingId: string, note: string): Promise<PanelDetailDto> {
    await this.dataSource.transaction(async (tx) => {
      const { booking, members } = await this.chairOf(tx, bookingId, user);
      const sheets = await this.scores.scores(
        bookingId,
        tx,
        members.map((m) => m.assessorId),
      );
      if (members.length !== 3 || sheets.length !== 3)
        throw new ConflictException(`All three assessors must submit their scores first (${sheets.length} of 3 in)`);
      const settings = await this.panels.settings(tx);
      const result = panelOutcome(
        sheets.map((s) => s.domainScores),
        this.assignments.domains,
        settings.metScore,
        settings.domainPassVotes,
      );
      await this.record(tx, booking.interviewId, bookingId, result.outcome, 'panel', result.domains, user.id, note);
      bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'completed');
      await this.bookings.setStatus(tx, bookingId, 'completed');
    });
    return this.assignments.detail(user, bookingId);
  }

  /** The chair records who did not attend; the settings say what a candidate no-show leads to. */
  async noShow(user: AuthUser, bookingId: string, dto: NoShowDto): Promise<PanelDetailDto> {
    if (!dto.note.trim()) throw new BadRequestException('note is required');
    await this.dataSource.transaction(async (tx) => {
      const { booking, members } = await this.chairOf(tx, bookingId, user);
      const interview = (await this.panels.interview(booking.interviewId, tx, true))!;
      if (dto.party === 'assessor') {
        const absent = members.find((m) => m.assessorId === dto.assessorId);
        if (!absent || absent.assessorId === user.id) throw new BadRequestException('assessorId must be another member of this panel');
        await this.bookings.markNoShow(tx, bookingId, absent.assessorId);
        bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'no_show_assessor');
        interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'awaiting_booking');
        await this.bookings.setStatus(tx, bookingId, 'no_show_assessor', dto.note);
        // The candidate is not at fault: they rebook without it counting as one of their changes.
        await this.panels.reopen(tx, interview.id);
        await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
      } else {
        const settings = await this.panels.settings(tx);
        bookingLifecycle.assert(bookingLifecycle.parse(booking.status), 'no_show_candidate');
        await this.bookings.setStatus(tx, bookingId, 'no_show_candidate', dto.note);
        if (settings.candidateNoShow === 'fail') {
          await this.record(tx, interview.id, bookingId, 'fail', 'no_show', [], user.id, dto.note);
        } else {
          interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'awaiting_booking');
          await this.panels.reopen(tx, interview.id, { countChange: true });
        }
      }
      await this.notices.cancelReminders(tx, bookingId);
      // The booking closes without a sheet from everyone: nobody can submit, so nobody's draft is kept.
      await this.scores.deleteDrafts(tx, bookingId);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.no_show',
        subjectType: 'panel_booking',
        subjectId: bookingId,
        data: { party: dto.party, assessorId: dto.assessorId ?? null, note: dto.note },
      });
    });
    return this.assignments.detail(user, bookingId);
  }

  private async record(
    tx: EntityManager,
    interviewId: string,
    bookingId: string,
    outcome: PanelOutcomeValue,
    route: DecisionRoute,
    domains: DomainResult[],
    actorId: string,
    note: string,
  ) {
    // decide has not read the interview: lock it here for both callers; the move is checked after the friendlier "already".
    const iv = (await this.panels.interview(interviewId, tx, true))!;
    const inserted = await this.scores.insertDecision(tx, {
      interviewId,
      bookingId,
      outcome,
      route,
      domainResults: domains,
      decidedBy: actorId,
      note,
    });
    if (!inserted) throw new ConflictException('The panel decision has already been recorded');
    interviewLifecycle.assert(iv.status, decidedInterviewState(outcome));
    await this.panels.setStatus(tx, interviewId, decidedInterviewState(outcome));
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
        userId: iv.candidateId,
        credential: 'CPAA',
        sourceType: 'panel_interview',
        sourceId: interviewId,
      });
    } else {
      await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId, reason: 'decided' });
    }
  }
}
