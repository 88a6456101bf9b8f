import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventually, refreshCookieOf, TestContext } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { BankSyncService } from '../question-bank/bank-sync.service';
import { UsersService } from '../users/users.service';
import { PurgeUnverifiedAccountsJob } from './jobs/purge-unverified-accounts.job';

const PASSWORD = 'copper kettle under moonlight';
type Kind = 'verify-email' | 'reset-password';

/** Registration, e-mail verification and passwords through the HTTP API, the real worker (mail), PostgreSQL and Redis. */
describe('accounts: verified e-mail, forgotten and changed passwords', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let mailDir: string;
  // Every request comes from an address of its own unless a test says otherwise: the per-address limits are tested on purpose.
  let nextIp = 1;
  const freshIp = () => `10.${(nextIp >> 8) & 255}.${nextIp++ & 255}.${Math.floor(Math.random() * 250) + 1}`;
  const post = (url: string, body: object, ip = freshIp()) => ctx.http.post(url).set('X-Forwarded-For', ip).send(body);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    own = await OwnDatabase.use('accounts');
    ctx = await TestContext.create();
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
    mailDir = ctx.app.get<AppConfig>(APP_CONFIG).mailDir;
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 30_000);
  afterAll(async () => {
    ctx.app.set('trust proxy', false);
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  /** The stored messages of a template to an address, oldest first, with their text (as the admin mail view shows them). */
  async function mails(email: string, template: string): Promise<Array<{ subject: string; text: string }>> {
    const rows: Array<{ subject: string; stored_file: string }> = await ctx.dataSource.query(
      `SELECT subject, stored_file FROM notifications WHERE recipient = $1 AND template = $2 AND sent_at IS NOT NULL ORDER BY created_at`,
      [email, template],
    );
    return Promise.all(rows.map(async (r) => ({ subject: r.subject, text: await readFile(path.join(mailDir, r.stored_file), 'utf8') })));
  }

  /** Waits for the `count`-th link of the kind mailed to the address and returns its token. */
  async function linkFromMail(email: string, kind: Kind, count = 1): Promise<string> {
    const found = await eventually(async () => {
      const all = await mails(email, kind);
      return all.length >= count ? all[count - 1] : null;
    }, `${kind} mail number ${count} to ${email}`);
    const match = found.text.match(new RegExp(`http://\\S+/${kind}\\?token=([A-Za-z0-9_-]{43})\\r?\\n`));
    if (!match) throw new Error(`no ${kind} link in: ${found.text}`);
    return match[1];
  }

  async function register(label = 'reg', password = PASSWORD) {
    const email = ctx.uniqueEmail(label);
    await post('/api/auth/register', { email, password, fullName: `Reg ${label}` }).expect(202);
    return { email, password };
  }

  async function signIn(email: string, password: string) {
    const res = await post('/api/auth/login', { email, password }).expect(200);
    return { accessToken: res.body.accessToken as string, cookie: refreshCookieOf(res), user: res.body.user };
  }

  const me = (accessToken: string) => ctx.http.get('/api/me').set(bearer(accessToken));

  it('registers with 202, mails a single-use link, and the link verifies the address once', async () => {
    const { email } = await register('verify');
    const session = await signIn(email, PASSWORD);
    expect(session.user.emailVerified).toBe(false);

    const token = await linkFromMail(email, 'verify-email');
    const [{ token_hash }] = await ctx.dataSource.query(
      `SELECT t.token_hash FROM account_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1`,
      [email],
    );
    expect(token_hash).toBe(createHash('sha256').update(token).digest('hex')); // only the hash is stored

    expect((await post('/api/auth/verify-email', { token }).expect(200)).body).toEqual({ message: expect.any(String) });
    expect((await me(session.accessToken).expect(200)).body.emailVerified).toBe(true);

    const reused = await post('/api/auth/verify-email', { token }).expect(400);
    expect(reused.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/invalid, has expired or has been used/),
    });
    await post('/api/auth/verify-email', { token: 'not-a-token-at-all' }).expect(400);
    await post('/api/auth/verify-email', {}).expect(400);
  }, 30_000);

  it('refuses a token of the other purpose: a reset link does not verify, a verification link does not reset', async () => {
    const { email } = await register('purpose');
    const verifyToken = await linkFromMail(email, 'verify-email');
    await post('/api/auth/forgot-password', { email }).expect(202);
    const resetToken = await linkFromMail(email, 'reset-password');

    await post('/api/auth/verify-email', { token: resetToken }).expect(400);
    await post('/api/auth/reset-password', { token: verifyToken, password: 'a brand new passphrase' }).expect(400);
    // Neither refusal spent the tokens: each still works for what it is for.
    await post('/api/auth/verify-email', { token: verifyToken }).expect(200);
    await post('/api/auth/reset-password', { token: resetToken, password: 'a brand new passphrase' }).expect(200);
  }, 30_000);

  it('refuses an expired link (the worker issues links with a 1-second lifetime here) and a resent one works', async () => {
    const { email } = await register('expiry');
    await linkFromMail(email, 'verify-email');
    const accounts = worker.get<AppConfig>(APP_CONFIG).accounts;
    const ttl = accounts.verifyEmailTokenTtlSeconds;
    accounts.verifyEmailTokenTtlSeconds = 1;
    try {
      await post('/api/auth/resend-verification', { email }).expect(202);
      const shortLived = await linkFromMail(email, 'verify-email', 2);
      await new Promise((r) => setTimeout(r, 1_100));
      await post('/api/auth/verify-email', { token: shortLived }).expect(400);
    } finally {
      accounts.verifyEmailTokenTtlSeconds = ttl;
    }
    await post('/api/auth/resend-verification', { email }).expect(202);
    await post('/api/auth/verify-email', { token: await linkFromMail(email, 'verify-email', 3) }).expect(200);
  }, 30_000);

  it('resend answers 202 for any address, mails only an unverified account, and limits each address to 3 an hour', async () => {
    const unknown = await post('/api/auth/resend-verification', { email: ctx.uniqueEmail('nobody') }).expect(202);
    const { email } = await register('resend');
    const known = await post('/api/auth/resend-verification', { email }).expect(202);
    expect(known.body).toEqual(unknown.body);
    await linkFromMail(email, 'verify-email', 2);
    await post('/api/auth/resend-verification', { email }).expect(202);
    await post('/api/auth/resend-verification', { email }).expect(202);
    const limited = await post('/api/auth/resend-verification', { email }).expect(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const verified = await ctx.newCandidate();
    await post('/api/auth/resend-verification', { email: verified.email }).expect(202);
    await post('/api/auth/resend-verification', {}).expect(400);
  }, 30_000);

  it('answers 403 email_unverified to starting an exam, submitting a portfolio and booking a panel until verified', async () => {
    const { email } = await register('gate');
    const session = await signIn(email, PASSWORD);
    const expected = {
      statusCode: 403,
      error: 'Forbidden',
      reason: 'email_unverified',
      message: expect.stringMatching(/^Confirm your e-mail address first/),
    };
    const calls = [
      () => ctx.http.post('/api/exams/aida/attempts').set(bearer(session.accessToken)),
      () => ctx.http.post('/api/portfolios/CPAP/submit').set(bearer(session.accessToken)),
      () =>
        ctx.http
          .post('/api/panels/me/booking')
          .set(bearer(session.accessToken))
          .send({ start: new Date(Date.now() + 7 * 86_400_000).toISOString(), timeZone: 'UTC' }),
    ];
    for (const call of calls) expect((await call().expect(403)).body).toEqual(expected);
    // Preparing is allowed: reading the exam and the portfolio draft.
    await ctx.http.get('/api/exams/aida').set(bearer(session.accessToken)).expect(200);
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.email = $1`,
      [email],
    );
    expect(n).toBe(0);

    await post('/api/auth/verify-email', { token: await linkFromMail(email, 'verify-email') }).expect(200);
    await ctx.app.get(BankSyncService).syncFromFiles(path.resolve(__dirname, '../../../../question-bank'));
    await ctx.http.post('/api/exams/aida/attempts').set(bearer(session.accessToken)).expect(201);
  }, 60_000);

  it('withholds a certificate from an unverified holder and issues it, naming the verified address, once they verify', async () => {
    const { email } = await register('holder');
    const userId = (await signIn(email, PASSWORD)).user.id as string;
    // A pass that reaches the certificates module before the address is confirmed (recorded through its own door).
    await ctx.unconfirmedHolderAidaPass(userId);
    await eventually(
      async () =>
        (await ctx.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'certificate.withheld' AND subject_id = $1`, [userId])).length,
      'the certificate to be withheld',
    );
    expect(await ctx.dataSource.query(`SELECT id FROM certificates WHERE user_id = $1`, [userId])).toHaveLength(0);

    await post('/api/auth/verify-email', { token: await linkFromMail(email, 'verify-email') }).expect(200);
    const [certificate] = await eventually(async () => {
      const rows = await ctx.dataSource.query(
        `SELECT number, credential_jwt FROM certificates WHERE user_id = $1 AND credential_jwt IS NOT NULL`,
        [userId],
      );
      return rows.length ? rows : null;
    }, 'the certificate to be issued after verification');
    const payload = JSON.parse(Buffer.from(certificate.credential_jwt.split('.')[1], 'base64url').toString('utf8'));
    const subject = payload.vc?.credentialSubject ?? payload.credentialSubject;
    const [identity] = subject.identifier;
    expect(identity.identityHash).toBe(
      `sha256$${createHash('sha256')
        .update(email + identity.salt)
        .digest('hex')}`,
    );
    await eventually(async () => (await mails(email, 'certificate-issued')).length === 1, 'the certificate mail');
  }, 45_000);

  it('answers a registration with a taken address exactly as a new one, changes nothing, and mails the owner', async () => {
    const owner = await ctx.newCandidate();
    const fresh = await post('/api/auth/register', { email: ctx.uniqueEmail('new'), password: PASSWORD, fullName: 'Someone' }).expect(202);
    const taken = await post('/api/auth/register', { email: owner.email.toUpperCase(), password: PASSWORD, fullName: 'Someone' }).expect(
      202,
    );
    expect(taken.body).toEqual(fresh.body);
    expect(taken.headers['content-type']).toBe(fresh.headers['content-type']);

    const notice = await eventually(async () => (await mails(owner.email, 'account-register-attempt'))[0], 'the owner notice');
    expect(notice.subject).toBe('Someone tried to register with your address');
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [owner.email]);
    expect(n).toBe(1);
    await post('/api/auth/login', { email: owner.email, password: owner.password }).expect(200); // password unchanged
    await post('/api/auth/login', { email: owner.email, password: PASSWORD }).expect(401);
  }, 30_000);

  it('refuses short, breached and personal passwords with 400 and an explanation, creating nothing', async () => {
    const email = ctx.uniqueEmail('weakpw');
    const cases: Array<[string, string, RegExp]> = [
      ['short pass', 'A Person', /at least 12 characters/],
      ['1qaz2wsx3edc', 'A Person', /^This password appears in lists of breached passwords/],
      ['1QAZ2WSX3EDC', 'A Person', /^This password appears in lists of breached passwords/],
      [`my ${email.split('@')[0]} secret`, 'A Person', /e-mail address/],
      ['Grace Brewster Hopper', 'Grace Brewster Hopper', /your name/],
    ];
    for (const [password, fullName, message] of cases) {
      const res = await post('/api/auth/register', { email, password, fullName }).expect(400);
      expect(res.body.message).toMatch(message);
    }
    const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [email]);
    expect(n).toBe(0);
  });

  it('limits registration to 10 an hour from one address', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      await post('/api/auth/register', { email: ctx.uniqueEmail('burst'), password: PASSWORD, fullName: 'Burst' }, ip).expect(202);
    }
    const res = await post('/api/auth/register', { email: ctx.uniqueEmail('burst'), password: PASSWORD, fullName: 'Burst' }, ip).expect(
      429,
    );
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  }, 30_000);

  it('resets a forgotten password: every session ends, the link works once, the owner is told', async () => {
    const user = await ctx.newCandidate();
    const other = await signIn(user.email, user.password);
    const unknown = await post('/api/auth/forgot-password', { email: ctx.uniqueEmail('ghost') }).expect(202);
    const known = await post('/api/auth/forgot-password', { email: user.email }).expect(202);
    expect(known.body).toEqual(unknown.body);
    const token = await linkFromMail(user.email, 'reset-password');
    await post('/api/auth/forgot-password', { email: user.email }).expect(202);
    const laterLink = await linkFromMail(user.email, 'reset-password', 2);

    // A refused password changes nothing and does not spend the link.
    expect((await post('/api/auth/reset-password', { token, password: 'q1w2e3r4t5y6' }).expect(400)).body.message).toMatch(/breached/);
    await post('/api/auth/login', { email: user.email, password: user.password }).expect(200);

    const newPassword = 'a fresh and private passphrase';
    expect((await post('/api/auth/reset-password', { token, password: newPassword }).expect(200)).body).toEqual({
      message: expect.any(String),
    });
    for (const cookie of [user.refreshCookie, other.cookie]) {
      await ctx.http.post('/api/auth/refresh').set('Cookie', cookie).expect(401);
    }
    await me(user.accessToken).expect(401);
    await me(other.accessToken).expect(401);
    await post('/api/auth/reset-password', { token, password: 'yet another passphrase' }).expect(400);
    // The other link in the inbox was spent with it.
    await post('/api/auth/reset-password', { token: laterLink, password: 'yet another passphrase' }).expect(400);
    await post('/api/auth/login', { email: user.email, password: user.password }).expect(401);
    await signIn(user.email, newPassword);

    const notice = await eventually(async () => (await mails(user.email, 'account-password-reset'))[0], 'the reset notice');
    expect(notice.subject).toBe('Your password was reset');
    const [entry] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'auth.password_reset' AND subject_id = $1`, [
      user.id,
    ]);
    expect(entry.data.sessionsEnded).toBeGreaterThanOrEqual(3); // newUser's, the second sign-in's, and the one made after the refused reset
  }, 30_000);

  it('changes the password: other sessions end, this one stays; wrong current 401, weak new 400', async () => {
    const user = await ctx.newCandidate();
    const other = await signIn(user.email, user.password);
    const put = (body: object) => ctx.http.put('/api/me/password').set(bearer(user.accessToken)).send(body);

    expect((await put({ currentPassword: 'not my password', newPassword: 'a perfectly fine passphrase' }).expect(401)).body.message).toBe(
      'Your current password is not correct',
    );
    expect((await put({ currentPassword: user.password, newPassword: '1qaz2wsx3edc' }).expect(400)).body.message).toMatch(/breached/);
    await put({ currentPassword: user.password, newPassword: 'short' }).expect(400);
    await me(other.accessToken).expect(200); // nothing changed yet

    await put({ currentPassword: user.password, newPassword: 'a perfectly fine passphrase' }).expect(204);
    await me(user.accessToken).expect(200);
    await ctx.http.post('/api/auth/refresh').set('Cookie', user.refreshCookie).expect(200);
    await me(other.accessToken).expect(401);
    await ctx.http.post('/api/auth/refresh').set('Cookie', other.cookie).expect(401);
    await post('/api/auth/login', { email: user.email, password: user.password }).expect(401);
    await signIn(user.email, 'a perfectly fine passphrase');
    await eventually(async () => (await mails(user.email, 'account-password-changed'))[0], 'the change notice');
    await ctx.http.put('/api/me/password').send({ currentPassword: 'x', newPassword: 'a perfectly fine passphrase' }).expect(401);
  }, 30_000);

  it('a password change voids the reset links asked for before it, so none can undo the new password', async () => {
    const user = await ctx.newCandidate();
    await post('/api/auth/forgot-password', { email: user.email }).expect(202);
    const earlier = await linkFromMail(user.email, 'reset-password');

    const newPassword = 'a perfectly fine passphrase';
    await ctx.http.put('/api/me/password').set(bearer(user.accessToken)).send({ currentPassword: user.password, newPassword }).expect(204);
    expect(
      (await post('/api/auth/reset-password', { token: earlier, password: 'a passphrase of the intruder' }).expect(400)).body.message,
    ).toMatch(/invalid, has expired or has been used/);
    await signIn(user.email, newPassword);
    const [entry] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'auth.password_changed' AND subject_id = $1`, [
      user.id,
    ]);
    expect(entry.data).toMatchObject({ resetLinksSpent: 1 });
    // A link asked for afterwards works as usual.
    await post('/api/auth/forgot-password', { email: user.email }).expect(202);
    await post('/api/auth/reset-password', {
      token: await linkFromMail(user.email, 'reset-password', 2),
      password: 'a later passphrase',
    }).expect(200);
  }, 30_000);

  it('a completed reset confirms an unconfirmed address as its verification link would: withheld certificate issued, that link spent', async () => {
    const { email } = await register('resetverifies');
    const userId = (await signIn(email, PASSWORD)).user.id as string;
    const verifyToken = await linkFromMail(email, 'verify-email');
    // A pass withheld for want of a confirmed address (set up as in the verification test above).
    await ctx.unconfirmedHolderAidaPass(userId);
    await eventually(
      async () =>
        (await ctx.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'certificate.withheld' AND subject_id = $1`, [userId])).length,
      'the certificate to be withheld',
    );

    await post('/api/auth/forgot-password', { email }).expect(202);
    const newPassword = 'a fresh and private passphrase';
    await post('/api/auth/reset-password', { token: await linkFromMail(email, 'reset-password'), password: newPassword }).expect(200);

    const session = await signIn(email, newPassword);
    expect(session.user.emailVerified).toBe(true);
    expect((await me(session.accessToken).expect(200)).body.emailVerified).toBe(true);
    await eventually(async () => (await mails(email, 'certificate-issued')).length === 1, 'the certificate mail');
    // The verification link has nothing left to do, and is spent as the other verification links are when one is opened.
    await post('/api/auth/verify-email', { token: verifyToken }).expect(400);
    const entries = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'user.email_verified' AND subject_id = $1`,
      [userId],
    );
    expect(entries).toEqual([{ actor_id: userId, data: { withheldCertificatesQueued: 1, via: 'password_reset' } }]);
  }, 45_000);

  it('purges accounts left unverified past the limit (audited by id only), keeping newer and verified ones', async () => {
    const stale = await register('stale');
    const staleId = (await signIn(stale.email, PASSWORD)).user.id as string;
    await linkFromMail(stale.email, 'verify-email');
    const verified = await ctx.newCandidate();
    const accounts = worker.get<AppConfig>(APP_CONFIG).accounts;
    const days = accounts.unverifiedAccountDays;
    accounts.unverifiedAccountDays = 2 / 86_400; // two seconds, for the test
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      const young = await register('young');
      await worker.get(PurgeUnverifiedAccountsJob).handle();
      const left = await ctx.dataSource.query(`SELECT email FROM users WHERE email = ANY($1)`, [
        [stale.email, young.email, verified.email],
      ]);
      expect(left.map((r: { email: string }) => r.email).sort()).toEqual([young.email, verified.email].sort());
    } finally {
      accounts.unverifiedAccountDays = days;
    }
    expect(await ctx.dataSource.query(`SELECT 1 FROM account_tokens WHERE user_id = $1`, [staleId])).toHaveLength(0);
    const [entry] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'user.purged_unverified' AND subject_id = $1`, [
      staleId,
    ]);
    expect(entry.data).toEqual({ unverifiedForMoreThanDays: 2 / 86_400 });
    expect(JSON.stringify(entry)).not.toContain(stale.email.split('@')[0]);
    // The address is free again.
    await post('/api/auth/register', { email: stale.email, password: PASSWORD, fullName: 'The Real Owner' }).expect(202);
    await linkFromMail(stale.email, 'verify-email', 2);
  }, 30_000);

  describe('enumeration', () => {
    const RUNS = 25;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Stated tolerance: the medians of 25 interleaved runs differ by at most 30 % of the larger one or 15 ms, whichever is more.
    const close = (a: number, b: number) => Math.abs(a - b) <= Math.max(15, 0.3 * Math.max(a, b));

    async function timed(send: () => Promise<{ status: number; body: unknown }>) {
      const t0 = process.hrtime.bigint();
      const res = await send();
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.status, body: res.body };
    }

    async function compare(known: string[], unknown: string[], send: (email: string) => Promise<{ status: number; body: unknown }>) {
      const a: number[] = [];
      const b: number[] = [];
      const answers = new Set<string>();
      for (let i = 0; i < RUNS; i++) {
        for (const [email, into] of i % 2
          ? ([
              [known[i], a],
              [unknown[i], b],
            ] as const)
          : ([
              [unknown[i], b],
              [known[i], a],
            ] as const)) {
          const r = await timed(() => send(email));
          into.push(r.ms);
          answers.add(JSON.stringify([r.status, r.body]));
        }
      }
      return { known: median(a), unknown: median(b), answers: [...answers] };
    }

    let existing: string[];
    beforeAll(async () => {
      const people = Array.from({ length: RUNS }, (_, i) => ({ email: ctx.uniqueEmail(`enum${i}`), fullName: `Enum ${i}` }));
      existing = (await ctx.app.get(UsersService).createMany(people, `pw-${randomUUID()}`, null)).map((u) => u.email);
    }, 30_000);
    const unknownAddresses = () => Array.from({ length: RUNS }, () => ctx.uniqueEmail('enum-unknown'));

    it('register: the same status and body for a taken and a new address, medians within the stated tolerance', async () => {
      const send = (email: string) => post('/api/auth/register', { email, password: PASSWORD, fullName: 'Enumerator' });
      await send(ctx.uniqueEmail('warm')); // first-use costs (argon2 pool, prepared plans) out of the way
      const result = await compare(existing, unknownAddresses(), send);
      expect(result.answers).toHaveLength(1);
      expect(JSON.parse(result.answers[0])[0]).toBe(202);
      expect({ known: result.known, unknown: result.unknown, close: close(result.known, result.unknown) }).toMatchObject({ close: true });
    }, 120_000);

    it('forgot-password: the same status and body for a known and an unknown address, medians within the stated tolerance', async () => {
      const send = (email: string) => post('/api/auth/forgot-password', { email });
      await send(ctx.uniqueEmail('warm'));
      const result = await compare(existing, unknownAddresses(), send);
      expect(result.answers).toHaveLength(1);
      expect(JSON.parse(result.answers[0])[0]).toBe(202);
      expect({ known: result.known, unknown: result.unknown, close: close(result.known, result.unknown) }).toMatchObject({ close: true });
    }, 120_000);
  });
});
