import { BadRequestException } from '@nestjs/common';
import type { AdminDashboardRepository } from './admin-dashboard.repository';
import { AdminDashboardService } from './admin-dashboard.service';

const NOW = new Date('2026-12-03T10:00:00Z');

/** A repository answering fixed counts, recording the intervals it was asked about. */
function fakeRepository() {
  const asked: Record<string, unknown> = {};
  const repo: Partial<AdminDashboardRepository> = {
    candidatesRegistered: async (p) => ((asked.registered = p), 4),
    attemptsPerDay: async () => [
      { day: '2026-12-01', started: 3, submitted: 2, passed: 1, failed: 1 },
      { day: '2026-12-03', started: 1, submitted: 1, passed: 1, failed: 0 },
    ],
    scores: async () => [
      { scorePercent: 45, count: 1 },
      { scorePercent: 100, count: 1 },
      { scorePercent: 95, count: 1 },
    ],
    submissionsByStage: async () => [
      { stage: 'decided: pass', count: 2 },
      { stage: 'in review', count: 1 },
    ],
    reviewTurnaroundDays: async () => [1, 2, 3, 4],
    overdueReviews: async () => 1,
    panelBookingsByStatus: async () => [{ status: 'completed', count: 2 }],
    panelOutcomes: async () => [{ outcome: 'pass', count: 1 }],
    certificateCounts: async (_p, before) => (
      (asked.expiringBefore = before),
      { issued: 2, active: 5, expired: 1, suspended: 1, revoked: 0, expiring: 2 }
    ),
  };
  return { service: new AdminDashboardService(repo as AdminDashboardRepository), asked };
}

describe('the dashboard figures as the service assembles them', () => {
  it('has a row for every day of the period, zeros included, and totals from the rows', async () => {
    const { service } = fakeRepository();
    const d = await service.dashboard({ from: '2026-11-30', to: '2026-12-03' }, NOW);
    expect(d.attempts.perDay).toEqual([
      { day: '2026-11-30', started: 0, submitted: 0, passed: 0 },
      { day: '2026-12-01', started: 3, submitted: 2, passed: 1 },
      { day: '2026-12-02', started: 0, submitted: 0, passed: 0 },
      { day: '2026-12-03', started: 1, submitted: 1, passed: 1 },
    ]);
    expect(d.attempts).toMatchObject({ started: 4, submitted: 3, passed: 2, failed: 1, passRate: 2 / 3 });
  });

  it('buckets scores by ten points, 100 with the 90s', async () => {
    const { service } = fakeRepository();
    const d = await service.dashboard({}, NOW);
    expect(d.attempts.scoreDistribution.map((b) => b.count)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
  });

  it('lists every stage, status and outcome in a fixed order, zeros included, with totals', async () => {
    const { service } = fakeRepository();
    const d = await service.dashboard({}, NOW);
    expect(d.portfolios.byStage.map((s) => [s.stage, s.count])).toEqual([
      ['in review', 1],
      ['adjudication', 0],
      ['decided: pass', 2],
      ['decided: revise', 0],
      ['decided: fail', 0],
    ]);
    expect(d.portfolios.total).toBe(3);
    expect(d.panels).toMatchObject({ bookings: 2, decided: 1 });
    expect(d.panels.bookingsByStatus.map((b) => b.status)).toEqual([
      'booked',
      'completed',
      'cancelled',
      'no_show_candidate',
      'no_show_assessor',
    ]);
    expect(d.panels.outcomes).toEqual([
      { outcome: 'pass', count: 1 },
      { outcome: 'fail', count: 0 },
    ]);
  });

  it('gives turnaround median and 90th percentile to one decimal', async () => {
    const { service } = fakeRepository();
    const d = await service.dashboard({}, NOW);
    // [1, 2, 3, 4]: median 2.5; p90 at rank 2.7 → 3 + 0.7 = 3.7
    expect(d.portfolios.reviewTurnaround).toEqual({ completed: 4, medianDays: 2.5, p90Days: 3.7, overdueNow: 1 });
  });

  it('asks for the period as [from 00:00Z, to + 1 00:00Z) and for expiry before `to` + 90 days', async () => {
    const { service, asked } = fakeRepository();
    const d = await service.dashboard({ from: '2026-11-01', to: '2026-11-30' }, NOW);
    expect(asked.registered).toMatchObject({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-01T00:00:00Z') });
    expect(asked.expiringBefore).toEqual(new Date('2027-02-28T00:00:00Z'));
    expect(d.certificates.expiringBefore).toBe('2027-02-28');
    expect(d.period).toEqual({ from: '2026-11-01', to: '2026-11-30', days: 30 });
  });

  it('turns a period it cannot read into a 400 with the plain message', async () => {
    const { service } = fakeRepository();
    await expect(service.dashboard({ from: '2026-12-05', to: '2026-12-01' }, NOW)).rejects.toThrow(
      new BadRequestException('from (2026-12-05) is after to (2026-12-01)'),
    );
  });
});
