import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadBank } from '../../src/modules/question-bank/bank-files';
import type { DrillPlatform } from './platform';

// Generous: the drills count lost work, not latency, and a busy CI machine can take seconds to hash a password.
const REQUEST_TIMEOUT_MS = 45_000;
const MAIL_WAIT_MS = 30_000;
// Argon2 hashing is bounded per API process (PASSWORD_HASH_CONCURRENCY): more at once only queues.
const SIGN_UP_CONCURRENCY = 4;

export interface Answered {
  status: number;
  body: unknown;
}

export interface Candidate {
  email: string;
  password: string;
  token: string;
}

export interface AttemptView {
  id: string;
  status: string;
  deadline: string;
  questions: Array<{ id: string; stem: string; options: Array<{ id: string; text: string }> }>;
  result?: { passed: boolean; certificateNumber?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** One HTTP call to the API; answers every status (a refused connection throws: the API is down). */
export async function call(
  baseUrl: string,
  method: string,
  url: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Answered> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: res.status, body };
}

/** Like `call`, for set-up steps that must succeed. */
export async function expectCall<T>(
  baseUrl: string,
  method: string,
  url: string,
  expected: number,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const answer = await call(baseUrl, method, url, options);
  if (answer.status !== expected)
    throw new Error(`${method} ${url} → ${answer.status} (expected ${expected}): ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

async function inTurns<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

/** Verification tokens in the stored mail (the worker writes one .eml per message), by recipient. */
async function verificationTokens(mailDir: string): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const file of (await readdir(mailDir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'))) {
    const text = await readFile(path.join(mailDir, file), 'utf8').catch(() => '');
    const to = text.match(/^To: (\S+?)\r?$/m)?.[1];
    const token = text.match(/\/verify-email\?token=([A-Za-z0-9_-]+)/)?.[1];
    if (to && token) tokens.set(to.toLowerCase(), token);
  }
  return tokens;
}

/**
 * Candidates as people become them: register through the API, confirm the address with the link the
 * worker mailed (read from the stored mail), sign in. Needs the API and the worker running.
 */
export async function newCandidates(platform: DrillPlatform, label: string, count: number): Promise<Candidate[]> {
  const run = randomUUID().slice(0, 8);
  const people = Array.from({ length: count }, (_, i) => ({
    email: `drill-${label}-${run}-${i}@example.org`,
    password: `drill passphrase ${run}`,
    fullName: `Drill Candidate ${i + 1}`,
  }));
  await inTurns(people, SIGN_UP_CONCURRENCY, async (person) => {
    await expectCall(platform.baseUrl, 'POST', '/api/auth/register', 202, { body: person });
  });
  let tokens = new Map<string, string>();
  for (const deadline = Date.now() + MAIL_WAIT_MS; Date.now() < deadline; await sleep(200)) {
    tokens = await verificationTokens(platform.mailDir);
    if (people.every((p) => tokens.has(p.email))) break;
  }
  const candidates: Candidate[] = [];
  await inTurns(people, SIGN_UP_CONCURRENCY, async ({ email, password }) => {
    const token = tokens.get(email);
    if (!token) throw new Error(`no verification mail reached ${email} within ${MAIL_WAIT_MS / 1000} s`);
    await expectCall(platform.baseUrl, 'POST', '/api/auth/verify-email', 200, { body: { token } });
    const session = await expectCall<{ accessToken: string }>(platform.baseUrl, 'POST', '/api/auth/login', 200, {
      body: { email, password },
    });
    candidates.push({ email, password, token: session.accessToken });
  });
  return candidates;
}

let answerKey: Map<string, string> | null = null;

/**
 * The keyed option of every item, by stem: what a well-prepared candidate knows. Forms carry no item
 * ids (invariant 1), so the drill recognises each question by its scenario, as a person would.
 */
function keyedOptionText(stem: string): string {
  answerKey ??= new Map(
    loadBank(path.resolve(__dirname, '../../../question-bank')).items.map((item) => [
      normalise(item.stem),
      normalise(item.options.find((o) => o.key)?.text ?? ''),
    ]),
  );
  const key = answerKey.get(normalise(stem));
  if (key === undefined) throw new Error(`no bank item has the stem "${stem.slice(0, 60)}…"`);
  return key;
}

/** The option id a candidate who knows the answer picks. */
export function rightOption(question: AttemptView['questions'][number]): string {
  const key = keyedOptionText(question.stem);
  const option = question.options.find((o) => normalise(o.text) === key);
  if (!option) throw new Error(`the keyed option of "${question.stem.slice(0, 60)}…" is not on the form`);
  return option.id;
}

export function startAttempt(baseUrl: string, candidate: Candidate): Promise<AttemptView> {
  return expectCall<AttemptView>(baseUrl, 'POST', '/api/exams/aida/attempts', 201, { token: candidate.token });
}

/** Sits AIDA through the API with every answer right and submits: a pass, which the worker turns into a certificate. */
export async function passAida(baseUrl: string, candidate: Candidate): Promise<AttemptView> {
  const attempt = await startAttempt(baseUrl, candidate);
  let seq = 0;
  for (const question of attempt.questions) {
    await expectCall(baseUrl, 'PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${question.id}`, 200, {
      token: candidate.token,
      body: { optionId: rightOption(question), clientSeq: ++seq },
    });
  }
  const submitted = await expectCall<AttemptView>(baseUrl, 'POST', `/api/exams/aida/attempts/${attempt.id}/submit`, 200, {
    token: candidate.token,
  });
  if (!submitted.result?.passed) throw new Error(`attempt ${attempt.id} did not pass: ${JSON.stringify(submitted.result)}`);
  return submitted;
}

/** Every candidate passes, a few at a time. */
export async function passAll(baseUrl: string, candidates: Candidate[]): Promise<AttemptView[]> {
  const passed: AttemptView[] = [];
  await inTurns(candidates, SIGN_UP_CONCURRENCY, async (candidate) => {
    passed.push(await passAida(baseUrl, candidate));
  });
  return passed;
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; returns the last value seen either way. */
export async function waitFor<T>(
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  everyMs = 200,
): Promise<{ value: T | undefined; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() - started >= timeoutMs) return { value, ms: Date.now() - started };
    await sleep(everyMs);
  }
}
