import type { components } from '../../../lib/api/schema';

type S = components['schemas'];
export type CredentialCode = 'AIDA' | 'CPAP' | 'CPAA';

/** What the dashboard knows: the candidate's own reads of the exam, portfolios, panel and certificates. */
export interface ProgressInput {
  exam: Pick<S['ExamInfoDto'], 'eligibility'>;
  attempts: S['AttemptSummaryDto'][];
  portfolios: S['PortfolioOverviewDto'][];
  panel: Pick<S['CandidatePanelDto'], 'stage' | 'booking' | 'decision' | 'waitlist'> | null;
  certificates: Pick<S['CertificateDto'], 'number' | 'credential' | 'status' | 'issuedAt' | 'expiresAt'>[];
}

export type StepState = 'done' | 'in_progress' | 'waiting' | 'to_do' | 'locked';

export interface Action {
  label: string;
  to: string;
}

/** One credential's place on the tracker: where it stands, since when, and what the candidate can do about it. */
export interface CredentialProgress {
  code: CredentialCode;
  state: StepState;
  /** One line: "Passed on …", "In review since …". Dates are ISO strings, formatted by the page. */
  status: string;
  at?: string;
  detail?: string;
  action?: Action;
}

export interface Deadline {
  what: string;
  at: string;
  to?: string;
}

/** Within this many days of its expiry a certificate is flagged for renewal. */
export const RENEWAL_NOTICE_DAYS = 90;
const DAY = 86_400_000;

const PORTFOLIO_PAGE: Record<'CPAP' | 'CPAA', string> = { CPAP: '/candidate/portfolio/cpap', CPAA: '/candidate/portfolio/cpaa' };

function activeCertificate(input: ProgressInput, code: CredentialCode) {
  return input.certificates.find((c) => c.credential.code === code && c.status === 'active');
}

function certified(input: ProgressInput, code: CredentialCode, now: Date): CredentialProgress | null {
  const c = activeCertificate(input, code);
  if (!c) return null;
  const daysLeft = Math.ceil((new Date(c.expiresAt).getTime() - now.getTime()) / DAY);
  return {
    code,
    state: 'done',
    status: 'Certified',
    at: c.issuedAt,
    detail:
      daysLeft <= RENEWAL_NOTICE_DAYS
        ? `Certificate ${c.number} expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}: renew it before then.`
        : `Certificate ${c.number}.`,
    action: { label: `View your ${code} certificate`, to: '/candidate/certificates' },
  };
}

function aidaProgress(input: ProgressInput, now: Date): CredentialProgress {
  const done = certified(input, 'AIDA', now);
  if (done) return done;
  const { eligibility } = input.exam;
  const passed = input.attempts.find((a) => a.passed);
  if (passed)
    return { code: 'AIDA', state: 'waiting', status: 'Passed; your certificate is being issued', at: passed.submittedAt ?? undefined };
  if (eligibility.attemptId) {
    const running = input.attempts.find((a) => a.id === eligibility.attemptId);
    return {
      code: 'AIDA',
      state: 'in_progress',
      status: running ? 'Attempt in progress; it ends at' : 'Attempt in progress',
      at: running?.deadline,
      action: { label: 'Continue the AIDA exam', to: `/candidate/aida/attempts/${eligibility.attemptId}` },
    };
  }
  const last = input.attempts.filter((a) => a.submittedAt).sort((a, b) => b.submittedAt!.localeCompare(a.submittedAt!))[0];
  if (!eligibility.canStart && eligibility.retryAfter) {
    return {
      code: 'AIDA',
      state: 'waiting',
      status: 'Not passed; you may sit it again from',
      at: eligibility.retryAfter,
      action: last ? { label: 'See your AIDA result', to: `/candidate/aida/attempts/${last.id}/result` } : undefined,
    };
  }
  return last
    ? {
        code: 'AIDA',
        state: 'to_do',
        status: 'Not passed yet',
        at: last.submittedAt ?? undefined,
        action: { label: 'Sit the AIDA exam again', to: '/candidate/aida' },
      }
    : { code: 'AIDA', state: 'to_do', status: 'Not taken yet', action: { label: 'Take the AIDA exam', to: '/candidate/aida' } };
}

