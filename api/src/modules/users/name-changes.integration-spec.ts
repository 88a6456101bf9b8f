import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { BankSyncService } from '../question-bank/bank-sync.service';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

interface CertificateView {
  id: string;
  number: string;
  holderName: string;
  issuedAt: string;
  expiresAt: string;
  status: string;
  supersededBy: string | null;
}

/** Name changes through the HTTP API and the real worker: request, decision, and certificates re-issued under the new name. */
describe('name changes: request, approve or refuse, re-issue of active certificates', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  let otherAdmin: TestUser;

  beforeAll(async () => {
    own = await OwnDatabase.use('namechanges');
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
    admin = await ctx.newAdmin();
    otherAdmin = await ctx.newAdmin();
  }, 60_000);
  afterAll(async () => {
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  /** Pass AIDA for real (answer every key, submit) and wait for the worker to issue the certificate. */
  async function holderWithCertificate(fullName: string): Promise<{ user: TestUser; certificate: CertificateView }> {
    const user = await ctx.newUser('candidate', { fullName });
    const attempt = (await ctx.as(user).post('/api/exams/aida/attempts').expect(201)).body;
    for (const q of attempt.questions) {
      const [row] = await ctx.dataSource.query(
        `SELECT q.options, v.content->'options' AS vo
         FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
        [q.id],
      );
      const key = row.vo.find((o: { key: boolean }) => o.key).id;
      const optionId = row.options.find((o: { source: string }) => o.source === key).id;
      await ctx.as(user).put(`/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { optionId }).expect(200);
    }
    expect((await ctx.as(user).post(`/api/exams/aida/attempts/${attempt.id}/submit`).expect(200)).body.result.passed).toBe(true);
    const certificate = await eventually(async () => {
      const list: CertificateView[] = (await ctx.as(user).get('/api/certificates').expect(200)).body;
      return list.length === 1 ? list[0] : null;
    }, 'the AIDA certificate');
    await eventually(
      async () => (await ctx.http.get(`/api/public/certificates/${certificate.number}/credential`)).status === 200,
      'its credential',
    );
    return { user, certificate };
  }

  async function revocationBit(number: string): Promise<boolean> {
    const jwt = (await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
    const status = decodeJwt(jwt).credentialStatus as { statusListCredential: string; statusListIndex: string };
    const list = await ctx.http.get(new URL(status.statusListCredential).pathname).expect(200);
    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body;
    const { payload } = await jwtVerify(list.text, createLocalJWKSet(jwks));
    const bits = gunzipSync(Buffer.from((payload.credentialSubject as { encodedList: string }).encodedList.replace(/^u/, ''), 'base64url'));
    const index = Number(status.statusListIndex);
    return (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
  }

  const requestChange = (user: TestUser, name: string, reason = 'Married in June') =>
    ctx.as(user).post('/api/me/name-change', { name, reason });

  it('approved: the name changes; the active certificate is re-issued under it, same dates; the old one reads superseded', async () => {
    const { user, certificate: old } = await holderWithCertificate('Ada Byron');
    expect((await ctx.as(user).get('/api/me/name-change').expect(200)).body).toEqual({ currentName: 'Ada Byron', latest: null });

    const created = await requestChange(user, '  Ada   King ').expect(201);
    expect(created.body).toMatchObject({ currentName: 'Ada Byron', requestedName: 'Ada King', status: 'pending', decisionNote: null });
    expect((await ctx.as(user).get('/api/me/name-change').expect(200)).body.latest.status).toBe('pending');

    const queue = (await ctx.as(admin).get('/api/admin/name-changes?status=pending').expect(200)).body;
    expect(queue).toContainEqual(
      expect.objectContaining({ id: created.body.id, userId: user.id, email: user.email, requestedName: 'Ada King' }),
    );

    const approved = await ctx
      .as(admin)
      .post(`/api/admin/name-changes/${created.body.id}/approve`, { note: 'Certificate seen' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: admin.id, decisionNote: 'Certificate seen' });
    expect((await ctx.as(user).get('/api/me').expect(200)).body.fullName).toBe('Ada King');

    const list = await eventually(async () => {
      const all: CertificateView[] = (await ctx.as(user).get('/api/certificates').expect(200)).body;
      return all.length === 2 && all.every((c) => c.status !== 'active' || c.holderName === 'Ada King') ? all : null;
    }, 'the re-issued certificate');
    const successor = list.find((c) => c.id !== old.id)!;
    expect(successor).toMatchObject({
      holderName: 'Ada King',
      status: 'active',
      supersededBy: null,
      issuedAt: old.issuedAt,
      expiresAt: old.expiresAt,
    });
    expect(successor.number).not.toBe(old.number);

    // The public answer of the old number: revoked (the contract's status) and superseded by the new number, not for cause.
    const oldPublic = (await ctx.http.get(`/api/public/certificates/${old.number}`).expect(200)).body;
    expect(oldPublic).toMatchObject({ status: 'revoked', supersededBy: successor.number, holderName: 'Ada Byron' });
    const newPublic = (await ctx.http.get(`/api/public/certificates/${successor.number}`).expect(200)).body;
    expect(newPublic).toMatchObject({ status: 'active', holderName: 'Ada King' });
    expect(newPublic).not.toHaveProperty('supersededBy');

    // A verifier holding the old badge sees it revoked in the status list; the new badge is not.
    expect(await revocationBit(old.number)).toBe(true);
    expect(await revocationBit(successor.number)).toBe(false);
    const newVc = decodeJwt(
      await eventually(async () => {
        const res = await ctx.http.get(`/api/public/certificates/${successor.number}/credential`);
        return res.status === 200 ? res.text : null;
      }, 'the new credential'),
    );
    expect(newVc.exp).toBe(decodeJwt((await ctx.http.get(`/api/public/certificates/${old.number}/credential`)).text).exp);

    // The holder is told the outcome and mailed the new certificate; each step is audited.
    await eventually(
      async () =>
        (
          await ctx.dataSource.query(`SELECT template FROM notifications WHERE recipient = $1 AND sent_at IS NOT NULL`, [user.email])
        ).filter((m: { template: string }) => ['name-change-approved', 'certificate-issued'].includes(m.template)).length === 3,
      'the outcome mail and the re-issued certificate mail',
    );
    const audit = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = ANY($1) ORDER BY id`, [
      [created.body.id, old.id, successor.id],
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['user.name_change_requested', 'user.name_change_approved', 'certificate.superseded', 'certificate.issued']),
    );
  }, 120_000);

  it('leaves suspended certificates as they are', async () => {
    const { user, certificate } = await holderWithCertificate('Mary Jones');
    await ctx.as(admin).post(`/api/admin/certificates/${certificate.number}/suspend`, { reason: 'Inquiry' }).expect(200);
    const created = await requestChange(user, 'Mary Smith').expect(201);
    await ctx.as(admin).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(200);
    await eventually(
      async () =>
        (await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`name-change-outcome:${created.body.id}`]))
          .length,
      'the outcome mail',
    );
    await new Promise((r) => setTimeout(r, 500)); // the re-issue job runs beside the mail; give it time to do (nothing)
    const list: CertificateView[] = (await ctx.as(user).get('/api/certificates').expect(200)).body;
    expect(list).toEqual([
      expect.objectContaining({ id: certificate.id, holderName: 'Mary Jones', status: 'suspended', supersededBy: null }),
    ]);
  }, 120_000);

  it('refused: a note is required, nothing changes, and the candidate is told why', async () => {
    const user = await ctx.newUser('candidate', { fullName: 'Grace Hopper' });
    const created = await requestChange(user, 'Amazing Grace').expect(201);
    const noNote = await ctx.as(admin).post(`/api/admin/name-changes/${created.body.id}/refuse`, {}).expect(400);
    expect(noNote.body.message).toMatch(/note is required/);
    const refused = await ctx
      .as(admin)
      .post(`/api/admin/name-changes/${created.body.id}/refuse`, { note: 'No evidence given' })
      .expect(200);
    expect(refused.body).toMatchObject({ status: 'refused', decisionNote: 'No evidence given' });
    expect((await ctx.as(user).get('/api/me').expect(200)).body.fullName).toBe('Grace Hopper');
    expect((await ctx.as(user).get('/api/me/name-change').expect(200)).body.latest).toMatchObject({
      status: 'refused',
      decisionNote: 'No evidence given',
    });
    await ctx.as(otherAdmin).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(409);
    const mail = await eventually(
      async () =>
        (
          await ctx.dataSource.query(`SELECT subject FROM notifications WHERE recipient = $1 AND template = 'name-change-refused'`, [
            user.email,
          ])
        )[0],
      'the refusal mail',
    );
    expect(mail.subject).toMatch(/not approved/);
    // Refused, a new request may be made.
    await requestChange(user, 'Grace B. Hopper').expect(201);
  });

  it('one pending request per person (409); the same or an empty name is refused (400); a pending one can be cancelled', async () => {
    const user = await ctx.newUser('candidate', { fullName: 'Alan Turing' });
    await requestChange(user, 'Alan Turing').expect(400);
    await requestChange(user, '   ').expect(400);
    await requestChange(user, 'A'.repeat(201)).expect(400);
    await ctx.as(user).post('/api/me/name-change', { name: 'Alan M. Turing' }).expect(400); // a reason is required
    await ctx.as(user).post('/api/me/name-change', { name: 'Alan M. Turing', reason: 'x', extra: 1 }).expect(400);
    await requestChange(user, 'Alan M. Turing').expect(201);
    const second = await requestChange(user, 'A. M. Turing').expect(409);
    expect(second.body).toMatchObject({ statusCode: 409, reason: 'name_change_pending' });
    await ctx.as(user).delete('/api/me/name-change').expect(204);
    await ctx.as(user).delete('/api/me/name-change').expect(404);
    expect((await ctx.as(user).get('/api/me/name-change').expect(200)).body.latest.status).toBe('cancelled');
    await requestChange(user, 'A. M. Turing').expect(201);
  });

  it('an admin cannot decide their own request (403), candidates cannot decide at all, a decision needs a step-up', async () => {
    const created = await requestChange(admin, 'Admin Renamed').expect(201);
    const own = await ctx.as(admin).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(403);
    expect(own.body).toMatchObject({ statusCode: 403, reason: 'not_independent' });
    await ctx.as(admin).post(`/api/admin/name-changes/${created.body.id}/refuse`, { note: 'mine' }).expect(403);
    const candidate = await ctx.newCandidate();
    await ctx.as(candidate).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(403);
    await ctx.as(candidate).get('/api/admin/name-changes').expect(403);
    // A decision needs a recent second factor (step-up): with the window lapsed, 403 step_up_required.
    const sessions = ctx.app.get<AppConfig>(APP_CONFIG).sessions;
    const window = sessions.stepUpWindowSeconds;
    sessions.stepUpWindowSeconds = 0;
    try {
      const lapsed = await ctx.as(otherAdmin).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(403);
      expect(lapsed.body.reason).toBe('step_up_required');
    } finally {
      sessions.stepUpWindowSeconds = window;
    }
    await ctx.as(otherAdmin).post(`/api/admin/name-changes/${created.body.id}/approve`, {}).expect(200);
  });
});
