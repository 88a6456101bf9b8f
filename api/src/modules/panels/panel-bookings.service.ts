import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { cryptoRandom, drawKeys } from '../../common/random-draw';
import { JobName } from '../../infrastructure/queue/job-names';
import type { StandingLoss } from '../../infrastructure/queue/job-payloads';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { AssessorsRepository } from './assessors.repository';
import { bookingLifecycle, type BookingState } from './booking-lifecycle';
import { type Booking, BookingsRepository } from './bookings.repository';
import { WithdrawResultDto } from './dto/panel.dto';
import { interviewLifecycle } from './interview-lifecycle';
import { PanelNoticesService } from './panel-notices.service';
import { PanelScoresRepository } from './panel-scores.repository';
import { PanelWaitlistService } from './panel-waitlist.service';
import { type Interview, PanelsRepository, rulesOf } from './panels.repository';
import { isFree, panelsInWeek, prepare } from './slot-computation';

/** The exclusion constraint is the last word on double-booking; surface it as the conflict it is. */
export function rethrowDoubleBooking(error: unknown): never {
  if ((error as { code?: string }).code === '23P01')
    throw new ConflictException('That time is no longer available; please choose another slot');
  if ((error as { code?: string }).code === '23505') throw new ConflictException('You already have a booking');
  throw error;
}

