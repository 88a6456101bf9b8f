import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createHttpApp } from '../src/http-app';
import { base32Decode, generateTotpSecret, hotp, totpStep } from '../src/common/auth/totp';
import { needsSecondFactor, type Role } from '../src/modules/users/entities/user.entity';
import { APP_CONFIG } from '../src/infrastructure/config/app-config';
import { BankSyncService } from '../src/modules/question-bank/bank-sync.service';
import { CredentialEvents } from '../src/modules/certificates/credential-events';
import { DecisionsService } from '../src/modules/reviews/decisions.service';
import { UsersService } from '../src/modules/users/users.service';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  fullName: string;
  accessToken: string;
  refreshCookie: string;
  /** The base32 TOTP secret: staff made by `newUser` have one, and so does anyone enrolled with `enrolTotp`. */
  totpSecret?: string;
  /** The recovery codes `enrolTotp` was given. */
  recoveryCodes?: string[];
}

/** The last TOTP step handed out per user: the server accepts each step once, so no code is given twice. */
const handedOutSteps = new Map<string, number>();

/** The real HTTP application on the run's fresh database, with small factories for the data a test needs. */
export class TestContext {
  /** The question bank synced from its files, once per context (an attempt draws from it). */
  private bankSynced?: Promise<unknown>;

  private constructor(
    readonly app: NestExpressApplication,
    readonly dataSource: DataSource,
  ) {}

