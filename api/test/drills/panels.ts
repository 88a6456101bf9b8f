import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { base32Decode, generateTotpSecret, hotp, totpStep } from '../../src/common/auth/totp';
import { JobName, QueueName } from '../../src/infrastructure/queue/job-names';
import { type Candidate, expectCall, newCandidates, waitFor } from './candidates';
import type { DrillPlatform } from './platform';

const CLI = path.resolve(__dirname, '../../dist/api/src/cli.js');
const ROOT = path.resolve(__dirname, '../../..');
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
/** A chair and two members, a whole panel (PANEL_SIZE): every assessor sits on every booked interview. */
const PANEL = [{ isChair: true }, { isChair: false }, { isChair: false }];
// Well past the 48-hour notice: both reminders of every booking are delayed jobs, none due during the drill.
const BOOK_AFTER_MS = 72 * 3_600_000;
const STAGE_WAIT_MS = 30_000;

interface Staff {
  id: string;
  token: string;
}

/**
 * Staff as operators make them: `user:create` with a TOTP secret (the built CLI, on the drill's
 * database), then a sign-in with a current code, which also counts as the step-up staff actions need.
 */
async function newStaff(platform: DrillPlatform, role: 'admin' | 'reviewer', name: string): Promise<Staff> {
  const email = `drill-${role}-${randomUUID().slice(0, 8)}@example.org`;
  const password = `drill staff passphrase ${randomUUID().slice(0, 8)}`;
  const totpSecret = generateTotpSecret();
  const args = ['user:create', '--email', email, '--password', password, '--name', name, '--role', role, '--totp-secret', totpSecret];
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: ROOT, env: platform.childEnv });
  const id = /\(([0-9a-f-]{36})\)/.exec(stdout)?.[1];
  if (!id) throw new Error(`user:create printed no id: ${stdout}`);
  const otp = hotp(base32Decode(totpSecret), totpStep());
  const session = await expectCall<{ accessToken: string }>(platform.baseUrl, 'POST', '/api/auth/login', 200, {
    body: { email, password, otp },
  });
  return { id, token: session.accessToken };
}

/**
 * Has the certification body pass a CPAA portfolio through the admin decision API, which opens the
 * candidate's panel stage (the worker runs the decision's outbox job).
 */
async function passCpaaPortfolio(platform: DrillPlatform, admin: Staff, candidate: Candidate): Promise<void> {
  const me = await expectCall<{ id: string }>(platform.baseUrl, 'GET', '/api/me', 200, { token: candidate.token });
  // Set-up of a prior state this drill is not about (as test-app's passCpaaPortfolio does): a CPAA
  // submission the reviewers have finished with, waiting for the certification body's decision.
  const [portfolio] = await platform.query<{ id: string }>(
    `INSERT INTO portfolios (user_id, credential, context) VALUES ($1, 'CPAA', '{"system":"Claims triage assistant"}') RETURNING id`,
    [me.id],
  );
  const content = {
    context: { system: 'Claims triage assistant' },
    evidence: [{ criterion: 'D04.1', narrative: 'Layered prompt-injection defences with a red-team suite.', attachments: [] }],
  };
  const [submission] = await platform.query<{ id: string }>(
    `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status)
     VALUES ($1, $2, 'CPAA', 1, $3, 'adjudication') RETURNING id`,
    [portfolio.id, me.id, JSON.stringify(content)],
  );
  await expectCall(platform.baseUrl, 'POST', `/api/admin/submissions/${submission.id}/decision`, 200, {
    token: admin.token,
    body: { outcome: 'pass', reason: 'Reviews reconciled: every domain met' },
  });
  const { value: opened } = await waitFor(STAGE_WAIT_MS, async () => {
    const me = await expectCall<{ stage: string }>(platform.baseUrl, 'GET', '/api/panels/me', 200, { token: candidate.token });
    return me.stage === 'awaiting_booking' ? true : undefined;
  });
  if (!opened) throw new Error(`the panel stage of ${candidate.email} did not open within ${STAGE_WAIT_MS / 1000} s`);
}

