import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { type AssessorProfile, AssessorsRepository } from './assessors.repository';
import { BookingsRepository } from './bookings.repository';
import { PanelWaitlistService } from './panel-waitlist.service';
import { AvailabilityDto, AvailabilityInputDto, CalendarDto } from './dto/panel.dto';
import { addDays, isoWeekday, isValidTimeZone, localDateOf, minutesOf, wallTimeAt } from './time-zones';

const hhmm = (ms: number, tz: string) => {
  const w = wallTimeAt(ms, tz);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
};

/** An assessor's own availability: weekly windows, date overrides, the weekly cap, and their calendar. */
@Injectable()
export class AssessorAvailabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessors: AssessorsRepository,
    private readonly bookings: BookingsRepository,
    private readonly audit: AuditService,
    private readonly waitlist: PanelWaitlistService,
  ) {}

  private async profile(userId: string): Promise<AssessorProfile> {
    const p = await this.assessors.profile(userId);
    if (!p) throw new NotFoundException('You are not an assessor yet; the certification body adds assessors');
    return p;
  }

  async availability(user: AuthUser): Promise<AvailabilityDto> {
    const p = await this.profile(user.id);
    return {
      timeZone: p.timeZone,
      weeklyCap: p.weeklyCap,
      weekly: p.weeklyWindows,
      overrides: p.dateOverrides,
      isChair: p.isChair,
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
      await this.assessors.saveAvailability(tx, user.id, {
        timeZone: dto.timeZone,
        weeklyCap: dto.weeklyCap,
        weeklyWindows: dto.weekly.map(({ weekday, start, end }) => ({ weekday, start, end })),
        dateOverrides: dto.overrides
          .map(({ date, windows: w }) => ({ date, windows: w.map(({ start, end }) => ({ start, end })) }))
          .sort((a, b) => a.date.localeCompare(b.date)),
      });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.availability_changed',
        subjectType: 'assessor',
        subjectId: user.id,
        data: { timeZone: dto.timeZone, weeklyCap: dto.weeklyCap },
      });
      await this.waitlist.availabilityChanged(tx);
    });
    return this.availability(user);
  }

  /** Four weeks of the assessor's own calendar: windows per local date and their panels. */
  async calendar(user: AuthUser, from?: string): Promise<CalendarDto> {
    const p = await this.profile(user.id);
    const tz = p.timeZone;
    const start = from && /^\d{4}-\d{2}-\d{2}$/.test(from) && !Number.isNaN(Date.parse(from)) ? from : localDateOf(Date.now(), tz);
    const overrides = new Map<string, Array<{ start: string; end: string }>>(p.dateOverrides.map((o) => [o.date, o.windows]));
    const bookings = await this.bookings.assessorBookings(user.id);
    const days = [];
    for (let i = 0; i < 28; i++) {
      const date = addDays(start, i);
      const weekday = isoWeekday(date);
      days.push({
        date,
        weekday,
        overridden: overrides.has(date),
        windows: (overrides.get(date) ?? p.weeklyWindows.filter((w) => w.weekday === weekday)).map((w: { start: string; end: string }) => ({
          start: w.start,
          end: w.end,
        })),
        bookings: bookings
          .filter((b) => localDateOf(b.startsAt.getTime(), tz) === date)
          .map((b) => ({
            bookingId: b.id,
            start: b.startsAt.toISOString(),
            end: b.endsAt.toISOString(),
            localStart: hhmm(b.startsAt.getTime(), tz),
            localEnd: hhmm(b.endsAt.getTime(), tz),
          })),
      });
    }
    return { timeZone: tz, days };
  }
}