/** Changes to a booked panel that anyone may cause: cancelling it, and an assessor dropping out. */
@Injectable()
export class PanelBookingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly assessors: AssessorsRepository,
    private readonly scores: PanelScoresRepository,
    private readonly notices: PanelNoticesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly waitlist: PanelWaitlistService,
  ) {}

  /** Ends a live booking: everyone gets a CANCEL with a higher SEQUENCE and the reminders go. */
  async cancelBooking(
    tx: EntityManager,
    booking: Booking,
    interview: Interview,
    reason: string,
    actorId: string | null,
    status: BookingState = 'cancelled',
  ) {
    // Both rows are locked by every caller; the conditional UPDATEs are the backstop.
    bookingLifecycle.assert(booking.status, status);
    interviewLifecycle.assert(interview.status, 'awaiting_booking');
    const members = await this.bookings.members(booking.id, tx);
    const cancelled = await this.bookings.close(tx, booking.id, status, reason, bookingLifecycle.from(status));
    if (!cancelled) {
      const current = await this.bookings.currentStatus(tx, booking.id);
      throw new LifecycleError(bookingLifecycle.name, current ?? booking.status, status);
    }
    await this.bookings.deactivateMembers(tx, booking.id, 'all', reason);
    // Nobody can submit a sheet for a cancelled booking: the assessors' notes on the candidate serve no purpose any more.
    await this.scores.deleteDrafts(tx, booking.id);
    await this.panels.reopen(tx, interview.id, { onlyFrom: interviewLifecycle.from('awaiting_booking') });
    await this.notices.invite(tx, booking.id, 'CANCEL', { candidate: true, assessorIds: members.map((m) => m.assessorId) }, members);
    await this.notices.cancelReminders(tx, booking.id);
    await this.audit.append(tx, {
      actorId,
      action: 'panel.cancelled',
      subjectType: 'panel_booking',
      subjectId: booking.id,
      data: { reason, status },
    });
    // The panel's seats are free again: someone on the waitlist may now have a slot.
    await this.waitlist.availabilityChanged(tx);
  }

  /**
   * An assessor leaves a panel before it sits: an eligible replacement free for the whole
   * interview takes the place (a chair when the chair leaves); otherwise the booking is cancelled
   * and the candidate is asked to rebook, without it counting as one of their changes.
   */
  async withdraw(user: AuthUser, bookingId: string, reason: string): Promise<WithdrawResultDto> {
    if (!reason.trim()) throw new BadRequestException('reason is required');
    return this.dataSource
      .transaction(async (tx) => {
        await this.bookings.lock(tx);
        const booking = await this.bookings.booking(bookingId, tx, true);
        const members = booking ? await this.bookings.members(bookingId, tx) : [];
        if (!booking || !members.some((m) => m.assessorId === user.id)) throw new NotFoundException('No such panel');
        if (booking.status !== 'booked' || booking.startsAt.getTime() <= Date.now())
          throw new ConflictException('This panel has already started or ended');
        return this.withdrawSeat(tx, booking, user.id, reason, user.id);
      })
      .catch(rethrowDoubleBooking);
  }

  /**
   * Someone may no longer assess (deactivated, or the reviewer role removed): they leave every panel
   * that has not started, exactly as if they had withdrawn (replaced, or the booking cancelled for the
   * candidate to rebook); a deactivated candidate's own booking is cancelled. One transaction per
   * booking; idempotent, and nothing happens if they may assess again by the time this runs.
   */
  async releasePerson(userId: string, actorId: string, cause: StandingLoss): Promise<void> {
    const standing = await this.assessors.standing(userId);
    if (!standing) return;
    const reason = cause === 'deactivated' ? "the assessor's account was deactivated" : 'the reviewer role was removed';
    if (!standing.reviewer || standing.deactivated) {
      for (const bookingId of await this.bookings.upcomingSeatsOf(userId)) {
        await this.dataSource
          .transaction(async (tx) => {
            await this.bookings.lock(tx);
            const booking = await this.bookings.booking(bookingId, tx, true);
            if (!booking || booking.status !== 'booked' || booking.startsAt.getTime() <= Date.now()) return;
            if (!(await this.bookings.isActiveMember(tx, bookingId, userId))) return;
            await this.withdrawSeat(tx, booking, userId, `removed by the certification body: ${reason}`, actorId);
          })
          .catch(rethrowDoubleBooking);
      }
    }
    if (standing.deactivated) {
      await this.dataSource.transaction(async (tx) => {
        await this.bookings.lock(tx);
        const interview = await this.panels.interviewOf(userId, tx, true);
        const booking = interview && (await this.bookings.liveBooking(interview.id, tx, true));
        if (!interview || !booking || booking.startsAt.getTime() <= Date.now()) return;
        await this.cancelBooking(
          tx,
          booking,
          interview,
          "cancelled by the certification body: the candidate's account was deactivated",
          actorId,
        );
      });
    }
  }

  /** The assessor leaves the booking (locked, booked, not started); `actorId` is who caused it. */
  private async withdrawSeat(
    tx: EntityManager,
    booking: Booking,
    assessorId: string,
    reason: string,
    actorId: string,
  ): Promise<WithdrawResultDto> {
    const bookingId = booking.id;
    const members = await this.bookings.members(bookingId, tx);
    const me = members.find((m) => m.assessorId === assessorId)!;
    const interview = (await this.panels.interview(booking.interviewId, tx, true))!;
    const settings = await this.panels.settings(tx);
    const rules = rulesOf(settings);
    const start = booking.startsAt.getTime();
    const remaining = members.filter((m) => m.assessorId !== assessorId);
    // When the chair leaves, a chair-capable member still on the panel takes the chair; only
    // when there is none must the replacement be a chair.
    const successor = me.isChair
      ? await this.assessors.firstChair(
          tx,
          remaining.map((m) => m.assessorId),
        )
      : null;
    const needChair = me.isChair && !successor;
    // anyone who has sat on this booking before (and left it) is not asked again
    const everMembers = await this.bookings.members(bookingId, tx, false);
    const pool = (await this.assessors.eligibleCalendars(interview.candidateId, tx, booking.id)).filter(
      (a) => !everMembers.some((m) => m.assessorId === a.id) && (!needChair || a.isChair),
    );
    // the least loaded that week, drawn at random among equals (nobody can line up who replaces whom)
    const free = prepare(pool, start, start + rules.durationMinutes * 60_000).filter((a) => isFree(a, start, rules));
    const key = drawKeys(
      free.map((a) => a.id),
      cryptoRandom,
    );
    free.sort((x, y) => panelsInWeek(x, start) - panelsInWeek(y, start) || key.get(x.id)! - key.get(y.id)!);
    await this.bookings.deactivateMembers(tx, bookingId, [assessorId], `withdrew: ${reason}`);
    // Off the panel, they can no longer submit: their sheet in progress goes with the seat.
    await this.scores.deleteDrafts(tx, bookingId, assessorId);
    await this.audit.append(tx, {
      actorId,
      action: 'panel.assessor_withdrew',
      subjectType: 'panel_booking',
      subjectId: bookingId,
      data: { reason, ...(actorId === assessorId ? {} : { assessorId }) },
    });
    const replacement = free[0];
    if (!replacement) {
      await this.cancelBooking(tx, booking, interview, 'panel incomplete: an assessor withdrew and no replacement was free', null);
      await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
      return { outcome: 'cancelled' };
    }
    if (successor) await this.bookings.makeChair(tx, bookingId, successor);
    await this.bookings.upsertMember(tx, bookingId, replacement.id, needChair, booking.startsAt, booking.endsAt, rules.bufferMinutes);
    await this.bookings.bumpSequence(tx, bookingId);
    const updated = (await this.bookings.booking(bookingId, tx))!;
    await this.notices.invite(tx, bookingId, 'CANCEL', { candidate: false, assessorIds: [assessorId] }, members);
    await this.notices.invite(tx, bookingId, 'REQUEST', {
      candidate: false,
      assessorIds: [...remaining.map((m) => m.assessorId), replacement.id],
    });
    await this.notices.cancelReminders(tx, bookingId, [assessorId]);
    await this.notices.scheduleReminders(tx, updated, [replacement.id]);
    await this.audit.append(tx, {
      actorId: null,
      action: 'panel.assessor_replaced',
      subjectType: 'panel_booking',
      subjectId: bookingId,
      data: { left: assessorId, joined: replacement.id, poolSize: pool.length, eligibleCount: free.length },
    });
    return { outcome: 'replaced' };
  }
}
