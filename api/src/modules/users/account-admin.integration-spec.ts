import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventually, refreshCookieOf, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';

const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
const WRONG_PASSWORD_BODY = { statusCode: 401, error: 'Unauthorized', message: expect.any(String) };

/**
 * Account administration (issue #13) through the HTTP API, the real worker (mail, released work),
 * PostgreSQL and Redis: deactivation, reactivation, forced password resets, the People search, and
 * access that ends the moment a role is removed or an account deactivated.
 */
describe('account administration: deactivate, reactivate, force a password reset, and access that ends at once', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  let mailDir: string;
  let nextIp = 1;
  const freshIp = () => `10.77.${(nextIp >> 8) & 255}.${nextIp++ & 255}`;
  const as = (u: TestUser) => ctx.as(u);
  const login = (email: string, password: string, otp?: string) =>
    ctx.http.post('/api/auth/login').set('X-Forwarded-For', freshIp()).send({ email, password, otp });

  beforeAll(async () => {
    own = await OwnDatabase.use('accountadmin');
    ctx = await TestContext.create();
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
    mailDir = ctx.app.get<AppConfig>(APP_CONFIG).mailDir;
    admin = await ctx.newAdmin();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 30_000);
  afterAll(async () => {
    ctx.app.set('trust proxy', false);
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  async function audit(action: string, subjectId: string): Promise<Array<{ actor_id: string; data: Record<string, unknown> }>> {
    return ctx.dataSource.query(`SELECT actor_id, data FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY id`, [
      action,
      subjectId,
    ]);
  }

  /** The `count`-th reset mail to the address (oldest first), once the worker has sent it, and the token of its link. */
  async function resetTokenFromMail(email: string, count = 1): Promise<{ token: string; text: string }> {
    const row = await eventually(async () => {
      const rows: Array<{ stored_file: string }> = await ctx.dataSource.query(
        `SELECT stored_file FROM notifications WHERE recipient = $1 AND template = 'reset-password' AND sent_at IS NOT NULL ORDER BY created_at`,
        [email],
      );
      return rows[count - 1];
    }, `reset mail number ${count} to ${email}`);
    const text = await readFile(path.join(mailDir, row.stored_file), 'utf8');
    const match = text.match(/http:\/\/\S+\/reset-password\?token=([A-Za-z0-9_-]{43})\r?\n/);
    if (!match) throw new Error(`no reset link in: ${text}`);
    return { token: match[1], text };
  }

  describe('deactivation and reactivation', () => {
    it('ends every session at once, refuses sign-in exactly as a wrong password does, and reactivation lets them back in', async () => {
      const candidate = await ctx.newCandidate();
      const otherTab = await ctx.signIn({ ...candidate });
      await as(candidate).get('/api/me').expect(200);

      // step-up is required: the admin signed in with TOTP moments ago, so it holds
      const res = await as(admin)
        .post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'Identity fraud under investigation' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: candidate.id,
        deactivatedAt: expect.any(String),
        deactivatedReason: 'Identity fraud under investigation',
      });

      // every session ends at once: the access tokens and the refresh cookies
      await as(candidate).get('/api/me').expect(401);
      await as(otherTab).get('/api/me').expect(401);
      await ctx.http.post('/api/auth/refresh').set('Cookie', candidate.refreshCookie).expect(401);

      // sign-in with the right password answers exactly as a wrong password does
      const refused = await login(candidate.email, candidate.password).expect(401);
      const wrong = await login(admin.email, 'not the password at all').expect(401);
      expect(refused.body).toEqual(WRONG_PASSWORD_BODY);
      expect(refused.body).toEqual(wrong.body);

      const [entry] = await audit('user.deactivated', candidate.id);
      expect(entry).toMatchObject({ actor_id: admin.id, data: { reason: 'Identity fraud under investigation' } });
      await as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'again' }).expect(409);

      const reactivated = await as(admin)
        .post(`/api/admin/users/${candidate.id}/reactivate`, { reason: 'Identity confirmed in person' })
        .expect(200);
      expect(reactivated.body).toMatchObject({ deactivatedAt: null, deactivatedReason: null });
      expect((await audit('user.reactivated', candidate.id))[0]).toMatchObject({
        actor_id: admin.id,
        data: { reason: 'Identity confirmed in person', deactivatedFor: 'Identity fraud under investigation' },
      });
      const back = await login(candidate.email, candidate.password).expect(200);
      await ctx.http.get('/api/me').set('Authorization', `Bearer ${back.body.accessToken}`).expect(200);
      await as(admin).post(`/api/admin/users/${candidate.id}/reactivate`, { reason: 'again' }).expect(409);
    });

    it('needs a reason, an admin, and an existing account', async () => {
      const candidate = await ctx.newCandidate();
      await as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: '   ' }).expect(400);
      await as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, {}).expect(400);
      await as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'x', extra: true }).expect(400);
      await as(admin).post(`/api/admin/users/00000000-0000-4000-8000-000000000000/deactivate`, { reason: 'x' }).expect(404);
      const other = await ctx.newCandidate();
      await as(other).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'x' }).expect(403);
      await as(other).get(`/api/admin/users/${candidate.id}`).expect(403);
      await as(candidate).get('/api/me').expect(200);
    });

    it('refuses to deactivate yourself, and keeps the last active administrator', async () => {
      // Segregation of duties (invariant 11): one's own account is a case one is party to.
      const self = await as(admin).post(`/api/admin/users/${admin.id}/deactivate`, { reason: 'testing' }).expect(403);
      expect(self.body).toMatchObject({ statusCode: 403, error: 'Forbidden', reason: 'not_independent' });
      await as(admin).post(`/api/admin/users/${admin.id}/force-password-reset`, { reason: 'testing' }).expect(403);

      // Two administrators deactivating each other at once: one wins, the other is refused, one stays active.
      const a = await ctx.newAdmin();
      const b = await ctx.newAdmin();
      const others = (await as(a).get('/api/admin/users?role=admin&status=active&pageSize=500').expect(200)).body.items.filter(
        (p: { id: string }) => p.id !== a.id && p.id !== b.id,
      );
      for (const p of others) await as(a).post(`/api/admin/users/${p.id}/deactivate`, { reason: 'only two admins left' }).expect(200);
      const [ab, ba] = await Promise.all([
        as(a).post(`/api/admin/users/${b.id}/deactivate`, { reason: 'race' }),
        as(b).post(`/api/admin/users/${a.id}/deactivate`, { reason: 'race' }),
      ]);
      const statuses = [ab.status, ba.status].sort();
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const loser = ab.status === 200 ? ba : ab;
      if (loser.status === 409) expect(loser.body.reason).toBe('last_admin');
      const [{ n }] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles) AND deactivated_at IS NULL`,
      );
      expect(n).toBe(1);

      // the survivor brings the others back (the suite's own admin among them)
      const survivor = ab.status === 200 ? a : b;
      const fallen = ab.status === 200 ? b : a;
      for (const p of [...others, fallen]) {
        await as(survivor).post(`/api/admin/users/${p.id}/reactivate`, { reason: 'test over' }).expect(200);
      }
      admin = await ctx.signIn(admin);
    });
  });

  describe('forced password reset', () => {
    it('stops the old password at once, ends every session, and the mailed link sets a new one', async () => {
      const candidate = await ctx.newCandidate();
      const res = await as(admin)
        .post(`/api/admin/users/${candidate.id}/force-password-reset`, { reason: 'Password seen in a phishing report' })
        .expect(202);
      expect(res.body).toEqual({ message: expect.any(String) });

      await as(candidate).get('/api/me').expect(401);
      await ctx.http.post('/api/auth/refresh').set('Cookie', candidate.refreshCookie).expect(401);
      const refused = await login(candidate.email, candidate.password).expect(401);
      expect(refused.body).toEqual(WRONG_PASSWORD_BODY);
      expect((await as(admin).get(`/api/admin/users/${candidate.id}`).expect(200)).body.passwordResetRequired).toBe(true);
      expect((await audit('user.password_reset_forced', candidate.id))[0]).toMatchObject({
        actor_id: admin.id,
        data: { reason: 'Password seen in a phishing report' },
      });

      const { token, text } = await resetTokenFromMail(candidate.email);
      expect(text).toMatch(/certification body has reset the password/);
      const password = 'quiet harbour after seven bells';
      await ctx.http.post('/api/auth/reset-password').send({ token, password }).expect(200);
      await login(candidate.email, candidate.password).expect(401);
      const signedIn = await login(candidate.email, password).expect(200);
      expect(refreshCookieOf(signedIn)).toBeTruthy();
      expect((await as(admin).get(`/api/admin/users/${candidate.id}`).expect(200)).body.passwordResetRequired).toBe(false);
    });

    it('voids every reset link mailed before it: only the link it mails works', async () => {
      const candidate = await ctx.newCandidate();
      // A link the owner (or whoever reads their mail) asked for before the account was found compromised.
      await ctx.http.post('/api/auth/forgot-password').set('X-Forwarded-For', freshIp()).send({ email: candidate.email }).expect(202);
      const earlier = await resetTokenFromMail(candidate.email);
      expect(earlier.text).not.toMatch(/certification body has reset the password/);

      await as(admin).post(`/api/admin/users/${candidate.id}/force-password-reset`, { reason: 'Mailbox reported compromised' }).expect(202);
      expect((await audit('user.password_reset_forced', candidate.id))[0].data).toMatchObject({ resetLinksSpent: 1 });
      const forced = await resetTokenFromMail(candidate.email, 2);
      expect(forced.text).toMatch(/certification body has reset the password/);

      const refused = await ctx.http
        .post('/api/auth/reset-password')
        .send({ token: earlier.token, password: 'the intruder picks this one' })
        .expect(400);
      expect(refused.body.message).toMatch(/invalid, has expired or has been used/);
      await login(candidate.email, 'the intruder picks this one').expect(401);
      expect((await as(admin).get(`/api/admin/users/${candidate.id}`).expect(200)).body.passwordResetRequired).toBe(true);

      const password = 'lanterns along the quiet canal';
      await ctx.http.post('/api/auth/reset-password').send({ token: forced.token, password }).expect(200);
      await login(candidate.email, password).expect(200);
    });
  });

  describe('the People search', () => {
    it('finds people by name or address, filters by role and status, and pages', async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const people: TestUser[] = [];
      for (const n of [1, 2, 3]) people.push(await ctx.newUser('candidate', { fullName: `Person ${tag} ${n}` }));
      const reviewer = await ctx.newUser('reviewer', { email: `${tag}-rev@example.org` });
      await as(admin).post(`/api/admin/users/${people[0].id}/deactivate`, { reason: 'left' }).expect(200);

      const all = (await as(admin).get(`/api/admin/users?query=${tag.toUpperCase()}`).expect(200)).body;
      expect(all.total).toBe(4);
      expect(all.items[0]).toEqual({
        id: reviewer.id,
        email: reviewer.email,
        fullName: 'Test reviewer',
        roles: ['reviewer'],
        emailVerified: true,
        secondFactorEnabled: true,
        deactivatedAt: null,
        passwordResetRequired: false,
        createdAt: expect.any(String),
      });
      const page = (await as(admin).get(`/api/admin/users?query=${tag}&pageSize=2&page=2`).expect(200)).body;
      expect(page).toMatchObject({ total: 4, page: 2, pageSize: 2 });
      expect(page.items.map((p: { id: string }) => p.id)).toEqual([people[1].id, people[0].id]);
      const reviewers = (await as(admin).get(`/api/admin/users?query=${tag}&role=reviewer`).expect(200)).body;
      expect(reviewers.items.map((p: { id: string }) => p.id)).toEqual([reviewer.id]);
      const deactivated = (await as(admin).get(`/api/admin/users?query=${tag}&status=deactivated`).expect(200)).body;
      expect(deactivated.items.map((p: { id: string }) => p.id)).toEqual([people[0].id]);
      expect((await as(admin).get(`/api/admin/users?query=${tag}&status=active`).expect(200)).body.total).toBe(3);
      // LIKE wildcards are taken literally
      expect(
        (
          await as(admin)
            .get(`/api/admin/users?query=${encodeURIComponent('%')}${tag}`)
            .expect(200)
        ).body.total,
      ).toBe(0);

      await as(admin).get('/api/admin/users?role=superuser').expect(400);
      await as(admin).get('/api/admin/users?status=gone').expect(400);
      await as(admin).get('/api/admin/users?page=0').expect(400);
      await as(admin).get('/api/admin/users?pageSize=501').expect(400);
      await as(admin).get('/api/admin/users?sort=name').expect(400);
      await as(admin).get('/api/admin/users/00000000-0000-4000-8000-000000000000').expect(404);
    });
  });

  describe('role removal and deactivation end a reviewer’s or assessor’s access at once', () => {
    /** A CPAP submission with an attachment, offered to the two reviewers (everyone else is away). */
    async function reviewedSubmission(reviewers: TestUser[]) {
      await ctx.dataSource.query(
        `INSERT INTO reviewer_profiles (user_id, away) SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users
         WHERE 'reviewer' = ANY(roles) ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
      );
      for (const [i, r] of reviewers.entries()) {
        await as(r)
          .put('/api/reviews/profile', { organisation: `Rev Org ${i}-${r.id}`, expertise: CPAP_DOMAINS, maxConcurrent: 5, away: [] })
          .expect(200);
      }
      const candidate = await ctx.newUser('candidate', { email: ownDomain('cand') });
      await ctx.passAida(candidate);
      const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
      await as(candidate)
        .put('/api/portfolios/CPAP/context', {
          system: 'S',
          organisation: 'Cand Org',
          modelsUsed: 'M',
          usersAffected: 'U',
          riskLevel: 'low',
        })
        .expect(200);
      await ctx.dataSource.query(
        `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence ' || c FROM unnest($2::text[]) c`,
        [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
      );
      const attachment = (
        await as(candidate)
          .post('/api/portfolios/CPAP/evidence/D04.2/attachments')
          .attach('file', Buffer.from('incident runbook, step by step\n'), 'runbook.txt')
          .expect(201)
      ).body;
      const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id as string;
      const offers = async () => {
        const found: Array<{ reviewer: TestUser; id: string; status: string }> = [];
        for (const r of reviewers) {
          for (const a of (await as(r).get('/api/reviews/assignments').expect(200)).body)
            if (a.submissionId === submissionId) found.push({ reviewer: r, id: a.id, status: a.status });
        }
        return found.length === 2 ? found : null;
      };
      return { submissionId, attachmentId: attachment.id as string, offers: await eventually(offers, 'two offers') };
    }

    /** Reviewer selection keeps apart people of one e-mail domain: each test person gets a domain of their own. */
    let domains = 0;
    const ownDomain = (label: string) => `${label}-${Date.now().toString(36)}@${label}-${domains++}-${Date.now().toString(36)}.example`;
    const newReviewer = () => ctx.newUser('reviewer', { email: ownDomain('rev') });

    async function assignment(id: string): Promise<{ status: string; close_reason: string | null }> {
      const [row] = await ctx.dataSource.query(`SELECT status, close_reason FROM review_assignments WHERE id = $1`, [id]);
      return row;
    }

    it('a reviewer whose role is removed loses the assignment, the submission and its attachments at once; the work is re-offered', async () => {
      const reviewers = [await newReviewer(), await newReviewer(), await newReviewer()];
      const { attachmentId, offers, submissionId } = await reviewedSubmission(reviewers.slice(0, 2));
      const [mine, peer] = offers;
      await as(mine.reviewer).post(`/api/reviews/assignments/${mine.id}/accept`).expect(200);
      await as(mine.reviewer).get(`/api/reviews/assignments/${mine.id}/submission`).expect(200);
      await as(mine.reviewer).get(`/api/attachments/${attachmentId}`).expect(200);
      // the third reviewer is free now, so there is someone to re-offer the place to
      await as(reviewers[2])
        .put('/api/reviews/profile', { organisation: 'Third Org', expertise: CPAP_DOMAINS, maxConcurrent: 5, away: [] })
        .expect(200);

      await as(admin)
        .put(`/api/admin/users/${mine.reviewer.id}/roles`, { roles: ['candidate'] })
        .expect(200);

      // at once, before any job has run: every reviewer endpoint and the attachment are closed to them
      await as(mine.reviewer).get(`/api/reviews/assignments/${mine.id}/submission`).expect(403);
      await as(mine.reviewer).get('/api/reviews/assignments').expect(403);
      await as(mine.reviewer).get(`/api/reviews/assignments/${mine.id}/reviews`).expect(403);
      await as(mine.reviewer).get(`/api/attachments/${attachmentId}`).expect(404);
      await as(mine.reviewer).get('/api/panels/assignments').expect(403);
      // the other reviewer is untouched
      await as(peer.reviewer).get(`/api/reviews/assignments/${peer.id}/submission`).expect(200);

      // the open assignment is withdrawn as an administrator's withdrawal is, and the place offered again
      await eventually(async () => (await assignment(mine.id)).status === 'declined', 'the withdrawal');
      expect((await assignment(mine.id)).close_reason).toBe('withdrawn by an administrator: the reviewer role was removed');
      expect((await audit('review.withdrawn', mine.id))[0]).toMatchObject({ actor_id: admin.id });
      await eventually(async () => {
        const list = (await as(reviewers[2]).get('/api/reviews/assignments').expect(200)).body;
        return list.some((a: { submissionId: string }) => a.submissionId === submissionId);
      }, 'the re-offer to the third reviewer');
      expect((await assignment(peer.id)).status).toBe(peer.status);

      // giving the role back gives no access to the withdrawn assignment
      await as(admin)
        .put(`/api/admin/users/${mine.reviewer.id}/roles`, { roles: ['reviewer'] })
        .expect(200);
      await as(mine.reviewer).get(`/api/reviews/assignments/${mine.id}/submission`).expect(404);
      await as(mine.reviewer).get(`/api/attachments/${attachmentId}`).expect(404);
    }, 60_000);

    it('a deactivated reviewer is signed out everywhere and their open offer is withdrawn', async () => {
      const reviewers = [await newReviewer(), await newReviewer()];
      const { attachmentId, offers } = await reviewedSubmission(reviewers);
      const [mine] = offers;
      await as(mine.reviewer).post(`/api/reviews/assignments/${mine.id}/accept`).expect(200);
      await as(admin).post(`/api/admin/users/${mine.reviewer.id}/deactivate`, { reason: 'Left the panel of experts' }).expect(200);
      await as(mine.reviewer).get(`/api/reviews/assignments/${mine.id}/submission`).expect(401);
      await as(mine.reviewer).get(`/api/attachments/${attachmentId}`).expect(401);
      await eventually(async () => (await assignment(mine.id)).status === 'declined', 'the withdrawal');
      expect((await assignment(mine.id)).close_reason).toBe("withdrawn by an administrator: the reviewer's account was deactivated");
    }, 60_000);

    /** A booked CPAA panel of three from a fresh pool of `poolSize` assessors (all free all day). */
    async function bookedPanel(poolSize: number) {
      await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
      const pool: TestUser[] = [];
      for (let i = 0; i < poolSize; i++) {
        const a = await ctx.newUser('reviewer', { fullName: `Assessor ${i + 1}` });
        await as(admin).put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: true }).expect(200);
        await as(a).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
        pool.push(a);
      }
      const candidate = await ctx.newCandidate();
      await ctx.passCpaaPortfolio(candidate.id, admin);
      const slots = (await as(candidate).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days
        .flatMap((d: { slots: [] }) => d.slots)
        .filter((s: { start: string }) => Date.parse(s.start) - Date.now() > 48 * 3_600_000 + 10 * 60_000);
      const booking = (await as(candidate).post('/api/panels/me/booking', { start: slots[0].start, timeZone: 'UTC' }).expect(201)).body
        .booking;
      const members = async (): Promise<string[]> =>
        (
          await ctx.dataSource.query(`SELECT assessor_id FROM panel_members WHERE booking_id = $1 AND active ORDER BY assessor_id`, [
            booking.id,
          ])
        ).map((m: { assessor_id: string }) => m.assessor_id);
      const seated = await members();
      return { candidate, bookingId: booking.id as string, pool, members, seated: pool.filter((a) => seated.includes(a.id)) };
    }

    it('an assessor whose role is removed loses the panel at once and is replaced on it', async () => {
      const { bookingId, pool, members, seated } = await bookedPanel(4);
      const leaving = seated[0];
      const spare = pool.find((a) => !seated.includes(a))!;
      await as(leaving).get(`/api/panels/assignments/${bookingId}`).expect(200);

      await as(admin)
        .put(`/api/admin/users/${leaving.id}/roles`, { roles: ['candidate'] })
        .expect(200);
      await as(leaving).get(`/api/panels/assignments/${bookingId}`).expect(403);
      await as(leaving).get('/api/panels/assignments').expect(403);
      await as(leaving).put(`/api/panels/assignments/${bookingId}/scores`, { scores: [] }).expect(403);

      await eventually(async () => !(await members()).includes(leaving.id), 'the seat to be released');
      expect(await members()).toContain(spare.id);
      const [left] = await ctx.dataSource.query(
        `SELECT actor_id, data FROM audit_log WHERE action = 'panel.assessor_withdrew' AND subject_id = $1`,
        [bookingId],
      );
      expect(left).toMatchObject({ actor_id: admin.id, data: { assessorId: leaving.id } });
    }, 90_000);

    it('a deactivated candidate’s booking is cancelled; a deactivated assessor leaves the panel', async () => {
      const { candidate, bookingId, members, seated } = await bookedPanel(3);
      await as(admin).post(`/api/admin/users/${seated[1].id}/deactivate`, { reason: 'Retired' }).expect(200);
      await as(seated[1]).get(`/api/panels/assignments/${bookingId}`).expect(401);
      // nobody can replace them (the pool is the panel): the booking is cancelled for the candidate to rebook
      await eventually(async () => (await members()).length === 0, 'the booking to be cancelled');
      const [b] = await ctx.dataSource.query(`SELECT status FROM panel_bookings WHERE id = $1`, [bookingId]);
      expect(b.status).toBe('cancelled');
      await as(admin).post(`/api/admin/users/${seated[1].id}/reactivate`, { reason: 'Back' }).expect(200);

      const slots = (await as(candidate).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days
        .flatMap((d: { slots: [] }) => d.slots)
        .filter((s: { start: string }) => Date.parse(s.start) - Date.now() > 48 * 3_600_000 + 10 * 60_000);
      const rebooked = (await as(candidate).post('/api/panels/me/booking', { start: slots[0].start, timeZone: 'UTC' }).expect(201)).body
        .booking.id as string;
      await as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'Withdrew from the programme' }).expect(200);
      await eventually(async () => {
        const [row] = await ctx.dataSource.query(`SELECT status, close_reason FROM panel_bookings WHERE id = $1`, [rebooked]);
        return row.status === 'cancelled' ? row : null;
      }, "the deactivated candidate's booking to be cancelled");
    }, 90_000);
  });
});
