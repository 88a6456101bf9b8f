import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { IndependenceService } from '../independence/independence.service';
import { AssessorsRepository } from './assessors.repository';
import { type AdminBooking, type BookingFilter, BookingsRepository } from './bookings.repository';
import { AdminBookingDto, AdminBookingsPageDto, AdminBookingsQueryDto, AssessorRowDto, PanelSettingsDto } from './dto/panel.dto';
import { CSV_EXPORT_CAP, toCsv } from '../../common/lists/csv';
import { dayRange, pageRequest } from '../../common/lists/list-query';
import { PanelBookingsService } from './panel-bookings.service';
import { PanelWaitlistService } from './panel-waitlist.service';
import { type PanelSettings, PanelsRepository } from './panels.repository';

/** The certification body's side: who assesses, the bookings overview, cancelling, and the panel settings. */
@Injectable()
export class PanelAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly assessorProfiles: AssessorsRepository,
    private readonly changes: PanelBookingsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly independence: IndependenceService,
    private readonly waitlist: PanelWaitlistService,
  ) {}

  async assessors(): Promise<AssessorRowDto[]> {
    const rows = await this.assessorProfiles.listing();
    return rows.map((r) => ({
      userId: r.id,
      name: r.fullName,
      email: r.email,
      assessor: r.assessor,
      isChair: r.isChair,
      active: r.active,
      timeZone: r.timeZone,
      upcomingPanels: r.upcoming,
    }));
  }

  async setAssessor(actor: AuthUser, userId: string, active: boolean, isChair: boolean): Promise<AssessorRowDto[]> {
    await this.dataSource.transaction(async (tx) => {
      if (!(await this.assessorProfiles.isReviewer(tx, userId)))
        throw new NotFoundException('No reviewer with that id; give the account the reviewer role first');
      await this.assessorProfiles.upsertRole(tx, userId, active, isChair);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'panel.assessor_set',
        subjectType: 'assessor',
        subjectId: userId,
        data: { active, isChair },
      });
      await this.waitlist.availabilityChanged(tx);
    });
    return this.assessors();
  }

  /** Bookings of the last 30 days and all upcoming ones, soonest first. */
  async bookingList(q: AdminBookingsQueryDto): Promise<AdminBookingsPageDto> {
    const { page, pageSize, offset } = pageRequest(q);
    const { rows, total } = await this.bookings.adminSearch(bookingFilterOf(q), { limit: pageSize, offset });
    return { items: rows.map(toAdminBooking), total, page, pageSize };
  }

  /** The filtered bookings as CSV (every page, up to CSV_EXPORT_CAP rows), in the list's order. */
  async bookingsCsv(q: AdminBookingsQueryDto): Promise<string> {
    const { rows } = await this.bookings.adminSearch(bookingFilterOf(q), { limit: CSV_EXPORT_CAP, offset: 0 });
    return toCsv([
      ['id', 'candidate', 'starts_at', 'ends_at', 'status', 'panel', 'close_reason'],
      ...rows.map(toAdminBooking).map((b) => [b.id, b.candidateName, b.start, b.end, b.status, b.panel.join('; '), b.closeReason]),
    ]);
  }

  /**
   * The certification body cancels a booking at any time before it starts (illness inside the
   * 24-hour window, an emergency): the candidate rebooks without it counting as one of their changes.
   */
  async adminCancel(actor: AuthUser, bookingId: string, reason: string): Promise<AdminBookingDto> {
    if (!reason.trim()) throw new BadRequestException('reason is required');
    await this.dataSource.transaction(async (tx) => {
      await this.bookings.lock(tx);
      const booking = await this.bookings.booking(bookingId, tx, true);
      if (!booking) throw new NotFoundException('No such booking');
      const interview = (await this.panels.interview(booking.interviewId, tx, true))!;
      await this.independence.assertIndependent(tx, actor.id, interview.candidateId);
      if (booking.status !== 'booked') throw new ConflictException(`This booking is ${booking.status.replace(/_/g, ' ')}`);
      if (booking.startsAt.getTime() <= Date.now())
        throw new ConflictException('The interview has started; the chair records what happened');
      await this.changes.cancelBooking(tx, booking, interview, `cancelled by the certification body: ${reason}`, actor.id);
      await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id, reason: 'rebook' });
    });
    const { rows } = await this.bookings.adminSearch({ id: bookingId, order: 'asc' }, { limit: 1, offset: 0 });
    return toAdminBooking(rows[0]);
  }

  async settings(): Promise<PanelSettingsDto> {
    return settingsView(await this.panels.settings());
  }

  async saveSettings(actor: AuthUser, dto: PanelSettingsDto): Promise<PanelSettingsDto> {
    await this.dataSource.transaction(async (tx) => {
      // Two administrators editing at once: the later save must not silently undo the earlier one.
      const current = settingsView(await this.panels.lockSettings(tx));
      if (dto.revision !== undefined && dto.revision !== current.revision) {
        throw new ConflictException({
          message:
            'Someone changed the panel settings after you opened them; nothing was saved. They are now: ' +
            `interviews of ${current.durationMinutes} minutes, ${current.minNoticeHours} hours' notice, booked up to ${current.horizonDays} days ahead. ` +
            'Load them, check them and save again.',
          reason: 'stale_settings',
        });
      }
      await this.panels.saveSettings(tx, {
        durationMinutes: dto.durationMinutes,
        bufferMinutes: dto.bufferMinutes,
        minNoticeHours: dto.minNoticeHours,
        horizonDays: dto.horizonDays,
        stepMinutes: dto.stepMinutes,
        maxReschedules: dto.maxChanges,
        changeCutoffHours: dto.changeCutoffHours,
        metScore: dto.metScore,
        domainPassVotes: dto.domainPassVotes,
        candidateNoShow: dto.candidateNoShow,
      });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'panel.settings_changed',
        subjectType: 'panel_settings',
        subjectId: null,
        data: withoutRevision(dto),
      });
      // A longer horizon, shorter notice or shorter interview can open slots for those waiting.
      await this.waitlist.availabilityChanged(tx);
    });
    return this.settings();
  }
}

/** The settings as administrators see them, with a revision that changes whenever any of them does. */
function settingsView(s: PanelSettings): PanelSettingsDto & { revision: string } {
  const view = {
    durationMinutes: s.durationMinutes,
    bufferMinutes: s.bufferMinutes,
    minNoticeHours: s.minNoticeHours,
    horizonDays: s.horizonDays,
    stepMinutes: s.stepMinutes,
    maxChanges: s.maxReschedules,
    changeCutoffHours: s.changeCutoffHours,
    metScore: s.metScore,
    domainPassVotes: s.domainPassVotes,
    candidateNoShow: s.candidateNoShow,
  };
  return { ...view, revision: createHash('sha256').update(JSON.stringify(view)).digest('base64url').slice(0, 22) };
}

const withoutRevision = ({ revision: _, ...settings }: PanelSettingsDto) => settings;

function bookingFilterOf(q: AdminBookingsQueryDto): BookingFilter {
  const starts = dayRange(q.from, q.to);
  return { query: q.query, status: q.status, startsFrom: starts.start, startsBefore: starts.end, order: q.order ?? 'desc' };
}

function toAdminBooking(r: AdminBooking): AdminBookingDto {
  return {
    id: r.id,
    start: r.startsAt.toISOString(),
    end: r.endsAt.toISOString(),
    status: r.status,
    candidateName: r.candidate,
    panel: r.panel,
    closeReason: r.closeReason ?? null,
  };
}
