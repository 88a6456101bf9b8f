import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { APP_CONFIG, type AppConfig } from '../../src/infrastructure/config/app-config';
import { CredentialKeyRetirementService } from '../../src/modules/certificates/credential-key-retirement.service';
import { storedKid } from '../../src/infrastructure/signing/signing-keys';
import { LegacySignaturesReconciler } from '../../src/modules/certificates/legacy-signatures.reconciler';
import { ResignRetiredKeyCredentialsJob } from '../../src/modules/certificates/jobs/resign-retired-key-credentials.job';
import { STATUS_LIST_BITS } from '../../src/modules/certificates/open-badge';
import { type CredentialStatus, issueCertificateOn } from '../issued-certificate';
import { OwnDatabase } from '../own-database';
import { TestContext, type TestUser } from '../test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ABUSE: credentials nobody can replay or fork (status lists, signing keys, access tokens)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let admin: TestUser;
  let ttlBefore: number;

  /** Everything a verifier needs, fetched over HTTP: the served JWK Set, no project code. */
  async function verify(jwt: string, currentDate?: Date) {
    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body;
    return jwtVerify(jwt, createLocalJWKSet(jwks), { typ: 'JWT', currentDate });
  }

  const issueCertificate = () => issueCertificateOn(ctx);

  async function fetchList(status: CredentialStatus) {
    const res = await ctx.http.get(new URL(status.statusListCredential).pathname).expect(200);
    const payload = decodeJwt(res.text);
    const subject = payload.credentialSubject as { encodedList: string };
    const bits = gunzipSync(Buffer.from(subject.encodedList.replace(/^u/, ''), 'base64url'));
    const index = Number(status.statusListIndex);
    const maxAge = Number(/max-age=(\d+)/.exec(res.headers['cache-control'] ?? '')?.[1]);
    return { jwt: res.text, payload, revoked: (bits[index >> 3] & (0x80 >> (index % 8))) !== 0, maxAge, servedAt: Date.now() };
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    ttlBefore = config.statusListTtlSeconds;
    admin = await ctx.newAdmin();
  }, 60_000);
  afterAll(async () => {
    config.statusListTtlSeconds = ttlBefore;
    await ctx.close();
  });

  it('a status list fetched before a revocation expires within the TTL; the next list shows the revocation at once', async () => {
    config.statusListTtlSeconds = 2;
    const { number, status } = await issueCertificate();
    const before = await fetchList(status);
    expect(before.revoked).toBe(false);
    await expect(verify(before.jwt)).resolves.toBeDefined();
    // validFrom/validUntil in whole seconds, equal to nbf/exp; valid for the TTL and no longer.
    expect(Date.parse(before.payload.validFrom as string)).toBe(before.payload.nbf! * 1000);
    expect(Date.parse(before.payload.validUntil as string)).toBe(before.payload.exp! * 1000);
    expect(before.payload.exp! - before.payload.nbf!).toBe(2);
    expect(before.maxAge).toBeLessThanOrEqual(before.payload.exp! - Math.floor(before.servedAt / 1000));

    await ctx.as(admin).post(`/api/admin/certificates/${number}/revoke`, { reason: 'Credential replay test' }).expect(200);
    const after = await fetchList(status);
    expect(after.revoked).toBe(true);
    await expect(verify(after.jwt)).resolves.toBeDefined();

    // Replaying the pre-revocation list: once its validUntil has passed, no verifier accepts it as current.
    await sleep(before.payload.exp! * 1000 - Date.now() + 1100);
    expect(Date.parse(before.payload.validUntil as string)).toBeLessThan(Date.now());
    await expect(verify(before.jwt)).rejects.toBeInstanceOf(errors.JWTExpired);
    const fresh = await fetchList(status);
    expect(fresh.revoked).toBe(true);
    await expect(verify(fresh.jwt)).resolves.toBeDefined();
  });

  it('never serves a list past its validUntil, nor lets a cache keep it longer', async () => {
    config.statusListTtlSeconds = 2;
    const { status } = await issueCertificate();
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const list = await fetchList(status);
      seen.add(list.jwt);
      expect(list.payload.exp! * 1000).toBeGreaterThan(list.servedAt);
      expect(list.maxAge).toBeGreaterThanOrEqual(0);
      expect(list.servedAt + list.maxAge * 1000).toBeLessThanOrEqual(list.payload.exp! * 1000);
      await sleep(300);
    }
    // Over 3.6 s with a 2 s TTL the list was signed again more than once.
    expect(seen.size).toBeGreaterThan(1);
    config.statusListTtlSeconds = ttlBefore;
  });

  it('draws status-list slots at random: consecutive issues get distinct, non-sequential indexes', async () => {
    const issued = [];
    for (let i = 0; i < 6; i++) issued.push(await issueCertificate());
    const indexes = issued.map((c) => Number(c.status.statusListIndex));
    expect(new Set(indexes).size).toBe(indexes.length);
    for (const index of indexes) expect(index).toBeGreaterThanOrEqual(0);
    for (const index of indexes) expect(index).toBeLessThan(STATUS_LIST_BITS);
    const steps = indexes.slice(1).map((index, i) => index - indexes[i]);
    expect(steps.every((step) => step === 1)).toBe(false);
    // Not in issuance order either (6 random draws are in increasing order with probability 1/720).
    expect([...indexes].sort((a, b) => a - b)).not.toEqual(indexes);
  });

  it('a retired key leaves the JWK Set; the credentials it signed are signed again with the current key', async () => {
    const { number, jwt: before } = await issueCertificate();
    const oldKid = storedKid(decodeProtectedHeader(before).kid!);
    const retirement = ctx.app.get(CredentialKeyRetirementService);
    const retired = await retirement.retire(oldKid);
    expect(retired).toMatchObject({ kid: oldKid, wasCurrent: true });
    expect(retired.currentKid).not.toBe(oldKid);
    expect(retired.credentials).toBeGreaterThanOrEqual(1);

    const jwks = (await ctx.http.get('/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string; d?: string }> };
    expect(jwks.keys.map((k) => storedKid(k.kid))).not.toContain(oldKid);
    expect(jwks.keys.map((k) => storedKid(k.kid))).toContain(retired.currentKid);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
    await expect(verify(before)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);

    // Re-signing goes through the outbox (one row in the retirement's transaction), then the worker's job.
    const queued = await ctx.dataSource.query(`SELECT payload FROM outbox WHERE job_name = 'resign-retired-key-credentials'`);
    expect(queued.map((r: { payload: { kid: string } }) => r.payload.kid)).toContain(oldKid);
    const job = ctx.app.get(ResignRetiredKeyCredentialsJob);
    await job.handle({ kid: oldKid });
    await job.handle({ kid: oldKid }); // idempotent: nothing left signed by the retired key
    expect(await retirement.resignCredentials(oldKid)).toBe(0);

    const after = (await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
    expect(storedKid(decodeProtectedHeader(after).kid!)).toBe(retired.currentKid);
    const { payload } = await verify(after);
    expect(payload.jti).toBe(decodeJwt(before).jti);
    expect(payload.jti).toContain(`/api/public/certificates/${number}/credential`);
    const status = payload.credentialStatus as CredentialStatus;
    const list = await fetchList(status);
    expect(storedKid(decodeProtectedHeader(list.jwt).kid!)).toBe(retired.currentKid);
    await expect(verify(list.jwt)).resolves.toBeDefined();

    const audit = await ctx.dataSource.query(`SELECT action, data FROM audit_log WHERE subject_type = 'signing_key' AND subject_id = $1`, [
      oldKid,
    ]);
    expect(audit).toEqual([
      { action: 'signing_key.retired', data: expect.objectContaining({ wasCurrent: true, currentKid: retired.currentKid }) },
    ]);
    await expect(retirement.retire(oldKid)).rejects.toMatchObject({ status: 409 });
    await expect(retirement.retire('no-such-kid')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses an access token signed with the right secret for another audience or issuer, or without them (401)', async () => {
    const candidate = await ctx.newCandidate();
    const real = decodeJwt(candidate.accessToken);
    expect(real).toMatchObject({ iss: config.publicUrl, aud: `${config.publicUrl}/api` });
    await ctx.as(candidate).get('/api/certificates').expect(200);

    const secret = new TextEncoder().encode(config.jwtSecret);
    const forge = (claims: { iss?: string; aud?: string }) => {
      const token = new SignJWT({ sub: real.sub, fam: real.fam })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m');
      if (claims.iss) token.setIssuer(claims.iss);
      if (claims.aud) token.setAudience(claims.aud);
      return token.sign(secret);
    };
    const call = async (token: string) => ctx.http.get('/api/certificates').set('Authorization', `Bearer ${token}`);
    // The control: the same forgery with the right claims is accepted, so the refusals below are about iss/aud only.
    expect((await call(await forge({ iss: config.publicUrl, aud: `${config.publicUrl}/api` }))).status).toBe(200);
    expect((await call(await forge({ iss: config.publicUrl, aud: 'https://other.example/api' }))).status).toBe(401);
    expect((await call(await forge({ iss: 'https://other.example', aud: `${config.publicUrl}/api` }))).status).toBe(401);
    expect((await call(await forge({ iss: config.publicUrl }))).status).toBe(401);
    expect((await call(await forge({ aud: `${config.publicUrl}/api` }))).status).toBe(401);
    expect((await call(await forge({}))).status).toBe(401);
  });
});

describe('ABUSE: replicas never fork the signing key (one key store in PostgreSQL)', () => {
  const env = { keysDir: process.env.SIGNING_KEYS_DIR };
  afterEach(() => {
    if (env.keysDir === undefined) delete process.env.SIGNING_KEYS_DIR;
    else process.env.SIGNING_KEYS_DIR = env.keysDir;
  });

  it('two API processes booting together on an empty store agree on one current key', async () => {
    const own = await OwnDatabase.use('keyrace');
    process.env.SIGNING_KEYS_DIR = mkdtempSync(path.join(tmpdir(), 'psf-keys-'));
    const [a, b] = await Promise.all([TestContext.create(), TestContext.create()]);
    try {
      const [ja, jb] = await Promise.all([
        a.http.get('/.well-known/jwks.json').expect(200),
        b.http.get('/.well-known/jwks.json').expect(200),
      ]);
      expect(ja.body.keys).toHaveLength(1);
      expect(jb.body).toEqual(ja.body);
      const rows = await a.dataSource.query(`SELECT kid, status, private_key_sealed FROM signing_keys`);
      expect(rows).toEqual([
        { kid: storedKid(ja.body.keys[0].kid), status: 'current', private_key_sealed: expect.stringMatching(/^v1\./) },
      ]);
      // The private key is sealed, not stored as a JWK.
      expect(rows[0].private_key_sealed).not.toContain('"d"');
    } finally {
      await Promise.all([a.close(), b.close()]);
      await own.release();
    }
  }, 60_000);

  it('imports the keys of the former file store on first boot, so credentials they signed keep verifying', async () => {
    const own = await OwnDatabase.use('keyimport');
    const dir = mkdtempSync(path.join(tmpdir(), 'psf-keys-'));
    process.env.SIGNING_KEYS_DIR = dir;
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'legacy-file-key', alg: 'EdDSA', use: 'sig' };
    writeFileSync(
      path.join(dir, '2025-01-01T00-00-00-000Z-legacy-file-key.json'),
      JSON.stringify({ kid: 'legacy-file-key', createdAt: '2025-01-01T00:00:00.000Z', publicJwk, privateJwk: await exportJWK(privateKey) }),
    );
    const signedBefore = await new SignJWT({ id: 'urn:example:old' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'legacy-file-key' })
      .sign(privateKey);
    const app = await TestContext.create();
    try {
      const jwks = (await app.http.get('/.well-known/jwks.json').expect(200)).body;
      // Imported, then superseded by an ES256 key (contract v1.1): the Ed25519 key stays published.
      expect(jwks.keys.map((k: { kid: string; alg: string }) => [storedKid(k.kid), k.alg])).toEqual([
        ['legacy-file-key', 'EdDSA'],
        [expect.stringMatching(/^[\w-]{43}$/), 'ES256'],
      ]);
      await expect(jwtVerify(signedBefore, createLocalJWKSet(jwks))).resolves.toBeDefined();

      // A credential as contract v1.0 signed it (EdDSA, typ vc+jwt, the bare kid). No flow signs so any more,
      // so the pre-upgrade row is written here: the same claims, signed with the imported Ed25519 key.
      const { number } = await issueCertificateOn(app);
      const issued = (await app.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
      const legacy = await new SignJWT(decodeJwt(issued))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: 'legacy-file-key' })
        .sign(privateKey);
      await app.dataSource.query(`UPDATE certificates SET credential_jwt = $1 WHERE number = $2`, [legacy, number]);
      // The worker's reconciler signs it again with ES256; the copy the holder saved still verifies.
      expect(await app.app.get(LegacySignaturesReconciler).reconcile()).toBe(1);
      expect(await app.app.get(LegacySignaturesReconciler).reconcile()).toBe(0);
      const after = (await app.http.get(`/api/public/certificates/${number}/credential`).expect(200)).text;
      expect(decodeProtectedHeader(after)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
      const served = (await app.http.get('/.well-known/jwks.json').expect(200)).body;
      const { payload } = await jwtVerify(after, createLocalJWKSet(served), { typ: 'JWT', algorithms: ['ES256'] });
      expect(payload.jti).toBe(decodeJwt(legacy).jti);
      await expect(jwtVerify(legacy, createLocalJWKSet(served))).resolves.toBeDefined();
    } finally {
      await app.close();
      await own.release();
    }
  }, 60_000);
});
