import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import {
  AdminBookingDto,
  AssessorRowDto,
  AvailabilityDto,
  AvailabilityInputDto,
  BookSlotDto,
  CalendarDto,
  CandidatePanelDto,
  PanelSettingsDto,
  SlotListDto,
  WithdrawResultDto,
} from './dto/panel.dto';
import { bookingLifecycle, type BookingState } from './booking-lifecycle';
import { interviewLifecycle, OPEN_INTERVIEW_STATES } from './interview-lifecycle';
import { PanelNoticesService } from './panel-notices.service';
import { PanelDecisionsService } from './panel-decisions.service';
import { BookingRow, InterviewRow, PanelSettingsRow, PanelsRepository, rulesOf } from './panels.repository';
import { computeSlots, groupByLocalDate, isFree, panelFor, panelsInWeek, prepare } from './slot-computation';
import { addDays, isoWeekday, isValidTimeZone, localDateOf, minutesOf, wallTimeAt } from './time-zones';

// Every booking change takes this lock first: bookings are rare, and serialising them makes the
// availability check and the insert one atomic step across all API replicas.
const BOOKING_LOCK = `SELECT pg_advisory_xact_lock(hashtext('psf:panel-booking'))`;

const hhmm = (ms: number, tz: string) => {
  const w = wallTimeAt(ms, tz);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};