function portfolioProgress(input: ProgressInput, code: 'CPAP' | 'CPAA', now: Date): CredentialProgress {
  const done = certified(input, code, now);
  if (done) return done;
  const p = input.portfolios.find((x) => x.credential === code);
  if (!p) return { code, state: 'locked', status: 'Not available' };
  if (p.opensAfter.length) {
    return {
      code,
      state: 'locked',
      status: `Opens when you pass ${p.opensAfter.join(' and ')}`,
      action: p.opensAfter.includes('AIDA') ? { label: 'Take the AIDA exam first', to: '/candidate/aida' } : undefined,
    };
  }
  const s = p.latestSubmission;
  if (s && (s.status === 'submitted' || s.status === 'adjudication')) {
    return {
      code,
      state: 'waiting',
      status: `Version ${s.version} in review since`,
      at: s.submittedAt,
      detail: 'We will e-mail you when the decision is made.',
    };
  }
  if (s?.status === 'decided_pass')
    return code === 'CPAA'
      ? panelProgress(input, s.submittedAt)
      : { code, state: 'waiting', status: 'Passed review; your certificate is being issued' };
  if (s?.status === 'decided_revise') {
    return {
      code,
      state: 'to_do',
      status: 'Revise and resubmit',
      detail: `The reviewers asked for changes to version ${s.version}.`,
      action: { label: `Read the feedback on your ${code} portfolio`, to: `/candidate/portfolio/submissions/${s.id}` },
    };
  }
  if (s?.status === 'decided_fail') {
    return {
      code,
      state: 'to_do',
      status: 'Not passed',
      detail: `Version ${s.version} did not pass review.`,
      action: { label: `Read the feedback on your ${code} portfolio`, to: `/candidate/portfolio/submissions/${s.id}` },
    };
  }
  if (!p.started)
    return { code, state: 'to_do', status: 'Not started', action: { label: `Start your ${code} portfolio`, to: PORTFOLIO_PAGE[code] } };
  return {
    code,
    state: 'in_progress',
    status: `Draft: ${p.written} of ${p.criteria} criteria written`,
    at: p.updatedAt ?? undefined,
    action: { label: `Continue your ${code} portfolio`, to: PORTFOLIO_PAGE[code] },
  };
}

function panelProgress(input: ProgressInput, portfolioPassedAt: string): CredentialProgress {
  const panel = input.panel;
  const action = { label: 'Book your panel interview', to: '/candidate/cpaa/interview' };
  if (!panel || panel.stage === 'not_eligible')
    return { code: 'CPAA', state: 'waiting', status: 'Portfolio passed; the panel stage is opening', at: portfolioPassedAt };
  if (panel.stage === 'awaiting_booking' && panel.waitlist && !panel.waitlist.notifiedAt) {
    // No slot was free: the candidate asked to be told, so the wait is the platform's, not theirs.
    return {
      code: 'CPAA',
      state: 'waiting',
      status: 'On the waitlist for a panel interview since',
      at: panel.waitlist.joinedAt,
      detail: 'We will e-mail you when a time is free.',
      action: { label: 'See panel interview times', to: '/candidate/cpaa/interview' },
    };
  }
  if (panel.stage === 'awaiting_booking')
    return { code: 'CPAA', state: 'to_do', status: 'Portfolio passed: book your panel interview', action };
  if (panel.stage === 'booked' && panel.booking) {
    return {
      code: 'CPAA',
      state: 'waiting',
      status: 'Panel interview booked for',
      at: panel.booking.start,
      action: { label: 'See your panel interview', to: '/candidate/cpaa/interview' },
    };
  }
  if (panel.decision?.outcome === 'pass')
    return { code: 'CPAA', state: 'waiting', status: 'Panel passed; your certificate is being issued', at: panel.decision.decidedAt };
  return {
    code: 'CPAA',
    state: 'to_do',
    status: 'The panel did not pass',
    at: panel.decision?.decidedAt,
    action: { label: 'See the panel decision', to: '/candidate/cpaa/interview' },
  };
}

export function progressOf(input: ProgressInput, now = new Date()): CredentialProgress[] {
  return [aidaProgress(input, now), portfolioProgress(input, 'CPAP', now), portfolioProgress(input, 'CPAA', now)];
}

/**
 * The one next step the dashboard offers as its primary action: an exam running out of time first, then a
 * panel to book or a portfolio to revise, then the first credential in programme order with something to do.
 */
export function nextStep(progress: CredentialProgress[]): Action | null {
  const urgent = progress.find((p) => p.state === 'in_progress' && p.code === 'AIDA');
  if (urgent?.action) return urgent.action;
  const pressing = progress.find((p) => p.state === 'to_do' && p.code !== 'AIDA' && p.status !== 'Not started' && p.action);
  if (pressing?.action) return pressing.action;
  return progress.find((p) => (p.state === 'to_do' || p.state === 'in_progress') && p.action)?.action ?? null;
}

/** Dates ahead, soonest first: an exam's end, a panel interview, a retake opening, certificates' expiry. */
export function deadlinesOf(input: ProgressInput, now = new Date()): Deadline[] {
  const list: Deadline[] = [];
  const running = input.attempts.find((a) => a.id === input.exam.eligibility.attemptId);
  if (running) list.push({ what: 'Your AIDA attempt ends', at: running.deadline, to: `/candidate/aida/attempts/${running.id}` });
  if (input.exam.eligibility.retryAfter)
    list.push({ what: 'You may sit AIDA again', at: input.exam.eligibility.retryAfter, to: '/candidate/aida' });
  if (input.panel?.stage === 'booked' && input.panel.booking)
    list.push({ what: 'Your CPAA panel interview', at: input.panel.booking.start, to: '/candidate/cpaa/interview' });
  for (const c of input.certificates.filter((x) => x.status === 'active')) {
    list.push({ what: `Your ${c.credential.code} certificate expires`, at: c.expiresAt, to: '/candidate/certificates' });
  }
  return list.filter((d) => new Date(d.at) > now).sort((a, b) => a.at.localeCompare(b.at));
}
