import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { assertEmailVerified } from '../users/email-verification';
import { AuditService } from '../audit/audit.service';
import { AssessorsRepository } from './assessors.repository';
import { type Booking, BookingsRepository } from './bookings.repository';
import { BookSlotDto, CandidatePanelDto, JoinWaitlistDto, SlotListDto } from './dto/panel.dto';
import { interviewLifecycle, OPEN_INTERVIEW_STATES } from './interview-lifecycle';
import { PanelAssignmentsService } from './panel-assignments.service';
import { PanelBookingsService, rethrowDoubleBooking } from './panel-bookings.service';
import { PanelNoticesService } from './panel-notices.service';
import { PanelWaitlistService } from './panel-waitlist.service';
import { type Interview, type PanelSettings, PanelsRepository, rulesOf } from './panels.repository';
import { computeSlots, groupByLocalDate, panelFor } from './slot-computation';
import { isValidTimeZone } from './time-zones';

/** The candidate's side of the panel stage: their interview, the free slots, booking and changing it. */
@Injectable()
export class CandidatePanelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly assessors: AssessorsRepository,
    private readonly changes: PanelBookingsService,
    private readonly notices: PanelNoticesService,
    private readonly assignments: PanelAssignmentsService,
    private readonly audit: AuditService,
    private readonly waitlist: PanelWaitlistService,
  ) {}

  async mine(user: AuthUser): Promise<CandidatePanelDto> {
    const settings = await this.panels.settings();
    const interview = await this.panels.interviewOf(user.id);
    const base = { durationMinutes: settings.durationMinutes, changeCutoffHours: settings.changeCutoffHours };
    if (!interview) {
      return {
        ...base,
        stage: 'not_eligible',
        timeZone: 'UTC',
        changesLeft: settings.maxReschedules,
        canChange: false,
        booking: null,
        decision: null,
        certificateNumber: null,
      };
    }
    const booking = (await this.bookings.liveBooking(interview.id)) ?? (await this.bookings.latestBooking(interview.id));
    const changesLeft = Math.max(0, settings.maxReschedules - interview.reschedulesUsed);
    const live = booking?.status === 'booked';
    const certificateNumber = await this.panels.certificateNumber(interview.id);
    return {
      ...base,
      stage: interviewLifecycle.isFinal(interview.status) ? 'decided' : interview.status,
      interviewId: interview.id,
      timeZone: interview.timeZone,
      changesLeft,
      canChange: Boolean(live && changesLeft > 0 && this.beforeCutoff(booking!, settings)),
      booking:
        booking && booking.status !== 'cancelled'
          ? {
              id: booking.id,
              start: booking.startsAt.toISOString(),
              end: booking.endsAt.toISOString(),
              status: booking.status,
              meetingUrl: booking.meetingUrl,
              sequence: booking.sequence,
            }
          : null,
      decision: await this.assignments.decisionOf(interview.id),
      certificateNumber,
      waitlist: interview.status === 'awaiting_booking' ? await this.waitlistOf(interview.id) : null,
    };
  }

  private async waitlistOf(interviewId: string): Promise<CandidatePanelDto['waitlist']> {
    const entry = await this.waitlist.entry(interviewId);
    return entry ? { joinedAt: entry.joinedAt.toISOString(), notifiedAt: entry.notifiedAt?.toISOString() ?? null } : null;
  }

  async joinWaitlist(user: AuthUser, dto: JoinWaitlistDto): Promise<CandidatePanelDto> {
    await this.waitlist.join(user, this.zone(dto.timeZone));
    return this.mine(user);
  }

  async leaveWaitlist(user: AuthUser): Promise<CandidatePanelDto> {
    await this.waitlist.leave(user);
    return this.mine(user);
  }

  private beforeCutoff(booking: Booking, settings: PanelSettings): boolean {
    return booking.startsAt.getTime() - Date.now() >= settings.changeCutoffHours * 3_600_000;
  }

  private zone(timeZone: string): string {
    if (!isValidTimeZone(timeZone)) throw new BadRequestException(`timeZone: ${timeZone} is not an IANA time zone`);
    return timeZone;
  }

  async slots(user: AuthUser, timeZone: string | undefined): Promise<SlotListDto> {
    const interview = await this.panels.interviewOf(user.id);
    if (!interview || !OPEN_INTERVIEW_STATES.includes(interview.status)) throw new NotFoundException('You have no panel interview to book');
    const tz = this.zone(timeZone ?? interview.timeZone);
    const settings = await this.panels.settings();
    const live = await this.bookings.liveBooking(interview.id);
    const calendars = await this.assessors.eligibleCalendars(user.id, undefined, live?.id ?? null);
    const slots = computeSlots(calendars, Date.now(), rulesOf(settings));
    return {
      timeZone: tz,
      durationMinutes: settings.durationMinutes,
      days: groupByLocalDate(slots, tz).map((d) => ({
        date: d.date,
        slots: d.slots.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), localTime: s.localTime })),
      })),
    };
  }

  private startOf(dto: BookSlotDto): number {
    const start = Date.parse(dto.start);
    if (Number.isNaN(start)) throw new BadRequestException('start must be an ISO-8601 time');
    return start;
  }

  async book(user: AuthUser, dto: BookSlotDto): Promise<CandidatePanelDto> {
    assertEmailVerified(user);
    const start = this.startOf(dto);
    const tz = this.zone(dto.timeZone);
    await this.dataSource
      .transaction(async (tx) => {
        await this.bookings.lock(tx);
        const interview = await this.panels.interviewOf(user.id, tx, true);
        if (!interview || !OPEN_INTERVIEW_STATES.includes(interview.status))
          throw new NotFoundException('You have no panel interview to book');
        if (interview.status === 'booked') throw new ConflictException('You already have a booking; reschedule it instead');
        interviewLifecycle.assert(interview.status, 'booked');
        const settings = await this.panels.settings(tx);
        const rules = rulesOf(settings);
        const pool = await this.assessors.eligibleCalendars(user.id, tx);
        const panel = panelFor(pool, start, Date.now(), rules);
        if (!panel) throw new ConflictException('That time is no longer available; please choose another slot');
        const id = randomUUID();
        const end = new Date(start + rules.durationMinutes * 60_000);
        await this.bookings.insert(tx, {
          id,
          interviewId: interview.id,
          startsAt: new Date(start),
          endsAt: end,
          meetingUrl: this.notices.meetingUrl(id),
        });
        for (const assessorId of panel.memberIds) {
          await this.bookings.upsertMember(tx, id, assessorId, assessorId === panel.chairId, new Date(start), end, rules.bufferMinutes);
        }
        await this.panels.markBooked(tx, interview.id, tz);
        const booking = (await this.bookings.booking(id, tx))!;
        await this.notices.invite(tx, id, 'REQUEST', { candidate: true, assessorIds: panel.memberIds });
        await this.notices.scheduleReminders(tx, booking, [user.id, ...panel.memberIds]);
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'panel.booked',
          subjectType: 'panel_booking',
          subjectId: id,
          // the pool the panel was drawn from: assessors with no conflict, and those of them free at that time
          data: {
            start: new Date(start).toISOString(),
            panel: panel.memberIds,
            chair: panel.chairId,
            poolSize: pool.length,
            eligibleCount: panel.eligibleCount,
          },
        });
      })
      .catch(rethrowDoubleBooking);
    return this.mine(user);
  }

  /** The candidate's own change: at least the cut-off ahead, within the number of changes allowed. */
  private async changeable(
    tx: EntityManager,
    user: AuthUser,
  ): Promise<{ interview: Interview; booking: Booking; settings: PanelSettings }> {
    const interview = await this.panels.interviewOf(user.id, tx, true);
    const booking = interview && (await this.bookings.liveBooking(interview.id, tx, true));
    if (!interview || !booking) throw new NotFoundException('You have no booked panel interview');
    const settings = await this.panels.settings(tx);
    if (!this.beforeCutoff(booking, settings)) {
      throw new ConflictException(
        `The interview starts in less than ${settings.changeCutoffHours} hours; please contact the certification body`,
      );
    }
    if (interview.reschedulesUsed >= settings.maxReschedules) {
      throw new ConflictException(
        `You have used all ${settings.maxReschedules} changes to this booking; please contact the certification body`,
      );
    }
    return { interview, booking, settings };
  }

  async reschedule(user: AuthUser, dto: BookSlotDto): Promise<CandidatePanelDto> {
    const start = this.startOf(dto);
    const tz = this.zone(dto.timeZone);
    await this.dataSource
      .transaction(async (tx) => {
        await this.bookings.lock(tx);
        const { interview, booking, settings } = await this.changeable(tx, user);
        if (booking.startsAt.getTime() === start) throw new ConflictException('The booking is already at that time');
        const rules = rulesOf(settings);
        const current = await this.bookings.members(booking.id, tx);
        const currentIds = current.map((m) => m.assessorId);
        const pool = await this.assessors.eligibleCalendars(user.id, tx, booking.id);
        const panel = panelFor(pool, start, Date.now(), rules, currentIds);
        if (!panel) throw new ConflictException('That time is no longer available; please choose another slot');
        const end = new Date(start + rules.durationMinutes * 60_000);
        const removed = currentIds.filter((id) => !panel.memberIds.includes(id));
        await this.bookings.deactivateMembers(tx, booking.id, removed, 'booking moved');
        for (const assessorId of panel.memberIds) {
          await this.bookings.upsertMember(
            tx,
            booking.id,
            assessorId,
            assessorId === panel.chairId,
            new Date(start),
            end,
            rules.bufferMinutes,
          );
        }
        await this.bookings.move(tx, booking.id, new Date(start), end);
        await this.panels.countChange(tx, interview.id, tz);
        const moved = (await this.bookings.booking(booking.id, tx))!;
        if (removed.length) await this.notices.invite(tx, booking.id, 'CANCEL', { candidate: false, assessorIds: removed }, current);
        await this.notices.invite(tx, booking.id, 'REQUEST', { candidate: true, assessorIds: panel.memberIds });
        await this.notices.cancelReminders(tx, booking.id);
        await this.notices.scheduleReminders(tx, moved, [user.id, ...panel.memberIds]);
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'panel.rescheduled',
          subjectType: 'panel_booking',
          subjectId: booking.id,
          data: {
            from: booking.startsAt.toISOString(),
            to: new Date(start).toISOString(),
            panel: panel.memberIds,
            sequence: moved.sequence,
            poolSize: pool.length,
            eligibleCount: panel.eligibleCount,
          },
        });
      })
      .catch(rethrowDoubleBooking);
    return this.mine(user);
  }

  /** A cancellation counts as one of the candidate's changes, so cancel-and-rebook cannot bypass the limit. */
  async cancel(user: AuthUser): Promise<CandidatePanelDto> {
    await this.dataSource.transaction(async (tx) => {
      await this.bookings.lock(tx);
      const { interview, booking } = await this.changeable(tx, user);
      await this.changes.cancelBooking(tx, booking, interview, 'cancelled by the candidate', user.id);
      await this.panels.countChange(tx, interview.id);
    });
    return this.mine(user);
  }

  async invitation(user: AuthUser): Promise<string> {
    const interview = await this.panels.interviewOf(user.id);
    const booking = interview && (await this.bookings.liveBooking(interview.id));
    if (!interview || !booking) throw new NotFoundException('You have no booked panel interview');
    const candidate = (await this.panels.person(user.id))!;
    return this.notices.ics('REQUEST', booking, candidate, [], true);
  }
}