  static async create(): Promise<TestContext> {
    const app = await createHttpApp();
    await app.init();
    return new TestContext(app, app.get(DataSource));
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  /** Requests signed in as the given user. */
  as(u: TestUser) {
    const auth = <T extends request.Test>(req: T) => req.set('Authorization', `Bearer ${u.accessToken}`);
    return {
      get: (url: string) => auth(this.http.get(url)),
      put: (url: string, body: object) => auth(this.http.put(url)).send(body),
      post: (url: string, body?: object) => (body === undefined ? auth(this.http.post(url)) : auth(this.http.post(url)).send(body)),
      delete: (url: string, body?: object) => (body === undefined ? auth(this.http.delete(url)) : auth(this.http.delete(url)).send(body)),
    };
  }

  uniqueEmail(label = 'user'): string {
    return `${label}-${randomUUID().slice(0, 8)}@example.org`;
  }

  /**
   * Creates an account with the given role directly through the service (as `user:create` does) and signs
   * it in. Staff (admin, reviewer) are created with a TOTP secret (`user:create --totp-secret`) and sign in
   * with a current code, as they must.
   */
  async newUser(role: Role = 'candidate', overrides: Partial<Pick<TestUser, 'email' | 'fullName'>> = {}): Promise<TestUser> {
    const email = overrides.email ?? this.uniqueEmail(role);
    const password = `pw-${randomUUID()}`;
    const fullName = overrides.fullName ?? `Test ${role}`;
    const totpSecret = needsSecondFactor([role]) ? generateTotpSecret() : undefined;
    const user = await this.app.get(UsersService).create({ email, password, fullName, roles: [role], totpSecret }, null, 'cli');
    return this.signIn({ id: user.id, email, password, fullName, totpSecret, accessToken: '', refreshCookie: '' });
  }

  /** Signs the user in again through the API (with a fresh code when the account has TOTP); keeps the new session on `u`. */
  async signIn(u: TestUser): Promise<TestUser> {
    const otp = u.totpSecret ? await this.otp(u) : undefined;
    const login = await this.http.post('/api/auth/login').send({ email: u.email, password: u.password, otp }).expect(200);
    u.accessToken = login.body.accessToken;
    u.refreshCookie = refreshCookieOf(login);
    return u;
  }

  /**
   * A TOTP code for the user that the server has not accepted yet: the current step's, else the next
   * step's (the server accepts one step either side), else it waits for the clock to move on.
   */
  async otp(u: TestUser): Promise<string> {
    if (!u.totpSecret) throw new Error(`${u.email} has no TOTP secret`);
    const key = base32Decode(u.totpSecret);
    for (;;) {
      const now = totpStep();
      const step = Math.max(now, (handedOutSteps.get(u.id) ?? -1) + 1);
      if (step <= now + 1) {
        handedOutSteps.set(u.id, step);
        return hotp(key, step);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Enrols TOTP through the API (for someone who became staff by a role change); keeps the secret and recovery codes on `u`. */
  async enrolTotp(u: TestUser): Promise<TestUser> {
    const started = await this.as(u).post('/api/me/second-factor/totp').expect(200);
    u.totpSecret = started.body.secret as string;
    const confirmed = await this.as(u)
      .post('/api/me/second-factor/totp/confirm', { code: await this.otp(u) })
      .expect(200);
    u.recoveryCodes = confirmed.body.recoveryCodes as string[];
    return u;
  }

  /**
   * Passes AIDA through the real exam API, as a candidate who knows every answer: starts an attempt,
   * answers each question with its keyed option (read from the item version, which the candidate's
   * API never shows) and submits. The submit records the pass, so a running worker issues the
   * certificate. Returns the attempt's id.
   */
  async passAida(u: TestUser): Promise<string> {
    this.bankSynced ??= this.app.get(BankSyncService).syncFromFiles(this.app.get(APP_CONFIG).bankDir);
    await this.bankSynced;
    const attempt = (await this.as(u).post('/api/exams/aida/attempts').expect(201)).body as {
      id: string;
      questions: Array<{ id: string }>;
    };
    for (const q of attempt.questions) {
      await this.as(u)
        .put(`/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { optionId: await this.keyedOption(q.id) })
        .expect(200);
    }
    const submitted = await this.as(u).post(`/api/exams/aida/attempts/${attempt.id}/submit`).expect(200);
    if (!submitted.body.result?.passed) throw new Error(`attempt ${attempt.id} did not pass: ${JSON.stringify(submitted.body.result)}`);
    return attempt.id;
  }

  /** The option id (as shuffled onto this attempt's form) of the key of an attempt's question. */
  async keyedOption(questionId: string): Promise<string> {
    const [row] = await this.dataSource.query(
      `SELECT q.options, v.content->'options' AS vo FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
      [questionId],
    );
    const key = (row.vo as Array<{ id: string; key?: boolean }>).find((o) => o.key)!.id;
    return (row.options as Array<{ id: string; source: string }>).find((o) => o.source === key)!.id;
  }

  /**
   * A passed AIDA attempt written straight to the table, for the tests of the certificates module's
   * defence when a pass reaches it for an address that is not confirmed. No flow produces that (the
   * exam answers 403 email_unverified), so it cannot be set up through one; the rule those tests are
   * about is the withholding, not the exam's. The pass itself is recorded through the certificates
   * module's own door, as the exam records one (which queues its issue job). Returns its credential event.
   */
  async unconfirmedHolderAidaPass(userId: string): Promise<string> {
    const [attempt] = await this.dataSource.query(
      `INSERT INTO attempts (user_id, exam_code, status, time_limit_seconds, deadline, pass_mark_percent, submitted_at, correct, total, score_percent, passed)
       VALUES ($1, 'AIDA', 'submitted', 1800, now(), 70, now(), 20, 20, 100, true) RETURNING id`,
      [userId],
    );
    await this.dataSource.transaction((tx) =>
      this.app.get(CredentialEvents).recordPass(tx, { userId, credential: 'AIDA', sourceType: 'aida_attempt', sourceId: attempt.id }),
    );
    const [event] = await this.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1 AND kind = 'passed'`, [attempt.id]);
    return event.id as string;
  }

  /**
   * Gives the candidate a CPAA submission that reached adjudication and has an administrator pass
   * it through the real decision code, then waits for the worker to open the panel stage (so a
   * worker must be running). Returns the submission id.
   */
  async passCpaaPortfolio(candidateId: string, decidedBy: { id: string }): Promise<string> {
    const [portfolio] = await this.dataSource.query(
      `INSERT INTO portfolios (user_id, credential, context) VALUES ($1, 'CPAA', '{"system":"Claims triage assistant"}')
       ON CONFLICT (user_id, credential) DO UPDATE SET updated_at = now() RETURNING id`,
      [candidateId],
    );
    const content = {
      context: { system: 'Claims triage assistant', organisation: 'Candidate Org' },
      evidence: ['D01.1', 'D08.5'].map((criterion) => ({ criterion, narrative: `How we met ${criterion}`, attachments: [] })),
    };
    const [submission] = await this.dataSource.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status)
       VALUES ($1, $2, 'CPAA', (SELECT coalesce(max(version), 0) + 1 FROM portfolio_submissions WHERE portfolio_id = $1), $3, 'adjudication') RETURNING id`,
      [portfolio.id, candidateId, JSON.stringify(content)],
    );
    await this.app
      .get(DecisionsService)
      .decide(
        { id: decidedBy.id, email: '', fullName: '', roles: ['admin'], emailVerified: true, sessionFamilyId: '' },
        submission.id,
        'pass',
        'portfolio meets every CPAA domain',
      );
    // The panels module opens the stage from the decision's outbox row: wait for the worker.
    await eventually(
      async () => (await this.dataSource.query(`SELECT 1 FROM panel_interviews WHERE submission_id = $1`, [submission.id])).length > 0,
      'the panel stage to open',
    );
    return submission.id;
  }

  newCandidate() {
    return this.newUser('candidate');
  }

  newAdmin() {
    return this.newUser('admin');
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Polls until the probe returns something truthy (work done by a real worker), or fails naming what it waited for. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function refreshCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((c) => c.startsWith('psf_refresh='));
  if (!cookie) throw new Error('response set no refresh cookie');
  return cookie.split(';')[0];
}
