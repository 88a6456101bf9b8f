import { describe, expect, it } from 'vitest';
import { deadlinesOf, nextStep, type ProgressInput, progressOf } from './progress';

const NOW = new Date('2026-12-03T10:00:00Z');
const portfolio = (credential: 'CPAP' | 'CPAA', over: Partial<ProgressInput['portfolios'][number]> = {}) => ({
  credential,
  opensAfter: [] as string[],
  started: false,
  criteria: credential === 'CPAP' ? 35 : 40,
  written: 0,
  latestSubmission: null,
  updatedAt: null,
  ...over,
});
const fresh: ProgressInput = {
  exam: { eligibility: { canStart: true } },
  attempts: [],
  portfolios: [portfolio('CPAP', { opensAfter: ['AIDA'] }), portfolio('CPAA', { opensAfter: ['AIDA'] })],
  panel: { stage: 'not_eligible', booking: null, decision: null },
  certificates: [],
};
const aidaCertificate = {
  number: 'PSF-AAAAA-BBBBB-C',
  credential: { code: 'AIDA', name: 'PSF AIDA Examination Certificate' },
  status: 'active' as const,
  issuedAt: '2026-11-01T09:00:00Z',
  expiresAt: '2028-11-01T09:00:00Z',
};
const passedAida: ProgressInput = {
  ...fresh,
  attempts: [
    {
      id: 'a1',
      status: 'submitted',
      startedAt: '2026-11-01T08:30:00Z',
      deadline: '2026-11-01T09:00:00Z',
      submittedAt: '2026-11-01T08:55:00Z',
      scorePercent: 85,
      passed: true,
    },
  ],
  exam: { eligibility: { canStart: false, reason: 'You have passed the AIDA examination' } },
  portfolios: [portfolio('CPAP'), portfolio('CPAA')],
  certificates: [aidaCertificate],
};

