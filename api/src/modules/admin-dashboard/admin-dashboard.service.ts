import { BadRequestException, Injectable } from '@nestjs/common';
import { AdminDashboardRepository } from './admin-dashboard.repository';
import type { AdminDashboardDto, DashboardQueryDto } from './dto/admin-dashboard.dto';
import { bucketOf, passRate, percentile, roundDays, scoreBuckets } from './figures';
import { addDays, daysOf, isoDay, parsePeriod, type Period, PeriodError } from './period';

/** The pipeline board's stages, in the order a submission moves through them. */
export const PORTFOLIO_STAGES = ['in review', 'adjudication', 'decided: pass', 'decided: revise', 'decided: fail'] as const;
export const BOOKING_STATUSES = ['booked', 'completed', 'cancelled', 'no_show_candidate', 'no_show_assessor'] as const;
export const PANEL_OUTCOMES = ['pass', 'fail'] as const;
/** Certificates "expiring" are the active ones whose expiry falls before `to` + this many days. */
export const EXPIRING_WITHIN_DAYS = 90;

/** Every known key with its count (zero when absent), then any the database holds that the list does not know. */
function complete<K extends string>(known: readonly K[], rows: Array<{ key: string; count: number }>) {
  const counts = new Map(rows.map((r) => [r.key, r.count]));
  const extra = rows.filter((r) => !(known as readonly string[]).includes(r.key)).map((r) => r.key);
  return [...known, ...extra].map((key) => ({ key, count: counts.get(key) ?? 0 }));
}

/** The administrator dashboard (issue #18 item 3): key figures over a period, each matching the list it links to. */
@Injectable()
export class AdminDashboardService {
  constructor(private readonly figures: AdminDashboardRepository) {}

  async dashboard(query: DashboardQueryDto, now: Date = new Date()): Promise<AdminDashboardDto> {
    const period = this.period(query, now);
    // `to` + 90 days, the same bound the certificates list's link carries.
    const expiringBefore = addDays(addDays(period.end, -1), EXPIRING_WITHIN_DAYS);
    const [registered, perDay, scores, stages, turnaround, overdueNow, bookings, outcomes, certificates] = await Promise.all([
      this.figures.candidatesRegistered(period),
      this.figures.attemptsPerDay(period),
      this.figures.scores(period),
      this.figures.submissionsByStage(),
      this.figures.reviewTurnaroundDays(period),
      this.figures.overdueReviews(),
      this.figures.panelBookingsByStatus(period),
      this.figures.panelOutcomes(period),
      this.figures.certificateCounts(period, expiringBefore),
    ]);

    const byDay = new Map(perDay.map((d) => [d.day, d]));
    const series = daysOf(period).map((day) => {
      const d = byDay.get(day);
      return { day, started: d?.started ?? 0, submitted: d?.submitted ?? 0, passed: d?.passed ?? 0 };
    });
    const sum = (key: 'started' | 'submitted' | 'passed' | 'failed') => perDay.reduce((total, d) => total + d[key], 0);
    const [started, submitted, passed, failed] = [sum('started'), sum('submitted'), sum('passed'), sum('failed')];
    const buckets = new Map<number, number>();
    for (const s of scores) buckets.set(bucketOf(s.scorePercent), (buckets.get(bucketOf(s.scorePercent)) ?? 0) + s.count);

    const byStage = complete(
      PORTFOLIO_STAGES,
      stages.map((s) => ({ key: s.stage, count: s.count })),
    ).map(({ key, count }) => ({ stage: key, count }));
    const bookingsByStatus = complete(
      BOOKING_STATUSES,
      bookings.map((b) => ({ key: b.status, count: b.count })),
    ).map(({ key, count }) => ({ status: key, count }));
    const panelOutcomes = complete(
      PANEL_OUTCOMES,
      outcomes.map((o) => ({ key: o.outcome, count: o.count })),
    ).map(({ key, count }) => ({ outcome: key, count }));
    const total = (rows: Array<{ count: number }>) => rows.reduce((t, r) => t + r.count, 0);

    return {
      period: { from: period.from, to: period.to, days: period.days },
      candidates: { registered },
      attempts: {
        started,
        submitted,
        passed,
        failed,
        passRate: passRate(passed, submitted),
        perDay: series,
        scoreDistribution: scoreBuckets(buckets),
      },
      portfolios: {
        byStage,
        total: total(byStage),
        reviewTurnaround: {
          completed: turnaround.length,
          medianDays: roundDays(percentile(turnaround, 50)),
          p90Days: roundDays(percentile(turnaround, 90)),
          overdueNow,
        },
      },
      panels: { bookings: total(bookingsByStatus), bookingsByStatus, decided: total(panelOutcomes), outcomes: panelOutcomes },
      certificates: { ...certificates, expiringBefore: isoDay(expiringBefore) },
      generatedAt: now.toISOString(),
    };
  }

  private period(query: DashboardQueryDto, now: Date): Period {
    try {
      return parsePeriod(query, now);
    } catch (e) {
      if (e instanceof PeriodError) throw new BadRequestException(e.message);
      throw e;
    }
  }
}