/** Availability, slots and bookings for CPAA panel interviews. */
@Injectable()
export class PanelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: PanelsRepository,
    private readonly notices: PanelNoticesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly decisions: PanelDecisionsService,
  ) {}

  // ---- assessors: availability ----

  private async profile(userId: string) {
    const [p] = await this.dataSource.query(`SELECT * FROM assessor_profiles WHERE user_id = $1`, [userId]);
    if (!p) throw new NotFoundException('You are not an assessor yet; the certification body adds assessors');
    return p;
  }

  async availability(user: AuthUser): Promise<AvailabilityDto> {
    const p = await this.profile(user.id);
    return {
      timeZone: p.time_zone,
      weeklyCap: p.weekly_cap,
      weekly: p.weekly_windows,
      overrides: p.date_overrides,
      isChair: p.is_chair,
      active: p.active,
    };
  }

  async saveAvailability(user: AuthUser, dto: AvailabilityInputDto): Promise<AvailabilityDto> {
    await this.profile(user.id);
    if (!isValidTimeZone(dto.timeZone)) throw new BadRequestException(`timeZone: ${dto.timeZone} is not an IANA time zone`);
    const windows = [...dto.weekly, ...dto.overrides.flatMap((o) => o.windows)];
    for (const w of windows) {
      if (minutesOf(w.end) <= minutesOf(w.start)) throw new BadRequestException(`window ${w.start}–${w.end}: end must be after start`);
    }
    const dates = dto.overrides.map((o) => o.date);
    if (new Set(dates).size !== dates.length) throw new BadRequestException('overrides: one entry per date');
    for (const d of dates) if (addDays(d, 0) !== d) throw new BadRequestException(`overrides: ${d} is not a date`); // 2026-02-30 does not round-trip
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE assessor_profiles SET time_zone = $2, weekly_cap = $3, weekly_windows = $4, date_overrides = $5, updated_at = now() WHERE user_id = $1`,
        [
          user.id,
          dto.timeZone,
          dto.weeklyCap,
          JSON.stringify(dto.weekly.map(({ weekday, start, end }) => ({ weekday, start, end }))),
          JSON.stringify(
            dto.overrides
              .map(({ date, windows: w }) => ({ date, windows: w.map(({ start, end }) => ({ start, end })) }))
              .sort((a, b) => a.date.localeCompare(b.date)),
          ),
        ],
      );
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.availability_changed',
        subjectType: 'assessor',
        subjectId: user.id,
        data: { timeZone: dto.timeZone, weeklyCap: dto.weeklyCap },
      });
    });
    return this.availability(user);
  }

  /** Four weeks of the assessor's own calendar: windows per local date and their panels. */
  async calendar(user: AuthUser, from?: string): Promise<CalendarDto> {
    const p = await this.profile(user.id);
    const tz = p.time_zone as string;
    const start = from && /^\d{4}-\d{2}-\d{2}$/.test(from) && !Number.isNaN(Date.parse(from)) ? from : localDateOf(Date.now(), tz);
    const overrides = new Map<string, Array<{ start: string; end: string }>>(
      p.date_overrides.map((o: { date: string; windows: [] }) => [o.date, o.windows]),
    );
    const bookings: Array<{ id: string; starts_at: Date; ends_at: Date }> = await this.dataSource.query(
      `SELECT b.id, b.starts_at, b.ends_at FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id
       WHERE mb.assessor_id = $1 AND mb.active AND b.status = 'booked' AND b.ends_at > now() - interval '1 day' ORDER BY b.starts_at`,
      [user.id],
    );
    const days = [];
    for (let i = 0; i < 28; i++) {
      const date = addDays(start, i);
      const weekday = isoWeekday(date);
      days.push({
        date,
        weekday,
        overridden: overrides.has(date),
        windows: (overrides.get(date) ?? p.weekly_windows.filter((w: { weekday: number }) => w.weekday === weekday)).map(
          (w: { start: string; end: string }) => ({ start: w.start, end: w.end }),
        ),
        bookings: bookings
          .filter((b) => localDateOf(b.starts_at.getTime(), tz) === date)
          .map((b) => ({
            bookingId: b.id,
            start: b.starts_at.toISOString(),
            end: b.ends_at.toISOString(),
            localStart: hhmm(b.starts_at.getTime(), tz),
            localEnd: hhmm(b.ends_at.getTime(), tz),
          })),
      });
    }
    return { timeZone: tz, days };
  }

  // ---- candidates: stage, slots, booking ----

  async mine(user: AuthUser): Promise<CandidatePanelDto> {
    const settings = await this.repo.settings();
    const interview = await this.repo.interviewOf(this.dataSource, user.id);
    const base = { durationMinutes: settings.duration_minutes, changeCutoffHours: settings.change_cutoff_hours };
    if (!interview) {
      return {
        ...base,
        stage: 'not_eligible',
        timeZone: 'UTC',
        changesLeft: settings.max_reschedules,
        canChange: false,
        booking: null,
        decision: null,
        certificateNumber: null,
      };
    }
    const booking =
      (await this.repo.liveBooking(this.dataSource, interview.id)) ?? (await this.repo.latestBooking(this.dataSource, interview.id));
    const changesLeft = Math.max(0, settings.max_reschedules - interview.reschedules_used);
    const live = booking?.status === 'booked';
    const [cert] = await this.dataSource.query(`SELECT number FROM certificates WHERE source_type = 'panel_interview' AND source_id = $1`, [
      interview.id,
    ]);
    return {
      ...base,
      stage: interviewLifecycle.isFinal(interview.status) ? 'decided' : interview.status,
      interviewId: interview.id,
      timeZone: interview.time_zone,
      changesLeft,
      canChange: Boolean(live && changesLeft > 0 && this.beforeCutoff(booking!, settings)),
      booking:
        booking && booking.status !== 'cancelled'
          ? {
              id: booking.id,
              start: booking.starts_at.toISOString(),
              end: booking.ends_at.toISOString(),
              status: booking.status,
              meetingUrl: booking.meeting_url,
              sequence: booking.sequence,
            }
          : null,
      decision: await this.decisions.decisionOf(interview.id),
      certificateNumber: cert?.number ?? null,
    };
  }

  private beforeCutoff(booking: BookingRow, settings: PanelSettingsRow): boolean {
    return booking.starts_at.getTime() - Date.now() >= settings.change_cutoff_hours * 3_600_000;
  }

  private zone(timeZone: string): string {
    if (!isValidTimeZone(timeZone)) throw new BadRequestException(`timeZone: ${timeZone} is not an IANA time zone`);
    return timeZone;
  }

  async slots(user: AuthUser, timeZone: string | undefined): Promise<SlotListDto> {
    const interview = await this.repo.interviewOf(this.dataSource, user.id);
    if (!interview || !OPEN_INTERVIEW_STATES.includes(interview.status)) throw new NotFoundException('You have no panel interview to book');
    const tz = this.zone(timeZone ?? interview.time_zone);
    const settings = await this.repo.settings();
    const live = await this.repo.liveBooking(this.dataSource, interview.id);
    const calendars = await this.repo.eligibleCalendars(this.dataSource, user.id, live?.id ?? null);
    const slots = computeSlots(calendars, Date.now(), rulesOf(settings));
    return {
      timeZone: tz,
      durationMinutes: settings.duration_minutes,
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
    const start = this.startOf(dto);
    const tz = this.zone(dto.timeZone);
    await this.dataSource
      .transaction(async (tx) => {
        await tx.query(BOOKING_LOCK);
        const interview = await this.repo.interviewOf(tx, user.id, true);
        if (!interview || !OPEN_INTERVIEW_STATES.includes(interview.status))
          throw new NotFoundException('You have no panel interview to book');
        if (interview.status === 'booked') throw new ConflictException('You already have a booking; reschedule it instead');
        interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'booked');
        const settings = await this.repo.settings(tx);
        const rules = rulesOf(settings);
        const panel = panelFor(await this.repo.eligibleCalendars(tx, user.id), start, Date.now(), rules);
        if (!panel) throw new ConflictException('That time is no longer available; please choose another slot');
        const id = randomUUID();
        const end = new Date(start + rules.durationMinutes * 60_000);
        await tx.query(`INSERT INTO panel_bookings (id, interview_id, starts_at, ends_at, meeting_url) VALUES ($1, $2, $3, $4, $5)`, [
          id,
          interview.id,
          new Date(start),
          end,
          this.notices.meetingUrl(id),
        ]);
        for (const assessorId of panel.memberIds) {
          await this.repo.upsertMember(tx, id, assessorId, assessorId === panel.chairId, new Date(start), end, rules.bufferMinutes);
        }
        await tx.query(`UPDATE panel_interviews SET status = 'booked', time_zone = $2 WHERE id = $1`, [interview.id, tz]);
        const booking = (await this.repo.booking(tx, id))!;
        await this.notices.invite(tx, id, 'REQUEST', { candidate: true, assessorIds: panel.memberIds });
        await this.notices.scheduleReminders(tx, booking, [user.id, ...panel.memberIds]);
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'panel.booked',
          subjectType: 'panel_booking',
          subjectId: id,
          data: { start: new Date(start).toISOString(), panel: panel.memberIds, chair: panel.chairId },
        });
      })
      .catch(rethrowDoubleBooking);
    return this.mine(user);
  }

  /** The candidate's own change: at least the cut-off ahead, within the number of changes allowed. */
  private async changeable(
    tx: EntityManager,
    user: AuthUser,
  ): Promise<{ interview: InterviewRow; booking: BookingRow; settings: PanelSettingsRow }> {
    const interview = await this.repo.interviewOf(tx, user.id, true);
    const booking = interview && (await this.repo.liveBooking(tx, interview.id, true));
    if (!interview || !booking) throw new NotFoundException('You have no booked panel interview');
    const settings = await this.repo.settings(tx);
    if (!this.beforeCutoff(booking, settings)) {
      throw new ConflictException(
        `The interview starts in less than ${settings.change_cutoff_hours} hours; please contact the certification body`,
      );
    }
    if (interview.reschedules_used >= settings.max_reschedules) {
      throw new ConflictException(
        `You have used all ${settings.max_reschedules} changes to this booking; please contact the certification body`,
      );
    }
    return { interview, booking, settings };
  }

  async reschedule(user: AuthUser, dto: BookSlotDto): Promise<CandidatePanelDto> {
    const start = this.startOf(dto);
    const tz = this.zone(dto.timeZone);
    await this.dataSource
      .transaction(async (tx) => {
        await tx.query(BOOKING_LOCK);
        const { interview, booking, settings } = await this.changeable(tx, user);
        if (booking.starts_at.getTime() === start) throw new ConflictException('The booking is already at that time');
        const rules = rulesOf(settings);
        const current = await this.repo.members(tx, booking.id);
        const currentIds = current.map((m) => m.assessor_id);
        const panel = panelFor(await this.repo.eligibleCalendars(tx, user.id, booking.id), start, Date.now(), rules, currentIds);
        if (!panel) throw new ConflictException('That time is no longer available; please choose another slot');
        const end = new Date(start + rules.durationMinutes * 60_000);
        const removed = currentIds.filter((id) => !panel.memberIds.includes(id));
        await this.repo.deactivateMembers(tx, booking.id, removed, 'booking moved');
        for (const assessorId of panel.memberIds) {
          await this.repo.upsertMember(tx, booking.id, assessorId, assessorId === panel.chairId, new Date(start), end, rules.bufferMinutes);
        }
        await tx.query(
          `UPDATE panel_bookings SET starts_at = $2, ends_at = $3, sequence = sequence + 1, updated_at = now() WHERE id = $1`,
          [booking.id, new Date(start), end],
        );
        await tx.query(`UPDATE panel_interviews SET reschedules_used = reschedules_used + 1, time_zone = $2 WHERE id = $1`, [
          interview.id,
          tz,
        ]);
        const moved = (await this.repo.booking(tx, booking.id))!;
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
            from: booking.starts_at.toISOString(),
            to: new Date(start).toISOString(),
            panel: panel.memberIds,
            sequence: moved.sequence,
          },
        });
      })
      .catch(rethrowDoubleBooking);
    return this.mine(user);
  }

  /** A cancellation counts as one of the candidate's changes, so cancel-and-rebook cannot bypass the limit. */
  async cancel(user: AuthUser): Promise<CandidatePanelDto> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(BOOKING_LOCK);
      const { interview, booking } = await this.changeable(tx, user);
      await this.cancelBooking(tx, booking, interview, 'cancelled by the candidate', user.id);
      await tx.query(`UPDATE panel_interviews SET reschedules_used = reschedules_used + 1 WHERE id = $1`, [interview.id]);
    });
    return this.mine(user);
  }

  /** Ends a live booking: everyone gets a CANCEL with a higher SEQUENCE and the reminders go. */
  async cancelBooking(
    tx: EntityManager,
    booking: BookingRow,
    interview: InterviewRow,
    reason: string,
    actorId: string | null,
    status: BookingState = 'cancelled',
  ) {
    // Both rows are locked by every caller; the conditional UPDATEs are the backstop.
    bookingLifecycle.assert(bookingLifecycle.parse(booking.status), status);
    interviewLifecycle.assert(interviewLifecycle.parse(interview.status), 'awaiting_booking');
    const members = await this.repo.members(tx, booking.id);
    const [, cancelled] = await tx.query(
      `UPDATE panel_bookings SET status = $2, close_reason = $3, sequence = sequence + 1, updated_at = now()
       WHERE id = $1 AND status = ANY($4::text[])`,
      [booking.id, status, reason, bookingLifecycle.from(status)],
    );
    if (cancelled === 0) {
      const [current] = await tx.query(`SELECT status FROM panel_bookings WHERE id = $1`, [booking.id]);
      throw new LifecycleError(bookingLifecycle.name, current?.status ?? booking.status, status);
    }
    await this.repo.deactivateMembers(tx, booking.id, 'all', reason);
    await tx.query(`UPDATE panel_interviews SET status = 'awaiting_booking' WHERE id = $1 AND status = ANY($2::text[])`, [
      interview.id,
      interviewLifecycle.from('awaiting_booking'),
    ]);
    await this.notices.invite(tx, booking.id, 'CANCEL', { candidate: true, assessorIds: members.map((m) => m.assessor_id) }, members);
    await this.notices.cancelReminders(tx, booking.id);
    await this.audit.append(tx, {
      actorId,
      action: 'panel.cancelled',
      subjectType: 'panel_booking',
      subjectId: booking.id,
      data: { reason, status },
    });
  }

  async invitation(user: AuthUser): Promise<string> {
    const interview = await this.repo.interviewOf(this.dataSource, user.id);
    const booking = interview && (await this.repo.liveBooking(this.dataSource, interview.id));
    if (!interview || !booking) throw new NotFoundException('You have no booked panel interview');
    const candidate = await this.repo.person(this.dataSource, user.id);
    return this.notices.ics('REQUEST', booking, candidate, [], true);
  }

  // ---- assessor drop-out ----

  /**
   * An assessor leaves a panel before it sits: an eligible replacement free for the whole
   * interview takes the place (a chair when the chair leaves); otherwise the booking is cancelled
   * and the candidate is asked to rebook, without it counting as one of their changes.
   */
  async withdraw(user: AuthUser, bookingId: string, reason: string): Promise<WithdrawResultDto> {
    if (!reason.trim()) throw new BadRequestException('reason is required');
    return this.dataSource
      .transaction(async (tx) => {
        await tx.query(BOOKING_LOCK);
        const booking = await this.repo.booking(tx, bookingId, true);
        const members = booking ? await this.repo.members(tx, bookingId) : [];
        const me = members.find((m) => m.assessor_id === user.id);
        if (!booking || !me) throw new NotFoundException('No such panel');
        if (booking.status !== 'booked' || booking.starts_at.getTime() <= Date.now())
          throw new ConflictException('This panel has already started or ended');
        const interview = (await this.repo.interview(tx, booking.interview_id, true))!;
        const settings = await this.repo.settings(tx);
        const rules = rulesOf(settings);
        const start = booking.starts_at.getTime();
        const remaining = members.filter((m) => m.assessor_id !== user.id);
        // When the chair leaves, a chair-capable member still on the panel takes the chair; only
        // when there is none must the replacement be a chair.
        const [successor] = me.is_chair
          ? await tx.query(
              `SELECT user_id FROM assessor_profiles WHERE is_chair AND active AND user_id = ANY($1::uuid[]) ORDER BY user_id LIMIT 1`,
              [remaining.map((m) => m.assessor_id)],
            )
          : [];
        const needChair = me.is_chair && !successor;
        // anyone who has sat on this booking before (and left it) is not asked again
        const everMembers = await this.repo.members(tx, bookingId, false);
        const pool = (await this.repo.eligibleCalendars(tx, interview.candidate_id, booking.id)).filter(
          (a) => !everMembers.some((m) => m.assessor_id === a.id) && (!needChair || a.isChair),
        );
        const free = prepare(pool, start, start + rules.durationMinutes * 60_000)
          .filter((a) => isFree(a, start, rules))
          .sort((x, y) => panelsInWeek(x, start) - panelsInWeek(y, start) || x.id.localeCompare(y.id));
        await this.repo.deactivateMembers(tx, bookingId, [user.id], `withdrew: ${reason}`);
        await this.audit.append(tx, {
          actorId: user.id,
          action: 'panel.assessor_withdrew',
          subjectType: 'panel_booking',
          subjectId: bookingId,
          data: { reason },
        });
        const replacement = free[0];
        if (!replacement) {
          await this.cancelBooking(tx, booking, interview, 'panel incomplete: an assessor withdrew and no replacement was free', null);
          await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
          return { outcome: 'cancelled' };
        }
        if (successor)
          await tx.query(`UPDATE panel_members SET is_chair = true WHERE booking_id = $1 AND assessor_id = $2`, [
            bookingId,
            successor.user_id,
          ]);
        await this.repo.upsertMember(tx, bookingId, replacement.id, needChair, booking.starts_at, booking.ends_at, rules.bufferMinutes);
        await tx.query(`UPDATE panel_bookings SET sequence = sequence + 1, updated_at = now() WHERE id = $1`, [bookingId]);
        const updated = (await this.repo.booking(tx, bookingId))!;
        await this.notices.invite(tx, bookingId, 'CANCEL', { candidate: false, assessorIds: [user.id] }, members);
        await this.notices.invite(tx, bookingId, 'REQUEST', {
          candidate: false,
          assessorIds: [...remaining.map((m) => m.assessor_id), replacement.id],
        });
        await this.notices.cancelReminders(tx, bookingId, [user.id]);
        await this.notices.scheduleReminders(tx, updated, [replacement.id]);
        await this.audit.append(tx, {
          actorId: null,
          action: 'panel.assessor_replaced',
          subjectType: 'panel_booking',
          subjectId: bookingId,
          data: { left: user.id, joined: replacement.id },
        });
        return { outcome: 'replaced' };
      })
      .catch(rethrowDoubleBooking);
  }

  // ---- administration ----

  async assessors(): Promise<AssessorRowDto[]> {
    const rows = await this.dataSource.query(
      `SELECT u.id, u.full_name, u.email, p.user_id IS NOT NULL AS assessor, coalesce(p.is_chair, false) AS is_chair,
              coalesce(p.active, false) AS active, coalesce(p.time_zone, 'UTC') AS time_zone,
              (SELECT count(*)::int FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id
               WHERE mb.assessor_id = u.id AND mb.active AND b.status = 'booked' AND b.starts_at > now()) AS upcoming
       FROM users u LEFT JOIN assessor_profiles p ON p.user_id = u.id
       WHERE 'reviewer' = ANY(u.roles) ORDER BY u.full_name LIMIT 500`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      userId: r.id,
      name: r.full_name,
      email: r.email,
      assessor: r.assessor,
      isChair: r.is_chair,
      active: r.active,
      timeZone: r.time_zone,
      upcomingPanels: r.upcoming,
    }));
  }

  async setAssessor(actor: AuthUser, userId: string, active: boolean, isChair: boolean): Promise<AssessorRowDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const [u] = await tx.query(`SELECT id FROM users WHERE id = $1 AND 'reviewer' = ANY(roles)`, [userId]);
      if (!u) throw new NotFoundException('No reviewer with that id; give the account the reviewer role first');
      await tx.query(
        `INSERT INTO assessor_profiles (user_id, active, is_chair) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET active = $2, is_chair = $3, updated_at = now()`,
        [userId, active, isChair],
      );
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'panel.assessor_set',
        subjectType: 'assessor',
        subjectId: userId,
        data: { active, isChair },
      });
    });
    return this.assessors();
  }

  /** Bookings of the last 30 days and all upcoming ones, soonest first. */
  async bookings(): Promise<AdminBookingDto[]> {
    const rows = await this.dataSource.query(
      `SELECT b.id, b.starts_at, b.ends_at, b.status, b.close_reason, u.full_name AS candidate,
              coalesce(array_agg(a.full_name ORDER BY mb.is_chair DESC, a.full_name) FILTER (WHERE mb.active), ARRAY[]::text[]) AS panel
       FROM panel_bookings b JOIN panel_interviews iv ON iv.id = b.interview_id JOIN users u ON u.id = iv.candidate_id
       LEFT JOIN panel_members mb ON mb.booking_id = b.id LEFT JOIN users a ON a.id = mb.assessor_id
       WHERE b.starts_at > now() - interval '30 days'
       GROUP BY b.id, u.full_name ORDER BY b.starts_at LIMIT 500`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id,
      start: (r.starts_at as Date).toISOString(),
      end: (r.ends_at as Date).toISOString(),
      status: r.status,
      candidateName: r.candidate,
      panel: r.panel,
      closeReason: r.close_reason ?? null,
    }));
  }

  /**
   * The certification body cancels a booking at any time before it starts (illness inside the
   * 24-hour window, an emergency): the candidate rebooks without it counting as one of their changes.
   */
  async adminCancel(actor: AuthUser, bookingId: string, reason: string): Promise<AdminBookingDto[]> {
    if (!reason.trim()) throw new BadRequestException('reason is required');
    await this.dataSource.transaction(async (tx) => {
      await tx.query(BOOKING_LOCK);
      const booking = await this.repo.booking(tx, bookingId, true);
      if (!booking) throw new NotFoundException('No such booking');
      if (booking.status !== 'booked') throw new ConflictException(`This booking is ${booking.status.replace(/_/g, ' ')}`);
      if (booking.starts_at.getTime() <= Date.now())
        throw new ConflictException('The interview has started; the chair records what happened');
      const interview = (await this.repo.interview(tx, booking.interview_id, true))!;
      await this.cancelBooking(tx, booking, interview, `cancelled by the certification body: ${reason}`, actor.id);
      await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
    });
    return this.bookings();
  }

  async settings(): Promise<PanelSettingsDto> {
    const s = await this.repo.settings();
    return {
      durationMinutes: s.duration_minutes,
      bufferMinutes: s.buffer_minutes,
      minNoticeHours: s.min_notice_hours,
      horizonDays: s.horizon_days,
      stepMinutes: s.step_minutes,
      maxChanges: s.max_reschedules,
      changeCutoffHours: s.change_cutoff_hours,
      metScore: s.met_score,
      domainPassVotes: s.domain_pass_votes,
      candidateNoShow: s.candidate_no_show,
    };
  }

  async saveSettings(actor: AuthUser, dto: PanelSettingsDto): Promise<PanelSettingsDto> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `UPDATE panel_settings SET duration_minutes = $1, buffer_minutes = $2, min_notice_hours = $3, horizon_days = $4, step_minutes = $5,
           max_reschedules = $6, change_cutoff_hours = $7, met_score = $8, domain_pass_votes = $9, candidate_no_show = $10, updated_at = now()`,
        [
          dto.durationMinutes,
          dto.bufferMinutes,
          dto.minNoticeHours,
          dto.horizonDays,
          dto.stepMinutes,
          dto.maxChanges,
          dto.changeCutoffHours,
          dto.metScore,
          dto.domainPassVotes,
          dto.candidateNoShow,
        ],
      );
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'panel.settings_changed',
        subjectType: 'panel_settings',
        subjectId: null,
        data: { ...dto },
      });
    });
    return this.settings();
  }
}

/** The exclusion constraint is the last word on double-booking; surface it as the conflict it is. */
function rethrowDoubleBooking(error: unknown): never {
  if ((error as { code?: string }).code === '23P01')
    throw new ConflictException('That time is no longer available; please choose another slot');
  if ((error as { code?: string }).code === '23505') throw new ConflictException('You already have a booking');
  throw error;
}
