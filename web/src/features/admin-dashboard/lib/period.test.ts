import { describe, expect, it } from 'vitest';
import { addDays, defaultPeriod, formatDay, formPeriodOf, listLinks, periodQueryOf } from './period';

describe('the admin dashboard period and its links', () => {
  it("passes the address's period on as written (the server explains a bad one), blanks as absent", () => {
    expect(periodQueryOf(new URLSearchParams('from=2026-11-01&to=2026-11-30'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(periodQueryOf(new URLSearchParams('from=yesterday&to='))).toEqual({ from: 'yesterday', to: undefined });
    expect(periodQueryOf(new URLSearchParams(''))).toEqual({ from: undefined, to: undefined });
  });

  it('fills the form with the well-formed days of the address and the default for the rest', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(formPeriodOf({ from: '2026-11-01', to: '2026-11-30' }, now)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(formPeriodOf({ from: 'yesterday' }, now)).toEqual({ from: '2026-11-04', to: '2026-12-03' });
  });

  it('defaults to the 30 days ending today in UTC, as the server does', () => {
    expect(defaultPeriod(new Date('2026-12-03T23:30:00Z'))).toEqual({ from: '2026-11-04', to: '2026-12-03' });
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('shows a day as the UTC calendar has it', () => {
    expect(formatDay('2026-11-04')).toBe('4 Nov 2026');
  });

  it('builds the exact list addresses for each figure', () => {
    const links = listLinks({ from: '2026-11-01', to: '2026-11-30' }, '2027-02-28');
    expect(links.candidatesRegistered).toBe('/admin/people?role=candidate&createdFrom=2026-11-01&createdTo=2026-11-30');
    expect(links.attemptsStarted).toBe('/admin/attempts?from=2026-11-01&to=2026-11-30');
    expect(links.attemptsPassed).toBe('/admin/attempts?from=2026-11-01&to=2026-11-30&result=passed');
    expect(links.attemptsFailed).toBe('/admin/attempts?from=2026-11-01&to=2026-11-30&result=failed');
    expect(links.certificatesIssued).toBe('/admin/certificates?issuedFrom=2026-11-01&issuedTo=2026-11-30');
    expect(links.certificatesByStatus('suspended')).toBe('/admin/certificates?status=suspended');
    expect(links.certificatesExpiring).toBe('/admin/certificates?status=active&expiringBefore=2027-02-28');
    expect(links.portfolios).toBe('/admin/submissions');
    expect(links.panels).toBe('/admin/panels');
  });
});
