import { describe, expect, it } from 'vitest';
import { workload, type WorkloadAssignment, type WorkloadPanel } from './workload';

const NOW = Date.parse('2026-12-10T12:00:00Z');
const assignment = (id: string, status: string, respondBy: string, dueAt: string | null): WorkloadAssignment => ({
  id,
  credential: 'CPAP',
  version: 1,
  status,
  respondBy,
  dueAt,
  candidateName: null,
});
const panel = (bookingId: string, start: string, patch: Partial<WorkloadPanel> = {}): WorkloadPanel => ({
  bookingId,
  start,
  end: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
  status: 'booked',
  candidateName: 'Ada Candidate',
  isChair: false,
  scored: false,
  ...patch,
});

describe("a reviewer's workload", () => {
  it('lists offers by expiry, reviews by due date and panels by start, soonest first, and leaves closed work out', () => {
    const items = workload(
      [
        assignment('late', 'accepted', '2026-11-20T00:00:00Z', '2026-12-07T09:00:00Z'),
        assignment('offer', 'offered', '2026-12-12T09:00:00Z', null),
        assignment('review', 'accepted', '2026-11-30T00:00:00Z', '2026-12-20T09:00:00Z'),
        assignment('done', 'completed', '2026-11-01T00:00:00Z', '2026-11-15T00:00:00Z'),
        assignment('gone', 'expired', '2026-11-01T00:00:00Z', null),
      ],
      [
        panel('upcoming', '2026-12-15T09:00:00Z', { isChair: true }),
        panel('scored', '2026-12-09T09:00:00Z', { scored: true }),
        panel('decided', '2026-12-01T09:00:00Z', { status: 'completed' }),
      ],
      NOW,
    );
    expect(items.map((i) => [i.key, i.kind, i.next, i.flag])).toEqual([
      ['late', 'review', 'Review in progress', 'Overdue by 3 days'],
      ['offer', 'offer', 'Offer: accept or decline', null],
      ['upcoming', 'panel', 'Panel interview', null],
      ['review', 'review', 'Review in progress', null],
    ]);
    expect(items[2]).toMatchObject({ title: 'CPAA panel — Ada Candidate (you chair)', href: '/reviewer/panels/upcoming' });
    expect(items[0]).toMatchObject({ title: 'CPAP portfolio, version 1 (blind review)', href: '/reviewer/assignments/late' });
  });

  it('flags in words a panel held without your scores, and lists work with no due date last', () => {
    const items = workload([assignment('undated', 'accepted', '2026-11-30T00:00:00Z', null)], [panel('held', '2026-12-10T08:00:00Z')], NOW);
    expect(items.map((i) => [i.key, i.next, i.flag])).toEqual([
      ['held', 'Interview started: submit your scores', 'Scores not yet submitted'],
      ['undated', 'Review in progress', null],
    ]);
  });
});
