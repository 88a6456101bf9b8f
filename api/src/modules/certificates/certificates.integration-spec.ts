import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TestContext, type TestUser } from '../../../test/test-app';
import { credentialOf, expandSafely } from '../../../test/json-ld';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { SigningKeys, storedKid } from '../../infrastructure/signing/signing-keys';
import { BankSyncService } from '../question-bank/bank-sync.service';
import { CertificateExpiryReminderJob } from './jobs/certificate-expiry-reminder.job';
import { IssueCertificateJob } from './jobs/issue-certificate.job';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse: (data: Buffer) => Promise<{ text: string }> = require('pdf-parse/lib/pdf-parse.js');
const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

describe('certificates: issuing, verification, signed Open Badges, lifecycle (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let holder: TestUser;
  let eventId: string;
  let attemptId: string;

  const as = (user: TestUser) => ({
    get: (url: string) => ctx.http.get(url).set('Authorization', `Bearer ${user.accessToken}`),
    post: (url: string, body?: object) => ctx.http.post(url).set('Authorization', `Bearer ${user.accessToken}`).send(body),
  });
  const issue = () => ctx.app.get(IssueCertificateJob).handle({ credentialEventId: eventId });
  const certificatesOf = (userId: string) => ctx.dataSource.query(`SELECT * FROM certificates WHERE user_id = $1`, [userId]);

  /** Everything a verifier needs, fetched over HTTP; no project code in the verifying path. */
  async function verifyJwt(jwt: string) {
    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body;
    return jwtVerify(jwt, createLocalJWKSet(jwks), { typ: 'JWT', algorithms: ['ES256'] });
  }
  async function statusBit(credentialStatus: { statusListCredential: string; statusListIndex: string }): Promise<boolean> {
    const res = await ctx.http.get(new URL(credentialStatus.statusListCredential).pathname).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const { payload } = await verifyJwt(res.text);
    const subject = payload.credentialSubject as { type: string; statusPurpose: string; encodedList: string };
    expect(subject).toMatchObject({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
    expect(payload.validUntil).toEqual(expect.any(String));
    await expect(expandSafely(credentialOf(payload))).resolves.toBeDefined();
    // Multibase: a leading "u", then base64url without padding (contract v1.1).
    expect(subject.encodedList).toMatch(/^u[A-Za-z0-9_-]+$/);
    const bits = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
    const index = Number(credentialStatus.statusListIndex);
    return (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
  }

  /** Pass AIDA for real (answer every key, submit); returns the attempt and its credential event. */
  async function passAida(user: TestUser): Promise<{ attemptId: string; eventId: string }> {
    const attemptId = await ctx.passAida(user);
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1`, [attemptId]);
    return { attemptId, eventId: id };
  }

  /** A second holder with an issued certificate, for what cannot be undone on the main holder's (a revocation is final). */
  async function newHolderWithCertificate(fullName: string) {
    const user = await ctx.newUser('candidate', { fullName });
    const passed = await passAida(user);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: passed.eventId });
    const [certificate] = await certificatesOf(user.id);
    return certificate as { id: string; number: string };
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    admin = await ctx.newAdmin();
    holder = await ctx.newUser('candidate', { fullName: 'Grace Holder' });
    ({ attemptId, eventId } = await passAida(holder));
    const outbox = await ctx.dataSource.query(`SELECT job_name FROM outbox WHERE payload->>'credentialEventId' = $1`, [eventId]);
    expect(outbox).toEqual([{ job_name: 'issue-certificate' }]);
  }, 60_000);
  afterAll(() => ctx.close());

  it('issues exactly one certificate however often the job runs, even after a crash mid-job', async () => {
    await Promise.all([issue(), issue()]);
    await issue();
    expect(await certificatesOf(holder.id)).toHaveLength(1);
    // A crash after the row committed but before the artefacts: the next run finishes them.
    await ctx.dataSource.query(`UPDATE certificates SET credential_jwt = NULL, pdf_file = NULL, pdf_hash = NULL WHERE user_id = $1`, [
      holder.id,
    ]);
    await issue();
    const [cert] = await certificatesOf(holder.id);
    expect(cert.credential_jwt).toMatch(/^ey/);
    expect(cert.pdf_file).toBe(`certificates/${cert.id}.pdf`);
    expect(await certificatesOf(holder.id)).toHaveLength(1);
    const mails = await ctx.dataSource.query(`SELECT subject FROM notifications WHERE dedupe_key = $1`, [`certificate-issued:${cert.id}`]);
    expect(mails).toEqual([{ subject: `Your AIDA certificate ${cert.number}` }]);
    const result = await as(holder).get(`/api/exams/aida/attempts/${attemptId}`).expect(200);
    expect(result.body.result.certificateNumber).toBe(cert.number);
  });

  it("lists the holder's certificates with the contract's fields", async () => {
    const res = await as(holder).get('/api/certificates').expect(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        id: expect.any(String),
        number: expect.stringMatching(/^PSF-[0-9A-Z]{5}-[0-9A-Z]{5}-.$/),
        credential: { code: 'AIDA', name: 'PSF AIDA Examination Certificate' },
        holderName: 'Grace Holder',
        status: 'active',
      }),
    ]);
    const { issuedAt, expiresAt } = res.body[0];
    const years = (new Date(expiresAt).getTime() - new Date(issuedAt).getTime()) / (365 * 86_400_000);
    expect(years).toBeCloseTo(2, 1);
  });

  it('serves a signed OB 3.0 credential that verifies with jose and the public JWK Set alone', async () => {
    const [{ number }] = await certificatesOf(holder.id);
    const res = await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const header = decodeProtectedHeader(res.text);
    // OB 3.0 JSON Web Token Proof Format (contract v1.1): ES256, typ JWT, kid an absolute URL of the key.
    expect(header).toMatchObject({
      alg: 'ES256',
      typ: 'JWT',
      kid: expect.stringMatching(/^http:\/\/[^#]+\/\.well-known\/jwks\.json#[\w-]{43}$/),
    });
    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    expect(new URL(header.kid!).pathname).toBe('/.well-known/jwks.json');
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k).not.toHaveProperty('d');
    }
    const { payload: vc } = await verifyJwt(res.text);
    // The registered claims mirror the credential.
    const subjectId = (vc.credentialSubject as { id: string }).id;
    expect(subjectId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(vc).toMatchObject({
      iss: (vc.issuer as { id: string }).id,
      jti: vc.id,
      sub: subjectId,
      nbf: Date.parse(vc.validFrom as string) / 1000,
      exp: Date.parse(vc.validUntil as string) / 1000,
      iat: expect.any(Number),
    });
    expect(JSON.stringify(vc)).not.toContain(holder.id);
    // Every term is defined by the credential's contexts (JSON-LD safe mode, the published VC 2.0 and OB 3.0.3 contexts).
    await expect(expandSafely(credentialOf(vc))).resolves.toBeDefined();
    // A second credential of the same holder names the same subject (stable), another holder's does not.
    const other = await newHolderWithCertificate('Another Holder');
    const otherJwt = (await ctx.http.get(`/api/public/certificates/${other.number}/credential`).expect(200)).text;
    expect((decodeJwt(otherJwt).credentialSubject as { id: string }).id).not.toBe(subjectId);
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(vc.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(vc).toMatchObject({
      id: expect.stringContaining(`/api/public/certificates/${number}/credential`),
      issuer: { id: expect.any(String), type: ['Profile'], name: expect.any(String) },
      validFrom: expect.any(String),
      validUntil: expect.any(String),
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: expect.any(String) },
    });
    const subject = vc.credentialSubject as {
      type: string[];
      identifier: Array<Record<string, unknown>>;
      achievement: Record<string, unknown>;
    };
    expect(subject.type).toEqual(['AchievementSubject']);
    expect(subject.achievement).toMatchObject({ type: ['Achievement'], name: 'PSF AIDA Examination Certificate' });
    const narrative = (subject.achievement.criteria as { narrative: string }).narrative;
    for (const domain of ['D01 Data Governance & PII', 'D08 Ethics & Accountability']) expect(narrative).toContain(domain);
    expect(subject.identifier[0]).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(res.text).not.toContain(Buffer.from(holder.email).toString('base64url').slice(0, 12));
    expect(JSON.stringify(vc)).not.toContain(holder.email);
  });

  it('names an issuer Profile, an Achievement and a badge image that resolve at their URLs', async () => {
    const [{ number }] = await certificatesOf(holder.id);
    const { payload: vc } = await verifyJwt((await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text);
    const local = (url: string) => new URL(url).pathname;
    const issuerUrl = (vc.issuer as { id: string }).id;
    const issuer = await ctx.http.get(local(issuerUrl)).expect(200);
    expect(issuer.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(JSON.parse(issuer.text)).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: issuerUrl,
      type: ['Profile'],
      name: expect.any(String),
    });
    const named = (vc.credentialSubject as { achievement: { id: string; image: { id: string } } }).achievement;
    await expect(expandSafely(JSON.parse(issuer.text))).resolves.toBeDefined();
    const achievement = JSON.parse((await ctx.http.get(local(named.id)).expect(200)).text);
    await expect(expandSafely(achievement)).resolves.toBeDefined();
    expect(achievement).toMatchObject({
      id: named.id,
      type: ['Achievement'],
      name: 'PSF AIDA Examination Certificate',
      image: named.image,
    });
    expect(achievement.alignment.map((a: { targetCode: string }) => a.targetCode)).toEqual([
      'D01',
      'D02',
      'D03',
      'D04',
      'D05',
      'D06',
      'D07',
      'D08',
    ]);
    expect((vc.image as { id: string }).id).toBe(named.image.id);
    const image = await ctx.http.get(local(named.image.id)).expect(200);
    expect(image.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(image.body.toString()).toMatch(/<svg[^>]+role="img"[\s\S]*<title id="t">PSF AIDA Examination Certificate \(AIDA\) badge/);
    await ctx.http.get('/api/public/achievements/NOPE').expect(404);
    await ctx.http.get('/api/public/achievements/NOPE/image.svg').expect(404);
  });

  it('suspends, reinstates and revokes: the status list bit and the verify answer change at once, audited; a revocation is final', async () => {
    const { number, id } = await newHolderWithCertificate('Ada Revoked');
    const jwt = (await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
    const status = (await verifyJwt(jwt)).payload.credentialStatus as { statusListCredential: string; statusListIndex: string };
    expect(await statusBit(status)).toBe(false);
    expect((await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body.status).toBe('active');

    await as(admin).post(`/api/admin/certificates/${number}/suspend`, { reason: 'Under investigation' }).expect(200);
    expect((await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body.status).toBe('suspended');
    expect(await statusBit(status)).toBe(true);
    await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(200);
    expect(await statusBit(status)).toBe(false);
    await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(409);

    await as(admin).post(`/api/admin/certificates/${number}/revoke`, {}).expect(400);
    const revoked = await as(admin).post(`/api/admin/certificates/${number}/revoke`, { reason: 'Identity fraud at the exam' }).expect(200);
    expect(revoked.body).toMatchObject({ number, status: 'revoked', statusReason: 'Identity fraud at the exam' });
    expect(await statusBit(status)).toBe(true);
    expect((await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body.status).toBe('revoked');
    // Revocation is final (api-contract): neither weakened to a suspension nor reinstated; refused, nothing signed or audited.
    const weakened = await as(admin).post(`/api/admin/certificates/${number}/suspend`, { reason: 'Under investigation' }).expect(409);
    expect(weakened.body.message).toBe('A certificate cannot move from "revoked" to "suspended"');
    const undone = await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(409);
    expect(undone.body.message).toBe('A certificate cannot move from "revoked" to "active"');
    expect(await statusBit(status)).toBe(true);
    expect((await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body).toMatchObject({
      status: 'revoked',
    });

    const audit = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'certificate.issued',
      'certificate.suspended',
      'certificate.reinstated',
      'certificate.revoked',
    ]);
    await as(holder).post(`/api/admin/certificates/${number}/revoke`, { reason: 'x' }).expect(403);
  });

  it('answers unknown and mistyped numbers with 404 and says which', async () => {
    const [{ number }] = await certificatesOf(holder.id);
    const body = number.slice(4, 15).replace('-', '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXY';
    const typoChar = alphabet[(alphabet.indexOf(body[0]) + 1) % 31];
    const typo = `PSF-${typoChar}${number.slice(5)}`;
    const mistyped = await ctx.http.get(`/api/public/certificates/${typo}`).expect(404);
    expect(mistyped.body.message).toMatch(/check character does not match/);
    await ctx.http.get('/api/public/certificates/not-a-number').expect(404);
    // Case and spacing as people type them still find it.
    const typed = await ctx.http.get(`/api/public/certificates/${encodeURIComponent(number.toLowerCase())}`).expect(200);
    expect(typed.body).toEqual({
      number,
      credential: { code: 'AIDA', name: 'PSF AIDA Examination Certificate' },
      holderName: 'Grace Holder',
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
      status: 'active',
      verifyUrl: expect.stringContaining(`/verify/${number}`),
      credentialUrl: expect.stringContaining(`/api/public/certificates/${number}/credential`),
    });
  });

  it('serves the PDF to its holder and admins only, with the holder, credential and number in its text', async () => {
    const [{ id, number }] = await certificatesOf(holder.id);
    const res = await as(holder)
      .get(`/api/certificates/${id}/pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const { text } = await pdfParse(res.body as Buffer);
    expect(text).toContain('Grace Holder');
    expect(text).toContain('PSF AIDA Examination Certificate');
    expect(text).toContain(number);
    expect(text).toContain('CC BY 4.0');
    // For print: the verify URL in text beside its QR code, the dates, the signature block; badge and QR embedded.
    const { verifyUrl, issuedAt, expiresAt } = (await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body;
    expect(text).toContain(verifyUrl);
    expect(text).toContain(`Issued ${issuedAt.slice(0, 10)}`);
    expect(text).toContain(`Valid until ${expiresAt.slice(0, 10)}`);
    expect(text).toContain(ctx.app.get<AppConfig>(APP_CONFIG).issuerSignatory.role);
    expect((res.body as Buffer).toString('latin1').match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
    const other = await ctx.newCandidate();
    await as(other).get(`/api/certificates/${id}/pdf`).expect(404);
    await as(admin).get(`/api/certificates/${id}/pdf`).expect(200);
  });

  it('issues nothing for a pass whose holder deleted the account before its job ran (it would name "Deleted account")', async () => {
    const leaver = await ctx.newCandidate();
    const { eventId } = await passAida(leaver);
    await as(leaver).post('/api/me/deletion', { password: leaver.password, confirm: 'DELETE' }).expect(202);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: eventId });
    expect(await ctx.dataSource.query(`SELECT 1 FROM certificates WHERE user_id = $1`, [leaver.id])).toHaveLength(0);
    const [withheld] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'certificate.withheld' AND subject_id = $1`, [
      leaver.id,
    ]);
    expect(withheld.data).toMatchObject({ credentialEventId: eventId, reason: 'account_deleted' });
  });

  it('keeps credentials signed before a key rotation verifiable', async () => {
    const [{ number }] = await certificatesOf(holder.id);
    const before = (await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
    // Headers and the JWK Set name a key by URL; its fragment is the stored kid the CLI and the database use.
    const oldKid = storedKid(decodeProtectedHeader(before).kid!);
    const newKid = await ctx.app.get(SigningKeys).rotate();
    expect(newKid).not.toBe(oldKid);
    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys.map((k: { kid: string }) => storedKid(k.kid))).toEqual(expect.arrayContaining([oldKid, newKid]));
    await expect(verifyJwt(before)).resolves.toBeDefined();
    // New signatures (the status list re-signed on a change) use the new key.
    // The list this credential's status lives in (list 1 until it is half full), as a verifier finds it.
    const { credentialStatus } = decodeJwt(before) as { credentialStatus: { statusListCredential: string } };
    const listPath = new URL(credentialStatus.statusListCredential).pathname;
    await as(admin).post(`/api/admin/certificates/${number}/suspend`, { reason: 'rotation check' }).expect(200);
    try {
      const list = await ctx.http.get(listPath).expect(200);
      const listKid = storedKid(decodeProtectedHeader(list.text).kid!);
      const current = (await ctx.dataSource.query(`SELECT kid FROM signing_keys WHERE status = 'current'`)) as Array<{ kid: string }>;
      expect({ listKid, current: current.map((k) => k.kid) }).toEqual({ listKid: newKid, current: [newKid] });
    } finally {
      // Reinstated either way: the next tests remind about this certificate.
      await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(200);
    }
  });

  it('reminds before expiry once, not after a revoke, and shows expired after validUntil', async () => {
    const [cert] = await certificatesOf(holder.id);
    const reminders = await ctx.dataSource.query(
      `SELECT payload->>'daysBefore' AS days, run_at FROM outbox WHERE job_name = 'certificate-expiry-reminder' AND payload->>'certificateId' = $1 ORDER BY run_at`,
      [cert.id],
    );
    expect(reminders.map((r: { days: string }) => r.days)).toEqual(['60', '14']);
    const job = ctx.app.get(CertificateExpiryReminderJob);
    await job.handle({ certificateId: cert.id, daysBefore: 60 });
    await job.handle({ certificateId: cert.id, daysBefore: 60 });
    const sent = await ctx.dataSource.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [`certificate-expiry:${cert.id}:60`]);
    expect(sent).toHaveLength(1);
    // A revoked certificate is not reminded about (revocation is final, so on another holder's certificate).
    const revoked = await newHolderWithCertificate('Ada Reminded');
    await as(admin).post(`/api/admin/certificates/${revoked.number}/revoke`, { reason: 'expiry test' }).expect(200);
    await job.handle({ certificateId: revoked.id, daysBefore: 14 });
    expect(
      await ctx.dataSource.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [`certificate-expiry:${revoked.id}:14`]),
    ).toHaveLength(0);

    await ctx.dataSource.query(`UPDATE certificates SET expires_at = now() - interval '1 day' WHERE id = $1`, [cert.id]);
    expect((await ctx.http.get(`/api/public/certificates/${cert.number}`).expect(200)).body.status).toBe('expired');
  });
});
