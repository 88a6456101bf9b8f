import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';

// Mails wait behind the outbox backlog of every earlier suite (see waitForMail): a test may take up to a minute.
jest.setTimeout(90_000);

/** E-mail change through the HTTP API and the real worker (mail), PostgreSQL and Redis. */
describe('e-mail change: the new address is confirmed by a link before it takes effect; the old one is told', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let config: AppConfig;

  beforeAll(async () => {
    own = await OwnDatabase.use('emailchange');
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 30_000);
  afterAll(async () => {
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  async function mails(email: string, template: string): Promise<Array<{ subject: string; text: string }>> {
    const rows: Array<{ subject: string; stored_file: string }> = await ctx.dataSource.query(
      `SELECT subject, stored_file FROM notifications WHERE recipient = $1 AND template = $2 AND sent_at IS NOT NULL ORDER BY created_at`,
      [email, template],
    );
    return Promise.all(
      rows.map(async (r) => ({ subject: r.subject, text: await readFile(path.join(config.mailDir, r.stored_file), 'utf8') })),
    );
  }

  // Up to 60 s: this suite's worker first works through the outbox rows every earlier suite left in the shared database.
  const waitForMail = (email: string, template: string, count = 1) =>
    eventually(
      async () => {
        const all = await mails(email, template);
        return all.length >= count ? all[count - 1] : null;
      },
      `${template} mail number ${count} to ${email}`,
      600,
    );

  async function linkFromMail(email: string, count = 1): Promise<string> {
    const mail = await waitForMail(email, 'confirm-email-change', count);
    const match = mail.text.match(/http:\/\/\S+\/confirm-email-change\?token=([A-Za-z0-9_-]{43})\r?\n/);
    if (!match) throw new Error(`no link in: ${mail.text}`);
    return match[1];
  }

  const requestChange = (u: TestUser, newEmail: string, password = u.password) => ctx.as(u).post('/api/me/email', { newEmail, password });
  const confirm = (token: string) => ctx.http.post('/api/auth/confirm-email-change').send({ token });

  it('changes the address only once the link is opened: verified, every session ends, both addresses are told', async () => {
    const user = await ctx.newCandidate();
    const oldEmail = user.email;
    const secondSession = await ctx.signIn({ ...user });
    const newEmail = ctx.uniqueEmail('moved').toUpperCase();

    const res = await requestChange(user, newEmail).expect(202);
    expect(res.body).toEqual({ message: expect.stringMatching(/sent a link to the new address/) });
    const notice = await waitForMail(oldEmail, 'email-change-requested');
    expect(notice.text).toContain(newEmail.toLowerCase());
    expect(notice.text).toMatch(/reset your password/);
    const token = await linkFromMail(newEmail.toLowerCase());
    // Only the hash is stored; nothing changed yet.
    const stored = await ctx.dataSource.query(`SELECT 1 FROM account_tokens WHERE token_hash = $1`, [
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect(stored).toHaveLength(1);
    expect((await ctx.as(user).get('/api/me').expect(200)).body.email).toBe(oldEmail);

    expect((await confirm(token).expect(200)).body).toEqual({ message: expect.any(String) });
    // Every session ended, so both old access tokens stop working; the new address signs in and is confirmed.
    await ctx.as(user).get('/api/me').expect(401);
    await ctx.as(secondSession).get('/api/me').expect(401);
    const login = await ctx.http.post('/api/auth/login').send({ email: newEmail.toLowerCase(), password: user.password }).expect(200);
    expect(login.body.user).toMatchObject({ email: newEmail.toLowerCase(), emailVerified: true });
    await ctx.http.post('/api/auth/login').send({ email: oldEmail, password: user.password }).expect(401);
    const done = await waitForMail(oldEmail, 'email-changed');
    expect(done.text).toContain(newEmail.toLowerCase());

    // Single use.
    const reused = await confirm(token).expect(400);
    expect(reused.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/invalid, has expired or has been used/) });
    const audit = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`, [user.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['auth.email_change_requested', 'user.email_changed']),
    );
  });

  it('answers a taken new address exactly as a free one, and mails its owner instead of sending a link', async () => {
    const user = await ctx.newCandidate();
    const other = await ctx.newCandidate();
    const owner = await ctx.newCandidate();
    const free = ctx.uniqueEmail('free');
    const taken = await requestChange(user, owner.email).expect(202);
    // Another person asks for the free address: a second request of the same person would supersede the first, and
    // a worker slower than that second request then (rightly) sends nothing for the first (CI saw exactly that).
    const fresh = await requestChange(other, free).expect(202);
    expect(taken.body).toEqual(fresh.body);
    expect(Object.keys(taken.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
    const toOwner = await waitForMail(owner.email, 'email-change-taken');
    expect(toOwner.subject).toMatch(/tried to move an account to your address/);
    await linkFromMail(free); // the free address got its link
    expect(await mails(owner.email, 'confirm-email-change')).toEqual([]);
    expect((await ctx.as(owner).get('/api/me').expect(200)).body.email).toBe(owner.email);
  });

  it('refuses a wrong password (401), a bad address or unknown field (400), and the current address (400)', async () => {
    const user = await ctx.newCandidate();
    await requestChange(user, ctx.uniqueEmail('x'), 'not my password at all').expect(401);
    await requestChange(user, 'not-an-address').expect(400);
    await ctx
      .as(user)
      .post('/api/me/email', { newEmail: ctx.uniqueEmail('x'), password: user.password, extra: true })
      .expect(400);
    const same = await requestChange(user, user.email.toUpperCase()).expect(400);
    expect(same.body.message).toMatch(/already the address/);
    await ctx.http
      .post('/api/me/email')
      .send({ newEmail: ctx.uniqueEmail('x'), password: 'x' })
      .expect(401);
  });

  it("a token changes only its own account's address, whoever sends it; a link of another kind is refused", async () => {
    const alice = await ctx.newCandidate();
    const bob = await ctx.newCandidate();
    const target = ctx.uniqueEmail('alice-new');
    await requestChange(alice, target).expect(202);
    const token = await linkFromMail(target);
    // Bob, signed in, opens Alice's link: Alice's address changes, never Bob's.
    await ctx.as(bob).post('/api/auth/confirm-email-change', { token }).expect(200);
    expect((await ctx.as(bob).get('/api/me').expect(200)).body.email).toBe(bob.email);
    const [row] = await ctx.dataSource.query(`SELECT email FROM users WHERE id = $1`, [alice.id]);
    expect(row.email).toBe(target);
    // A verification or reset token is not an e-mail change token.
    await ctx.http.post('/api/auth/forgot-password').send({ email: bob.email }).expect(202);
    const reset = await eventually(async () => (await mails(bob.email, 'reset-password'))[0], 'the reset mail');
    const resetToken = reset.text.match(/token=([A-Za-z0-9_-]{43})/)![1];
    await confirm(resetToken).expect(400);
  });

  it('a newer request ends the older link, and an expired link is refused', async () => {
    const user = await ctx.newCandidate();
    const first = ctx.uniqueEmail('first');
    await requestChange(user, first).expect(202);
    const firstToken = await linkFromMail(first);
    const second = ctx.uniqueEmail('second');
    await requestChange(user, second).expect(202);
    await linkFromMail(second);
    await confirm(firstToken).expect(400);

    // The worker makes the link, with its own configuration: a 1-second lifetime here.
    const accounts = worker.get<AppConfig>(APP_CONFIG).accounts;
    const ttl = accounts.changeEmailTokenTtlSeconds;
    accounts.changeEmailTokenTtlSeconds = 1;
    try {
      const third = ctx.uniqueEmail('third');
      await requestChange(user, third).expect(202);
      const token = await linkFromMail(third);
      await new Promise((r) => setTimeout(r, 1500));
      await confirm(token).expect(400);
    } finally {
      accounts.changeEmailTokenTtlSeconds = ttl;
    }
    const [row] = await ctx.dataSource.query(`SELECT email FROM users WHERE id = $1`, [user.id]);
    expect(row.email).toBe(user.email);
  });

  it('answers 409 when the new address was taken between the request and the link', async () => {
    const user = await ctx.newCandidate();
    const wanted = ctx.uniqueEmail('contested');
    await requestChange(user, wanted).expect(202);
    const token = await linkFromMail(wanted);
    await ctx.newUser('candidate', { email: wanted });
    const res = await confirm(token).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      reason: 'email_taken',
      message: expect.stringMatching(/belongs to another account/),
    });
    expect((await ctx.as(user).get('/api/me').expect(200)).body.email).toBe(user.email);
  });
});