/** The candidate books the first slot three days or more ahead, in UTC; returns the booking id. */
async function bookFirstSlot(platform: DrillPlatform, candidate: Candidate): Promise<string> {
  const { days } = await expectCall<{ days: Array<{ slots: Array<{ start: string }> }> }>(
    platform.baseUrl,
    'GET',
    '/api/panels/me/slots?timeZone=UTC',
    200,
    { token: candidate.token },
  );
  const slot = days.flatMap((d) => d.slots).find((s) => Date.parse(s.start) - Date.now() > BOOK_AFTER_MS);
  if (!slot) throw new Error(`no slot three days ahead was offered to ${candidate.email}`);
  const booked = await expectCall<{ booking: { id: string } }>(platform.baseUrl, 'POST', '/api/panels/me/booking', 201, {
    token: candidate.token,
    body: { start: slot.start, timeZone: 'UTC' },
  });
  return booked.booking.id;
}

/**
 * `count` booked CPAA panel interviews, set up as people get there: an administrator and three
 * assessors (staff with TOTP) made by the CLI, the assessors enrolled and giving their hours, each
 * candidate's portfolio passed by the admin decision API, and each candidate booking a slot. Every
 * booking owes its candidate and its three members a reminder 48 h and 1 h before. Needs the API and
 * the worker running; returns the booking ids.
 */
export async function bookPanels(platform: DrillPlatform, count: number): Promise<string[]> {
  const [admin, ...assessors] = await Promise.all([
    newStaff(platform, 'admin', 'Drill Administrator'),
    ...PANEL.map((_, i) => newStaff(platform, 'reviewer', `Drill Assessor ${i + 1}`)),
  ]);
  for (const [i, assessor] of assessors.entries()) {
    await expectCall(platform.baseUrl, 'PUT', `/api/admin/panels/assessors/${assessor.id}`, 200, {
      token: admin.token,
      body: { active: true, ...PANEL[i] },
    });
    await expectCall(platform.baseUrl, 'PUT', '/api/panels/availability', 200, {
      token: assessor.token,
      body: { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] },
    });
  }
  const candidates = await newCandidates(platform, 'panel', count);
  await Promise.all(candidates.map((c) => passCpaaPortfolio(platform, admin, c)));
  // One at a time: each booking takes the panel's time, so the next candidate is offered the next slot.
  const bookings: string[] = [];
  for (const candidate of candidates) bookings.push(await bookFirstSlot(platform, candidate));
  return bookings;
}

/** The scheduled reminders of these bookings still ahead, with the outbox row (job id) each points at. */
export function scheduledReminders(platform: DrillPlatform, bookingIds: string[]): Promise<Array<{ id: string; outbox_id: string }>> {
  return platform.query<{ id: string; outbox_id: string }>(
    `SELECT id, outbox_id FROM panel_reminders WHERE booking_id::text = ANY($1::text[]) AND status = 'scheduled' AND run_at > now()`,
    [bookingIds],
  );
}

export interface PanelRemindersState {
  /** Scheduled reminders still ahead for the drill's bookings. */
  owed: number;
  /** Reminders with no delayed job in Redis under the outbox row their reminder row points at. */
  missing: string[];
  /** Delayed jobs under the same id as before the loss (`jobsBefore`): the outbox row published again, not a new one. */
  sameJobId: number;
  duplicates: number;
}

/**
 * Whether Redis holds every reminder the bookings owe: a delayed PanelReminder job per scheduled row,
 * with the job id the row points at (the reconciler may move a row to a new outbox row; cancelling
 * the reminder removes that job).
 */
export async function panelRemindersState(
  platform: DrillPlatform,
  bookingIds: string[],
  jobsBefore: Map<string, string>,
): Promise<PanelRemindersState> {
  const rows = await scheduledReminders(platform, bookingIds);
  const queue = platform.queue(QueueName.Panels);
  try {
    const jobs = (await queue.getJobs(['delayed'])).filter((j) => j?.name === JobName.PanelReminder);
    const byReminder = new Map<string, string[]>();
    for (const job of jobs) byReminder.set(job.data.reminderId, [...(byReminder.get(job.data.reminderId) ?? []), job.id!]);
    const mine = rows.map((r) => ({ ...r, jobIds: byReminder.get(r.id) ?? [] }));
    return {
      owed: rows.length,
      missing: mine.filter((r) => !r.jobIds.includes(r.outbox_id)).map((r) => r.id),
      sameJobId: mine.filter((r) => r.jobIds.includes(jobsBefore.get(r.id) ?? '')).length,
      duplicates: mine.reduce((n, r) => n + Math.max(0, r.jobIds.length - 1), 0),
    };
  } finally {
    await queue.close();
  }
}
