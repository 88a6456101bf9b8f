import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type request from 'supertest';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { zipEntries } from '../../../test/zip-entries';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { AuditService } from '../audit/audit.service';
import { BankSyncService } from '../question-bank/bank-sync.service';
import { RetentionService } from './retention.service';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');
const PDF = (marker: string) => Buffer.from(`%PDF-1.7\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n`);

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** Export, erasure and retention through the HTTP API, the real worker, PostgreSQL, Redis and file storage. */
describe('data rights: export, account deletion, retention', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let config: AppConfig;
  const as = (u: TestUser) => ctx.as(u);
  const filesDir = () => path.join(config.dataDir, 'files');

  beforeAll(async () => {
    own = await OwnDatabase.use('datarights');
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 60_000);
  afterAll(async () => {
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  /** Pass AIDA for real (answer every key, submit): the worker then issues the certificate. */
  async function passAida(user: TestUser): Promise<string> {
    await ctx.passAida(user);
    return eventually(async () => (await as(user).get('/api/certificates').expect(200)).body[0]?.number as string, 'the certificate');
  }

  async function attach(user: TestUser, criterion: string, marker: string): Promise<string> {
    const res = await as(user)
      .post(`/api/portfolios/CPAP/evidence/${criterion}/attachments`)
      .attach('file', PDF(marker), `${marker}.pdf`)
      .expect(201);
    return res.body.id as string;
  }

  /** A candidate with an AIDA certificate, a CPAP draft (context, narrative, one attachment) and therefore mail. */
  async function candidateWithData(label: string): Promise<TestUser & { number: string; attachmentId: string }> {
    const user = await ctx.newUser('candidate', { fullName: `${label} Person`, email: ctx.uniqueEmail(label.toLowerCase()) });
    const number = await passAida(user);
    await as(user).get('/api/portfolios/CPAP').expect(200);
    await as(user)
      .put('/api/portfolios/CPAP/context', { system: `${label} triage assistant` })
      .expect(200);
    await as(user)
      .put('/api/portfolios/CPAP/evidence/D04.2', { narrative: `${label} validates every output.` })
      .expect(200);
    const attachmentId = await attach(user, 'D04.2', `${label}-runbook`);
    await as(user)
      .put('/api/me/self-assessment', { ratings: { 'D04.2': 2, 'D08.5': 0 } })
      .expect(200);
    return Object.assign(user, { number, attachmentId });
  }

  /** The token of the export link mailed to the address (the newest one). */
  async function exportLink(email: string, exportId: string): Promise<string> {
    const file = await eventually(async () => {
      const [row] = await ctx.dataSource.query(
        `SELECT stored_file FROM notifications WHERE recipient = $1 AND template = 'data-export-ready' AND sent_at IS NOT NULL
         ORDER BY created_at DESC LIMIT 1`,
        [email],
      );
      return row?.stored_file as string | undefined;
    }, `the export mail to ${email}`);
    const text = await readFile(path.join(config.mailDir, file), 'utf8');
    const match = text.match(new RegExp(`/account/data-export/${exportId}\\?token=([A-Za-z0-9_-]{43})`));
    if (!match) throw new Error(`no export link in: ${text}`);
    return match[1];
  }

  async function requestExport(user: TestUser): Promise<{ id: string; token: string }> {
    const queued = await as(user).post('/api/me/data-export').expect(202);
    expect(queued.body).toMatchObject({ status: 'queued', completedAt: null, expiresAt: null });
    return { id: queued.body.id, token: await exportLink(user.email, queued.body.id) };
  }

  let ada: Awaited<ReturnType<typeof candidateWithData>>;
  let bob: Awaited<ReturnType<typeof candidateWithData>>;
  let adaExport: { id: string; token: string };

  beforeAll(async () => {
    ada = await candidateWithData('Adaexport');
    bob = await candidateWithData('Bobother');
    adaExport = await requestExport(ada);
  }, 120_000);

  it("exports the person's own data — account, attempts, portfolio, self-assessment, certificates with PDF and credential, mail, audit — and nobody else's", async () => {
    const status = await as(ada).get(`/api/me/data-export/${adaExport.id}`).expect(200);
    expect(status.body).toMatchObject({ id: adaExport.id, status: 'ready' });
    expect(new Date(status.body.expiresAt).getTime() - Date.now()).toBeGreaterThan((config.dataExportTtlHours - 1) * 3_600_000);

    const res = await binary(as(ada).get(`/api/me/data-export/${adaExport.id}/download?token=${adaExport.token}`)).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['cache-control']).toContain('no-store');
    const files = zipEntries(res.body as Buffer);
    const data = JSON.parse(files.get('data.json')!.toString('utf8'));

    expect(data.account).toMatchObject({ id: ada.id, email: ada.email, fullName: 'Adaexport Person' });
    expect(data.exams.attempts).toHaveLength(1);
    expect(data.exams.attempts[0].answers).toHaveLength(data.exams.attempts[0].questions.length); // every question answered
    expect(data.exams.attempts[0].result.passed).toBe(true);
    expect(data.portfolios.portfolios[0].context).toEqual({ system: 'Adaexport triage assistant' });
    expect(data.portfolios.portfolios[0].evidence).toEqual([
      expect.objectContaining({ criterion: 'D04.2', narrative: 'Adaexport validates every output.' }),
    ]);
    expect(data.certificates).toEqual([expect.objectContaining({ number: ada.number, holderName: 'Adaexport Person' })]);
    expect(data.selfAssessment).toEqual({ ratings: { 'D04.2': 2, 'D08.5': 0 }, updatedAt: expect.any(String) });
    expect(files.get(`certificates/${ada.number}.pdf`)!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(files.get(`certificates/${ada.number}.credential.jwt`)!.toString()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const attachment = [...files.keys()].find((f) => f.startsWith('attachments/CPAP/D04.2/'));
    expect(files.get(attachment!)!.toString()).toContain('Adaexport-runbook');
    expect(data.mail.length).toBeGreaterThan(0);
    expect(data.mail.every((m: { file: string | null }) => m.file === null || files.has(m.file))).toBe(true);
    expect(data.audit.some((e: { action: string }) => e.action === 'data.export_requested')).toBe(true);

    // Nothing of the other candidate, and no answer key: every byte of the archive is searched.
    const everything = [...files.values()].map((b) => b.toString('latin1')).join('\n');
    for (const other of [bob.email, 'Bobother', bob.id, bob.number, bob.attachmentId]) expect(everything).not.toContain(other);
    expect(everything).not.toMatch(/"(key|rationale|keyOptionId)"\s*:/);
  });

  it('serves the file only to the signed-in owner holding the e-mailed token; one export at a time', async () => {
    const url = `/api/me/data-export/${adaExport.id}/download`;
    await ctx.http.get(`${url}?token=${adaExport.token}`).expect(401);
    await as(bob).get(`${url}?token=${adaExport.token}`).expect(404);
    await as(ada)
      .get(`${url}?token=${'x'.repeat(43)}`)
      .expect(404);
    await as(ada).get(url).expect(400);
    await as(bob).get(`/api/me/data-export/${adaExport.id}`).expect(404);
    // Asked again at once: refused while it is built (409) or within the hour (429).
    const again = await as(ada).post('/api/me/data-export');
    expect([409, 429]).toContain(again.status);
    const audit = await ctx.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'data.export_downloaded' AND subject_id = $1`, [
      ada.id,
    ]);
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses an expired link (410) and the retention job deletes the expired archive', async () => {
    const [{ storage_key: key }] = await ctx.dataSource.query(`SELECT storage_key FROM data_exports WHERE id = $1`, [adaExport.id]);
    expect(existsSync(path.join(filesDir(), key))).toBe(true);
    // The clock cannot be moved for the server, so the export's expiry is moved instead.
    await ctx.dataSource.query(`UPDATE data_exports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [adaExport.id]);
    const gone = await as(ada).get(`/api/me/data-export/${adaExport.id}/download?token=${adaExport.token}`).expect(410);
    expect(gone.body.reason).toBe('export_expired');
    await worker.get(RetentionService).apply();
    expect(existsSync(path.join(filesDir(), key))).toBe(false);
    expect((await as(ada).get(`/api/me/data-export/${adaExport.id}`).expect(200)).body.status).toBe('expired');
  });

  it('retention deletes files of attachments removed long ago (not those a submitted version lists) and old stored mail', async () => {
    const removedId = await attach(ada, 'D05.1', 'Adaexport-removed');
    await as(ada).delete(`/api/attachments/${removedId}`).expect(204);
    // Removed from the draft after a submitted version listed it: its reviewers and decision still need the file.
    const listedId = await attach(ada, 'D05.2', 'Adaexport-listed');
    const [portfolio] = await ctx.dataSource.query(`SELECT id FROM portfolios WHERE user_id = $1 AND credential = 'CPAP'`, [ada.id]);
    const [submission] = await ctx.dataSource.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status) VALUES ($1, $2, 'CPAP', 1, $3, 'decided_revise') RETURNING id`,
      [portfolio.id, ada.id, JSON.stringify({ evidence: [{ criterion: 'D05.2', narrative: '', attachments: [{ id: listedId }] }] })],
    );
    // Asked to revise: the draft is open again, and the candidate drops a file version 1 listed.
    await ctx.dataSource.query(
      `INSERT INTO portfolio_decisions (submission_id, outcome, route, reason, resubmit_until) VALUES ($1, 'revise', 'consensus', 'test', now() + interval '90 days')`,
      [submission.id],
    );
    await as(ada).delete(`/api/attachments/${listedId}`).expect(204);
    const [{ storage_key: listedKey }] = await ctx.dataSource.query(`SELECT storage_key FROM portfolio_attachments WHERE id = $1`, [
      listedId,
    ]);
    const [{ storage_key: key }] = await ctx.dataSource.query(`SELECT storage_key FROM portfolio_attachments WHERE id = $1`, [removedId]);
    const [oldMail] = await ctx.dataSource.query(
      `SELECT id, stored_file FROM notifications WHERE recipient = $1 AND stored_file IS NOT NULL ORDER BY created_at LIMIT 1`,
      [ada.email],
    );
    await ctx.app.get(RetentionService).apply();
    expect(existsSync(path.join(filesDir(), key))).toBe(true); // removed today: kept for RETENTION_REMOVED_ATTACHMENT_DAYS

    await ctx.dataSource.query(`UPDATE portfolio_attachments SET removed_at = now() - make_interval(days => $2 + 1) WHERE id = ANY($1)`, [
      [removedId, listedId],
      config.retention.removedAttachmentDays,
    ]);
    await ctx.dataSource.query(`UPDATE notifications SET created_at = now() - make_interval(days => $2 + 1) WHERE id = $1`, [
      oldMail.id,
      config.retention.mailDays,
    ]);
    const report = await ctx.app.get(RetentionService).apply();
    expect(report.removedAttachmentFiles).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(filesDir(), key))).toBe(false);
    expect(existsSync(path.join(filesDir(), listedKey))).toBe(true);
    const [row] = await ctx.dataSource.query(`SELECT removed_at, file_erased_at FROM portfolio_attachments WHERE id = $1`, [removedId]);
    expect(row.file_erased_at).not.toBeNull();
    expect(await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE id = $1`, [oldMail.id])).toHaveLength(0);
    expect(existsSync(path.join(config.mailDir, oldMail.stored_file))).toBe(false);
    // The kept attachment (not removed) is untouched.
    const [kept] = await ctx.dataSource.query(`SELECT storage_key FROM portfolio_attachments WHERE id = $1`, [ada.attachmentId]);
    expect(existsSync(path.join(filesDir(), kept.storage_key))).toBe(true);
  });

  it('retention deletes sessions that ended long ago, with their address and user agent, and keeps live ones', async () => {
    const user = await ctx.newCandidate();
    const firstCookie = user.refreshCookie;
    await ctx.signIn(user); // a second, live session
    await ctx.http.post('/api/auth/logout').set('Cookie', firstCookie).expect(204);
    const sessions = () =>
      ctx.dataSource.query(`SELECT id, ended_at FROM sessions WHERE user_id = $1 ORDER BY created_at`, [user.id]) as Promise<
        Array<{ id: string; ended_at: Date | null }>
      >;
    const [ended, live] = await sessions();
    expect(ended.ended_at).not.toBeNull();
    expect(live.ended_at).toBeNull();

    await ctx.app.get(RetentionService).apply();
    expect(await sessions()).toHaveLength(2); // ended today: kept for RETENTION_ENDED_SESSION_DAYS

    await ctx.dataSource.query(`UPDATE sessions SET ended_at = now() - make_interval(days => $2 + 1) WHERE id = $1`, [
      ended.id,
      config.retention.endedSessionDays,
    ]);
    const report = await ctx.app.get(RetentionService).apply();
    expect(report.endedSessions).toBeGreaterThanOrEqual(1);
    expect(await sessions()).toEqual([{ id: live.id, ended_at: null }]);
    await ctx.as(user).get('/api/me').expect(200);
  });

  describe('deleting an account', () => {
    let cleo: Awaited<ReturnType<typeof candidateWithData>>;
    let attachmentKey: string;

    beforeAll(async () => {
      cleo = await candidateWithData('Cleodelete');
      await requestExport(cleo);
      [{ storage_key: attachmentKey }] = await ctx.dataSource.query(`SELECT storage_key FROM portfolio_attachments WHERE id = $1`, [
        cleo.attachmentId,
      ]);
      // An audit entry with personal data kept beside the chain (as a name change or an appeal would record it).
      await ctx.app.get(AuditService).append(ctx.dataSource.manager, {
        actorId: cleo.id,
        action: 'test.personal_note',
        subjectType: 'user',
        subjectId: cleo.id,
        personal: { userId: cleo.id, data: { fullName: 'Cleodelete Person', email: cleo.email } },
      });
    }, 120_000);

    it('needs the password and the word DELETE', async () => {
      await as(cleo).post('/api/me/deletion', { password: cleo.password, confirm: 'delete' }).expect(400);
      await as(cleo).post('/api/me/deletion', { password: cleo.password }).expect(400);
      await as(cleo).post('/api/me/deletion', { password: cleo.password, confirm: 'DELETE', extra: 1 }).expect(400);
      const wrong = await as(cleo).post('/api/me/deletion', { password: 'not the password', confirm: 'DELETE' }).expect(401);
      expect(wrong.body.reason).toBe('wrong_password');
      await as(cleo).get('/api/me').expect(200);
    });

    it('pseudonymises the account, ends its sessions, erases mail and files, keeps the certificate verifiable and the audit chain valid', async () => {
      const admin = await ctx.newAdmin();
      const res = await as(cleo).post('/api/me/deletion', { password: cleo.password, confirm: 'DELETE' }).expect(202);
      expect(res.body.message).toMatch(/deleted/);

      // Signed out everywhere, and the account cannot sign in again.
      await as(cleo).get('/api/me').expect(401);
      await ctx.http.post('/api/auth/login').send({ email: cleo.email, password: cleo.password }).expect(401);

      const [user] = await ctx.dataSource.query(`SELECT email, full_name, totp_secret, deleted_at, roles FROM users WHERE id = $1`, [
        cleo.id,
      ]);
      expect(user).toMatchObject({
        email: `deleted-${cleo.id}@invalid`,
        full_name: 'Deleted account',
        totp_secret: null,
        roles: ['candidate'],
      });
      expect(user.deleted_at).not.toBeNull();
      expect(await ctx.dataSource.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [cleo.id])).toHaveLength(0);
      expect(
        await ctx.dataSource.query(`SELECT 1 FROM portfolio_evidence e JOIN portfolios p ON p.id = e.portfolio_id WHERE p.user_id = $1`, [
          cleo.id,
        ]),
      ).toHaveLength(0);
      expect(
        await ctx.dataSource.query(`SELECT 1 FROM attempt_answers a JOIN attempts t ON t.id = a.attempt_id WHERE t.user_id = $1`, [
          cleo.id,
        ]),
      ).toHaveLength(0);
      expect(await ctx.dataSource.query(`SELECT 1 FROM self_assessments WHERE user_id = $1`, [cleo.id])).toHaveLength(0);

      // The files go right after, by the worker: attachments, stored mail, the export archive.
      await eventually(
        async () =>
          (await ctx.dataSource.query(`SELECT files_erased_at FROM account_deletions WHERE user_id = $1`, [cleo.id]))[0]?.files_erased_at,
        'the account files to be erased',
      );
      expect(existsSync(path.join(filesDir(), attachmentKey))).toBe(false);
      expect(
        await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE recipient IN ($1, $2)`, [cleo.email, `deleted-${cleo.id}@invalid`]),
      ).toHaveLength(0);
      const exports = await ctx.dataSource.query(`SELECT status, storage_key FROM data_exports WHERE user_id = $1`, [cleo.id]);
      expect(
        exports.every(
          (e: { status: string; storage_key: string }) => e.status === 'expired' && !existsSync(path.join(filesDir(), e.storage_key)),
        ),
      ).toBe(true);

      // Kept: the issued certificate, publicly verifiable under the name it was issued to.
      const verified = await ctx.http.get(`/api/public/certificates/${cleo.number}`).expect(200);
      expect(verified.body).toMatchObject({ holderName: 'Cleodelete Person', status: 'active' });
      await ctx.http.get(`/api/public/certificates/${cleo.number}/credential`).expect(200);

      // Kept: the audit log, whose chain still verifies; the personal data beside it is gone.
      expect(await ctx.dataSource.query(`SELECT 1 FROM audit_personal_data WHERE user_id = $1`, [cleo.id])).toHaveLength(0);
      const [note] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'test.personal_note' AND subject_id = $1`, [
        cleo.id,
      ]);
      expect(note.data.personalData).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(note.data)).not.toContain('Cleodelete');
      const chain = await as(admin).get('/api/admin/audit/verify').expect(200);
      expect(chain.body).toMatchObject({ valid: true, firstBrokenId: null });
      const [deleted] = await ctx.dataSource.query(`SELECT actor_id FROM audit_log WHERE action = 'user.deleted' AND subject_id = $1`, [
        cleo.id,
      ]);
      expect(deleted.actor_id).toBe(cleo.id);

      // The address is free again: someone can register with it.
      await ctx.http
        .post('/api/auth/register')
        .set('X-Forwarded-For', '10.99.0.1')
        .send({ email: cleo.email, password: 'a brand new long password', fullName: 'New Cleo' })
        .expect(202);
    });

    it('refuses while a portfolio is being reviewed (409 open_work)', async () => {
      const dana = await ctx.newUser('candidate', { fullName: 'Dana Reviewed' });
      // A submitted version that reviewers are working on (made directly: the review workflow is not under test here).
      const [portfolio] = await ctx.dataSource.query(`INSERT INTO portfolios (user_id, credential) VALUES ($1, 'CPAP') RETURNING id`, [
        dana.id,
      ]);
      await ctx.dataSource.query(
        `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status)
         VALUES ($1, $2, 'CPAP', 1, '{"evidence":[]}', 'submitted')`,
        [portfolio.id, dana.id],
      );
      const res = await as(dana).post('/api/me/deletion', { password: dana.password, confirm: 'DELETE' }).expect(409);
      expect(res.body).toMatchObject({ reason: 'open_work', submissionsUnderReview: 1 });
      await as(dana).get('/api/me').expect(200);
    });

    /** A fresh pool of assessors (the first one a chair), free all week; everyone else's profiles are switched off. */
    async function panelPool(admin: TestUser, labels: string[]): Promise<TestUser[]> {
      await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
      const pool: TestUser[] = [];
      for (const [i, label] of labels.entries()) {
        const a = await ctx.newUser('reviewer', { fullName: `${label} Assessor` });
        await as(admin)
          .put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: i === 0 })
          .expect(200);
        const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
        await as(a).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly, overrides: [] }).expect(200);
        pool.push(a);
      }
      return pool;
    }

    /** A candidate whose CPAA portfolio passed, booked on the first panel that is still bookable. */
    async function bookPanel(admin: TestUser, label: string): Promise<{ candidate: TestUser; bookingId: string }> {
      const candidate = await ctx.newUser('candidate', { fullName: `${label} Candidate` });
      await ctx.passCpaaPortfolio(candidate.id, admin);
      const slots = (await as(candidate).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days.flatMap(
        (d: { slots: Array<{ start: string }> }) => d.slots,
      );
      const slot = slots.find((s: { start: string }) => Date.parse(s.start) - Date.now() > 48 * 3_600_000 + 10 * 60_000);
      const res = await as(candidate).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201);
      return { candidate, bookingId: res.body.booking.id };
    }

    /** Two booked interviews moved to have started (score sheets open only then), at times that do not overlap. */
    async function haveStarted(earlier: string, later: string): Promise<void> {
      await ctx.dataSource.query(
        `UPDATE panel_bookings SET starts_at = now() - interval '4 hours', ends_at = now() - interval '150 minutes' WHERE id = $1`,
        [earlier],
      );
      await ctx.dataSource.query(
        `UPDATE panel_bookings SET starts_at = now() - interval '60 minutes', ends_at = now() + interval '30 minutes' WHERE id = $1`,
        [later],
      );
    }

    it('erases the CPAA panel sheets in progress the person wrote as an assessor and those about them as a candidate; submitted scores stay', async () => {
      const admin = await ctx.newAdmin();
      // A pool of exactly three, so both candidates' panels seat the same assessors.
      const [chair, leaving, third] = await panelPool(admin, ['Chair', 'Leaving', 'Third']);
      const book = (label: string) => bookPanel(admin, label);
      const petra = await book('Petra');
      const otto = await book('Otto');
      // Both interviews have started (sheets are saved only then), at times that do not overlap.
      await haveStarted(petra.bookingId, otto.bookingId);
      const draftUrl = (bookingId: string) => `/api/panels/assignments/${bookingId}/draft`;
      const notes = (text: string) => ({ domains: [{ domain: 'D01', score: 1, notes: text }] });
      for (const { bookingId, candidate } of [petra, otto]) {
        for (const a of [chair, leaving, third]) {
          await as(a)
            .put(draftUrl(bookingId), notes(`${a.fullName} on ${candidate.fullName}`))
            .expect(200);
        }
      }
      // The third assessor submits on Petra's panel: a decision record, which stays.
      const sheet = {
        domains: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'].map((domain) => ({ domain, score: 2, notes: '' })),
      };
      await as(third).put(`/api/panels/assignments/${petra.bookingId}/scores`, sheet).expect(200);
      const drafts = async (bookingId: string): Promise<string[]> =>
        (
          await ctx.dataSource.query(`SELECT assessor_id FROM panel_score_drafts WHERE booking_id = $1 ORDER BY assessor_id`, [bookingId])
        ).map((r: { assessor_id: string }) => r.assessor_id);
      expect(await drafts(petra.bookingId)).toEqual([chair.id, leaving.id].sort());
      expect(await drafts(otto.bookingId)).toEqual([chair.id, leaving.id, third.id].sort());

      // The assessor's export holds their own sheets in progress.
      const leavingExport = await requestExport(leaving);
      const zipped = await binary(as(leaving).get(`/api/me/data-export/${leavingExport.id}/download?token=${leavingExport.token}`)).expect(
        200,
      );
      const exported = JSON.parse(
        zipEntries(zipped.body as Buffer)
          .get('data.json')!
          .toString('utf8'),
      );
      expect(exported.panelScoreDrafts).toEqual([
        expect.objectContaining({ bookingId: petra.bookingId, content: notes('Leaving Assessor on Petra Candidate') }),
        expect.objectContaining({ bookingId: otto.bookingId, content: notes('Leaving Assessor on Otto Candidate') }),
      ]);

      // An assessor leaves mid-panel: the sheets they can never submit go with the account; colleagues keep theirs.
      await ctx.signIn(leaving); // a fresh second factor (step-up)
      await as(leaving).post('/api/me/deletion', { password: leaving.password, confirm: 'DELETE' }).expect(202);
      expect(await drafts(petra.bookingId)).toEqual([chair.id]);
      expect(await drafts(otto.bookingId)).toEqual([chair.id, third.id].sort());

      // A candidate leaves mid-panel: nobody's notes about them are kept; another candidate's panel is untouched.
      await as(petra.candidate).post('/api/me/deletion', { password: petra.candidate.password, confirm: 'DELETE' }).expect(202);
      expect(await drafts(petra.bookingId)).toEqual([]);
      expect(await drafts(otto.bookingId)).toEqual([chair.id, third.id].sort());
      await as(chair).get(draftUrl(petra.bookingId)).expect(404);
      const scores = await ctx.dataSource.query(`SELECT assessor_id FROM panel_scores WHERE booking_id = $1`, [petra.bookingId]);
      expect(scores).toEqual([{ assessor_id: third.id }]);

      const erased = await ctx.dataSource.query(
        `SELECT subject_id, data->>'panelDraftsErased' AS n FROM audit_log WHERE action = 'user.deleted' AND subject_id IN ($1, $2)`,
        [leaving.id, petra.candidate.id],
      );
      expect(Object.fromEntries(erased.map((r: { subject_id: string; n: string }) => [r.subject_id, Number(r.n)]))).toEqual({
        [leaving.id]: 2,
        [petra.candidate.id]: 1,
      });
    }, 120_000);

    it("exports an assessor's seats and submitted sheets, and a candidate's decided panel sheets without the assessors", async () => {
      const admin = await ctx.newAdmin();
      const pool = await panelPool(admin, ['Rosa Chair', 'Rosa Second', 'Rosa Third']);
      const [chair, second] = pool;
      const rosa = await bookPanel(admin, 'Rosa');
      const sven = await bookPanel(admin, 'Sven');
      const dataOf = async (user: TestUser) => {
        const requested = await requestExport(user);
        const zipped = await binary(as(user).get(`/api/me/data-export/${requested.id}/download?token=${requested.token}`)).expect(200);
        return JSON.parse(
          zipEntries(zipped.body as Buffer)
            .get('data.json')!
            .toString('utf8'),
        );
      };
      // Both interviews have started (scoring opens then), at times that do not overlap.
      await haveStarted(rosa.bookingId, sven.bookingId);
      const sheet = (a: TestUser, about: TestUser) => ({
        domains: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'].map((domain) => ({
          domain,
          score: 2,
          notes: `${a.fullName} on ${about.fullName}, ${domain}`,
        })),
      });
      for (const { bookingId, candidate } of [rosa, sven])
        for (const a of pool) await as(a).put(`/api/panels/assignments/${bookingId}/scores`, sheet(a, candidate)).expect(200);
      // Only Rosa's panel is decided.
      await as(chair).post(`/api/panels/assignments/${rosa.bookingId}/decision`, { note: 'Met every domain' }).expect(200);

      const hers = await dataOf(rosa.candidate);
      expect(hers.panel.decision).toMatchObject({ outcome: 'pass' });
      expect(hers.panelScoresReceived).toHaveLength(3);
      const notes = hers.panelScoresReceived.flatMap((s: { domainScores: Array<{ notes: string }> }) => s.domainScores.map((d) => d.notes));
      expect(notes).toHaveLength(24);
      expect(notes).toEqual(
        expect.arrayContaining(['Rosa Chair Assessor on Rosa Candidate, D01', 'Rosa Third Assessor on Rosa Candidate, D08']),
      );
      // Who wrote which sheet is not hers to know: no assessor's id anywhere in them.
      const text = JSON.stringify(hers.panelScoresReceived);
      for (const a of pool) expect(text).not.toContain(a.id);
      expect([hers.panelSeats, hers.panelScoreSheets]).toEqual([[], []]);
      // Until the decision, the sheets are the panel's deliberation, not yet the candidate's.
      expect((await dataOf(sven.candidate)).panelScoresReceived).toEqual([]);

      const chairs = await dataOf(chair);
      expect(chairs.panelSeats).toEqual([
        expect.objectContaining({ bookingId: rosa.bookingId, isChair: true, active: true, noShow: false, status: 'completed' }),
        expect.objectContaining({ bookingId: sven.bookingId, isChair: true, active: true, noShow: false, status: 'booked' }),
      ]);
      expect(chairs.panelScoreSheets).toEqual([
        { bookingId: rosa.bookingId, domainScores: sheet(chair, rosa.candidate).domains, submittedAt: expect.any(String) },
        { bookingId: sven.bookingId, domainScores: sheet(chair, sven.candidate).domains, submittedAt: expect.any(String) },
      ]);
      expect(chairs.panelScoresReceived).toEqual([]);
      expect((await dataOf(second)).panelSeats).toEqual([
        expect.objectContaining({ bookingId: rosa.bookingId, isChair: false }),
        expect.objectContaining({ bookingId: sven.bookingId, isChair: false }),
      ]);
    }, 120_000);

    it("cancels a deleted candidate's panel not yet sat, as a deactivated candidate's, and frees the assessors", async () => {
      const admin = await ctx.newAdmin();
      await panelPool(admin, ['Chair', 'Second', 'Third']);
      const { candidate, bookingId } = await bookPanel(admin, 'Quentin');
      await as(candidate).post('/api/me/deletion', { password: candidate.password, confirm: 'DELETE' }).expect(202);
      await eventually(async () => {
        const [row] = await ctx.dataSource.query(`SELECT status FROM panel_bookings WHERE id = $1`, [bookingId]);
        return row.status === 'cancelled' ? row : undefined;
      }, "the deleted candidate's booking to be cancelled");
      const seated = await ctx.dataSource.query(`SELECT 1 FROM panel_members WHERE booking_id = $1 AND active`, [bookingId]);
      expect(seated).toHaveLength(0);
    }, 120_000);
  });
});