describe('the candidate dashboard', () => {
  it('sends a new candidate to AIDA, with both portfolios locked and saying why', () => {
    const [aida, cpap, cpaa] = progressOf(fresh, NOW);
    expect(aida).toMatchObject({ state: 'to_do', status: 'Not taken yet', action: { to: '/candidate/aida' } });
    expect(cpap).toMatchObject({ state: 'locked', status: 'Opens when you pass AIDA', action: { label: 'Take the AIDA exam first' } });
    expect(cpaa.state).toBe('locked');
    expect(nextStep(progressOf(fresh, NOW))).toEqual({ label: 'Take the AIDA exam', to: '/candidate/aida' });
  });

  it('puts an attempt in progress first, with its end among the dates', () => {
    const running: ProgressInput = {
      ...fresh,
      exam: { eligibility: { canStart: false, attemptId: 'a2' } },
      attempts: [
        {
          id: 'a2',
          status: 'in_progress',
          startedAt: '2026-12-03T09:50:00Z',
          deadline: '2026-12-03T10:20:00Z',
          submittedAt: null,
          scorePercent: null,
          passed: null,
        },
      ],
    };
    expect(progressOf(running, NOW)[0]).toMatchObject({ state: 'in_progress', at: '2026-12-03T10:20:00Z' });
    expect(nextStep(progressOf(running, NOW))).toEqual({ label: 'Continue the AIDA exam', to: '/candidate/aida/attempts/a2' });
    expect(deadlinesOf(running, NOW)).toEqual([
      { what: 'Your AIDA attempt ends', at: '2026-12-03T10:20:00Z', to: '/candidate/aida/attempts/a2' },
    ]);
  });

  it('after a fail, says when AIDA may be sat again', () => {
    const failed: ProgressInput = {
      ...fresh,
      exam: { eligibility: { canStart: false, retryAfter: '2026-12-08T09:00:00Z' } },
      attempts: [
        {
          id: 'a3',
          status: 'submitted',
          startedAt: '2026-12-01T08:30:00Z',
          deadline: '2026-12-01T09:00:00Z',
          submittedAt: '2026-12-01T09:00:00Z',
          scorePercent: 40,
          passed: false,
        },
      ],
    };
    expect(progressOf(failed, NOW)[0]).toMatchObject({
      state: 'waiting',
      at: '2026-12-08T09:00:00Z',
      action: { to: '/candidate/aida/attempts/a3/result' },
    });
    expect(nextStep(progressOf(failed, NOW))).toBeNull();
  });

  it('after an AIDA pass, shows the certificate and moves on to the CPAP portfolio', () => {
    const [aida, cpap, cpaa] = progressOf(passedAida, NOW);
    expect(aida).toMatchObject({ state: 'done', status: 'Certified', at: aidaCertificate.issuedAt });
    expect(cpap).toMatchObject({ state: 'to_do', status: 'Not started' });
    expect(cpaa).toMatchObject({ state: 'to_do', status: 'Not started' });
    expect(nextStep(progressOf(passedAida, NOW))).toEqual({ label: 'Start your CPAP portfolio', to: '/candidate/portfolio/cpap' });
    expect(deadlinesOf(passedAida, NOW)).toEqual([
      { what: 'Your AIDA certificate expires', at: aidaCertificate.expiresAt, to: '/candidate/certificates' },
    ]);
  });

  it('counts a draft, shows a submission in review, and asks for a revision first', () => {
    const drafting: ProgressInput = {
      ...passedAida,
      portfolios: [portfolio('CPAP', { started: true, written: 12, updatedAt: '2026-12-02T10:00:00Z' }), portfolio('CPAA')],
    };
    expect(progressOf(drafting, NOW)[1]).toMatchObject({ state: 'in_progress', status: 'Draft: 12 of 35 criteria written' });
    const inReview: ProgressInput = {
      ...passedAida,
      portfolios: [
        portfolio('CPAP', {
          started: true,
          written: 35,
          latestSubmission: { id: 's1', version: 1, status: 'submitted', submittedAt: '2026-12-02T11:00:00Z' },
        }),
        portfolio('CPAA'),
      ],
    };
    expect(progressOf(inReview, NOW)[1]).toMatchObject({
      state: 'waiting',
      status: 'Version 1 in review since',
      at: '2026-12-02T11:00:00Z',
    });
    const revise: ProgressInput = {
      ...passedAida,
      portfolios: [
        portfolio('CPAP'),
        portfolio('CPAA', {
          started: true,
          latestSubmission: { id: 's2', version: 1, status: 'decided_revise', submittedAt: '2026-11-20T11:00:00Z' },
        }),
      ],
    };
    expect(nextStep(progressOf(revise, NOW))).toEqual({
      label: 'Read the feedback on your CPAA portfolio',
      to: '/candidate/portfolio/submissions/s2',
    });
  });

  it('after a CPAA portfolio pass, asks for a panel booking, then shows the interview date', () => {
    const passedPortfolio = portfolio('CPAA', {
      started: true,
      latestSubmission: { id: 's3', version: 1, status: 'decided_pass', submittedAt: '2026-11-20T11:00:00Z' },
    });
    const toBook: ProgressInput = {
      ...passedAida,
      portfolios: [portfolio('CPAP'), passedPortfolio],
      panel: { stage: 'awaiting_booking', booking: null, decision: null },
    };
    expect(progressOf(toBook, NOW)[2]).toMatchObject({ state: 'to_do', action: { to: '/candidate/cpaa/interview' } });
    expect(nextStep(progressOf(toBook, NOW))).toEqual({ label: 'Book your panel interview', to: '/candidate/cpaa/interview' });
    const waiting: ProgressInput = {
      ...toBook,
      panel: { ...toBook.panel!, waitlist: { joinedAt: '2026-12-01T09:00:00Z', notifiedAt: null } },
    };
    expect(progressOf(waiting, NOW)[2]).toMatchObject({
      state: 'waiting',
      status: 'On the waitlist for a panel interview since',
      at: '2026-12-01T09:00:00Z',
    });
    expect(nextStep(progressOf(waiting, NOW))).toEqual({ label: 'Start your CPAP portfolio', to: '/candidate/portfolio/cpap' });
    const told: ProgressInput = {
      ...toBook,
      panel: { ...toBook.panel!, waitlist: { joinedAt: '2026-12-01T09:00:00Z', notifiedAt: '2026-12-02T09:00:00Z' } },
    };
    expect(nextStep(progressOf(told, NOW))).toEqual({ label: 'Book your panel interview', to: '/candidate/cpaa/interview' });
    const booked: ProgressInput = {
      ...toBook,
      panel: {
        stage: 'booked',
        booking: {
          id: 'b1',
          start: '2026-12-10T14:00:00Z',
          end: '2026-12-10T15:30:00Z',
          status: 'booked',
          meetingUrl: 'https://m.test/x',
          sequence: 0,
        },
        decision: null,
      },
    };
    expect(progressOf(booked, NOW)[2]).toMatchObject({
      state: 'waiting',
      status: 'Panel interview booked for',
      at: '2026-12-10T14:00:00Z',
    });
    expect(deadlinesOf(booked, NOW).map((d) => d.what)).toEqual(['Your CPAA panel interview', 'Your AIDA certificate expires']);
  });

  it('flags a certificate for renewal within 90 days of its expiry', () => {
    const expiring = { ...passedAida, certificates: [{ ...aidaCertificate, expiresAt: '2027-01-15T09:00:00Z' }] };
    expect(progressOf(expiring, NOW)[0].detail).toBe('Certificate PSF-AAAAA-BBBBB-C expires in 43 days: renew it before then.');
    expect(progressOf(passedAida, NOW)[0].detail).toBe('Certificate PSF-AAAAA-BBBBB-C.');
  });
});
