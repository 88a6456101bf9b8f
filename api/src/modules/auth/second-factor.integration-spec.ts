import { randomInt } from 'node:crypto';
import { base32Decode, hotp, totp, totpStep } from '../../common/auth/totp';
import { TestContext, type TestUser } from '../../../test/test-app';
import { UsersService } from '../users/users.service';

describe('two-step sign-in: TOTP and recovery codes (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  // Each test signs in from its own address, so its failures never throttle another test (or suite).
  let ip: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
  });
  beforeEach(() => {
    ip = `203.0.113.${randomInt(1, 255)}`;
  });
  afterAll(() => ctx.close());

  const login = (body: { email: string; password: string; otp?: string }) =>
    ctx.http.post('/api/auth/login').set('X-Forwarded-For', ip).send(body);

  /** A six-digit code that is none of the codes the server would accept now. */
  function wrongCode(secret: string): string {
    const key = base32Decode(secret);
    const now = totpStep();
    const accepted = new Set([hotp(key, now - 1), hotp(key, now), hotp(key, now + 1), hotp(key, now + 2)]);
    for (let n = 0; ; n++) {
      const code = String(n).padStart(6, '0');
      if (!accepted.has(code)) return code;
    }
  }

  async function enrolledCandidate(): Promise<TestUser> {
    return ctx.enrolTotp(await ctx.newCandidate());
  }

  it('enrols a candidate: a secret to start, a wrong code refused, the right one answers ten recovery codes', async () => {
    const user = await ctx.newCandidate();
    const before = await ctx.as(user).get('/api/me').expect(200);
    expect(before.body.secondFactor).toMatchObject({ totp: false, passkey: false, enabled: false, required: false });

    // Confirming before starting: nothing to confirm.
    const early = await ctx.as(user).post('/api/me/second-factor/totp/confirm', { code: '123456' }).expect(400);
    expect(early.body.message).toMatch(/Start the set-up first/);

    const started = await ctx.as(user).post('/api/me/second-factor/totp').expect(200);
    expect(started.body).toEqual({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/), otpauthUri: expect.any(String) });
    const uri = new URL(started.body.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe(`/PSF Certification Body:${user.email}`);
    expect(uri.searchParams.get('secret')).toBe(started.body.secret);
    expect(uri.searchParams.get('issuer')).toBe('PSF Certification Body');

    // The secret is stored sealed, never as typed into the app.
    const [row] = await ctx.dataSource.query(`SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1`, [user.id]);
    expect(row.totp_secret).toMatch(/^v1\./);
    expect(row.totp_secret).not.toContain(started.body.secret);
    expect(row.totp_enabled_at).toBeNull();

    const malformed = await ctx.as(user).post('/api/me/second-factor/totp/confirm', { code: '12ab56' }).expect(400);
    expect(malformed.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'code must be the 6-digit code from your authenticator app',
    });
    const wrong = await ctx
      .as(user)
      .post('/api/me/second-factor/totp/confirm', { code: wrongCode(started.body.secret) })
      .expect(400);
    expect(wrong.body.message).toMatch(/not right/);
    expect((await ctx.as(user).get('/api/me').expect(200)).body.secondFactor).toMatchObject({
      totp: false,
      passkey: false,
      enabled: false,
      required: false,
    });

    user.totpSecret = started.body.secret;
    const confirmed = await ctx
      .as(user)
      .post('/api/me/second-factor/totp/confirm', { code: await ctx.otp(user) })
      .expect(200);
    expect(confirmed.body.recoveryCodes).toHaveLength(10);
    for (const code of confirmed.body.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    // The owner is told, in the transaction of the change (ASVS 2.5.5); nothing is told for the failed tries above.
    const notices = await ctx.dataSource.query(
      `SELECT payload FROM outbox WHERE job_name = 'send-account-notice' AND payload->>'userId' = $1`,
      [user.id],
    );
    expect(notices).toEqual([{ payload: { userId: user.id, notice: 'second_factor_changed' } }]);
    expect((await ctx.as(user).get('/api/me').expect(200)).body.secondFactor).toMatchObject({
      totp: true,
      passkey: false,
      enabled: true,
      required: false,
    });

    // Recovery codes are stored hashed; a second enrolment is refused while TOTP is on.
    const stored: Array<{ code_hash: string }> = await ctx.dataSource.query(`SELECT code_hash FROM recovery_codes WHERE user_id = $1`, [
      user.id,
    ]);
    expect(stored).toHaveLength(10);
    for (const { code_hash } of stored) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(confirmed.body.recoveryCodes).not.toContain(code_hash);
    }
    await ctx.as(user).post('/api/me/second-factor/totp').expect(409);
    const [audit] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'auth.totp_enabled' AND subject_id = $1`, [
      user.id,
    ]);
    expect(audit.data).toEqual({ via: 'enrolment' });
  });

  it('signs in with TOTP: no code -> mfa_required, wrong -> mfa_invalid, right -> 200, the same code again -> mfa_invalid', async () => {
    const user = await enrolledCandidate();
    const credentials = { email: user.email, password: user.password };

    const missing = await login(credentials).expect(401);
    expect(missing.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.any(String),
      reason: 'mfa_required',
      methods: ['totp'],
    });
    expect(missing.headers['set-cookie']).toBeUndefined();

    const wrong = await login({ ...credentials, otp: wrongCode(user.totpSecret!) }).expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.any(String),
      reason: 'mfa_invalid',
      methods: ['totp'],
    });

    // A wrong password says nothing about the second factor.
    const badPassword = await login({ email: user.email, password: 'not the password at all' }).expect(401);
    expect(badPassword.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });

    const code = await ctx.otp(user);
    const ok = await login({ ...credentials, otp: code }).expect(200);
    expect(ok.body.user).toMatchObject({ id: user.id, secondFactor: { totp: true, required: false } });
    await ctx.http.get('/api/me').set('Authorization', `Bearer ${ok.body.accessToken}`).expect(200);

    const replayed = await login({ ...credentials, otp: code }).expect(401);
    expect(replayed.body.reason).toBe('mfa_invalid');

    const entries: Array<{ action: string; data: Record<string, unknown> }> = await ctx.dataSource.query(
      `SELECT a.action, (a.data - 'personalData') || coalesce(p.data, '{}'::jsonb) AS data FROM audit_log a LEFT JOIN audit_personal_data p ON p.entry_id = a.id WHERE a.subject_id = $1 AND a.action LIKE 'auth.login%' ORDER BY a.id`,
      [user.id],
    );
    expect(entries.slice(-4)).toEqual([
      { action: 'auth.login_failed', data: { ip, reason: 'mfa_invalid' } },
      { action: 'auth.login_failed', data: { ip } },
      { action: 'auth.login', data: { ip, mfa: 'totp' } },
      { action: 'auth.login_failed', data: { ip, reason: 'mfa_invalid' } },
    ]);
  });

  it('accepts one of two simultaneous sign-ins with the same code', async () => {
    const user = await enrolledCandidate();
    const otp = await ctx.otp(user);
    const results = await Promise.all([1, 2].map(() => login({ email: user.email, password: user.password, otp })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refuses a malformed otp with 400 before anything is checked', async () => {
    const user = await enrolledCandidate();
    const res = await login({ email: user.email, password: user.password, otp: '12345' }).expect(400);
    expect(res.body.message).toMatch(/^otp must be the 6-digit code/);
  });

  it('signs in once with each recovery code (any case, hyphen optional), and audits its use', async () => {
    const user = await enrolledCandidate();
    const [first, second] = user.recoveryCodes!;
    const credentials = { email: user.email, password: user.password };

    const ok = await login({ ...credentials, otp: first }).expect(200);
    expect(ok.body.user.id).toBe(user.id);
    const again = await login({ ...credentials, otp: first }).expect(401);
    expect(again.body.reason).toBe('mfa_invalid');
    await login({ ...credentials, otp: second.replace('-', '').toUpperCase() }).expect(200);
    const unknown = await login({ ...credentials, otp: 'aaaaa-aaaaa' }).expect(401);
    expect(unknown.body.reason).toBe('mfa_invalid');

    const [{ used }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS used FROM recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`,
      [user.id],
    );
    expect(used).toBe(2);
    const audit: Array<{ action: string; data: Record<string, unknown> }> = await ctx.dataSource.query(
      `SELECT a.action, (a.data - 'personalData') || coalesce(p.data, '{}'::jsonb) AS data FROM audit_log a LEFT JOIN audit_personal_data p ON p.entry_id = a.id
        WHERE a.subject_id = $1 AND a.action IN ('auth.recovery_code_used', 'auth.login') ORDER BY a.id`,
      [user.id],
    );
    expect(audit.slice(-4)).toEqual([
      { action: 'auth.recovery_code_used', data: { remaining: 9 } },
      { action: 'auth.login', data: { ip, mfa: 'recovery_code' } },
      { action: 'auth.recovery_code_used', data: { remaining: 8 } },
      { action: 'auth.login', data: { ip, mfa: 'recovery_code' } },
    ]);
  });

  it('counts missing and wrong codes towards sign-in throttling: the 6th attempt is 429, even with the right code', async () => {
    const user = await enrolledCandidate();
    const credentials = { email: user.email, password: user.password };
    await login(credentials).expect(401);
    for (let i = 0; i < 4; i++) await login({ ...credentials, otp: wrongCode(user.totpSecret!) }).expect(401);
    const throttled = await login({ ...credentials, otp: await ctx.otp(user) }).expect(429);
    expect(throttled.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets staff without a second factor only enrol: 403 mfa_enrolment_required elsewhere, then 200 once enrolled', async () => {
    const admin = await ctx.newAdmin();
    const promoted = await ctx.newCandidate();
    await ctx
      .as(admin)
      .put(`/api/admin/users/${promoted.id}/roles`, { roles: ['admin'] })
      .expect(200);

    const refused = await ctx.as(promoted).get('/api/admin/users').expect(403);
    expect(refused.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.stringMatching(/^Set up two-step sign-in first/),
      reason: 'mfa_enrolment_required',
    });
    // Any route for the signed-in, not only admin ones.
    const own = await ctx.as(promoted).get('/api/certificates').expect(403);
    expect(own.body.reason).toBe('mfa_enrolment_required');
    // Signing out stays open.
    await ctx.http.post('/api/auth/logout').expect(204);

    const me = await ctx.as(promoted).get('/api/me').expect(200);
    expect(me.body.secondFactor).toMatchObject({ totp: false, passkey: false, enabled: false, required: true });
    await ctx.enrolTotp(promoted);
    expect((await ctx.as(promoted).get('/api/me').expect(200)).body.secondFactor).toMatchObject({
      totp: true,
      passkey: false,
      enabled: true,
      required: true,
    });
    await ctx.as(promoted).get('/api/admin/users').expect(200);

    // And from now on the account signs in with a code.
    expect((await login({ email: promoted.email, password: promoted.password }).expect(401)).body.reason).toBe('mfa_required');
    await login({ email: promoted.email, password: promoted.password, otp: await ctx.otp(promoted) }).expect(200);
  });

  it('signs staff made with a TOTP secret in with a code, and they reach their routes at once', async () => {
    const reviewer = await ctx.newUser('reviewer');
    const me = await ctx.as(reviewer).get('/api/me').expect(200);
    expect(me.body.secondFactor).toMatchObject({ totp: true, passkey: false, enabled: true, required: true });
    const admin = await ctx.newAdmin();
    await ctx.as(admin).get('/api/admin/users').expect(200);
  });

  it('keeps staff from turning TOTP off (409), while a candidate can, with a current code', async () => {
    const admin = await ctx.newAdmin();
    const refused = await ctx
      .as(admin)
      .delete('/api/me/second-factor/totp', { code: await ctx.otp(admin) })
      .expect(409);
    expect(refused.body.message).toBe('Staff accounts must keep a second factor');
    expect((await ctx.as(admin).get('/api/me').expect(200)).body.secondFactor.totp).toBe(true);

    const candidate = await enrolledCandidate();
    await ctx
      .as(candidate)
      .delete('/api/me/second-factor/totp', { code: wrongCode(candidate.totpSecret!) })
      .expect(400);
    await ctx
      .as(candidate)
      .delete('/api/me/second-factor/totp', { code: await ctx.otp(candidate) })
      .expect(204);
    expect((await ctx.as(candidate).get('/api/me').expect(200)).body.secondFactor).toMatchObject({
      totp: false,
      passkey: false,
      enabled: false,
      required: false,
    });
    const [{ codes }] = await ctx.dataSource.query(`SELECT count(*)::int AS codes FROM recovery_codes WHERE user_id = $1`, [candidate.id]);
    expect(codes).toBe(0);
    await login({ email: candidate.email, password: candidate.password }).expect(200);
    await ctx.as(candidate).delete('/api/me/second-factor/totp', { code: '123456' }).expect(409);
  });

  it('throttles wrong codes on the second-factor routes too', async () => {
    const candidate = await enrolledCandidate();
    for (let i = 0; i < 5; i++) {
      await ctx
        .as(candidate)
        .post('/api/me/second-factor/recovery-codes', { code: wrongCode(candidate.totpSecret!) })
        .expect(400);
    }
    await ctx
      .as(candidate)
      .post('/api/me/second-factor/recovery-codes', { code: await ctx.otp(candidate) })
      .expect(429);
    expect((await ctx.as(candidate).get('/api/me').expect(200)).body.secondFactor.totp).toBe(true);
  });

  it('replaces the recovery codes: the old ones stop working, the new ones sign in', async () => {
    const user = await enrolledCandidate();
    const old = user.recoveryCodes!;
    const replaced = await ctx
      .as(user)
      .post('/api/me/second-factor/recovery-codes', { code: await ctx.otp(user) })
      .expect(200);
    expect(replaced.body.recoveryCodes).toHaveLength(10);
    expect(replaced.body.recoveryCodes).not.toContain(old[0]);
    expect((await login({ email: user.email, password: user.password, otp: old[0] }).expect(401)).body.reason).toBe('mfa_invalid');
    await login({ email: user.email, password: user.password, otp: replaced.body.recoveryCodes[0] }).expect(200);

    const plain = await ctx.newCandidate();
    await ctx.as(plain).post('/api/me/second-factor/recovery-codes', { code: '123456' }).expect(409);
  });

  it('user:create --totp-secret (UsersService.create via cli) gives an account that signs in with a code from that secret', async () => {
    const email = ctx.uniqueEmail('cli-admin');
    const password = 'long enough pass 1';
    const users = ctx.app.get(UsersService);
    const created = await users.create({ email, password, fullName: 'S', roles: ['admin'], totpSecret: 'jbswy3dpehpk3pxp' }, null, 'cli');
    expect(created.totpEnabledAt).toBeInstanceOf(Date);

    expect((await login({ email, password }).expect(401)).body.reason).toBe('mfa_required');
    const res = await login({ email, password, otp: totp(base32Decode('JBSWY3DPEHPK3PXP')) }).expect(200);
    expect(res.body.user).toMatchObject({ email, roles: ['admin'], secondFactor: { totp: true, required: true } });
    await ctx.http.get('/api/admin/users').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);

    await expect(
      users.create({ email: ctx.uniqueEmail('cli-bad'), password, fullName: 'S', totpSecret: 'JBSWY3DP' }, null, 'cli'),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      users.create({ email: ctx.uniqueEmail('reg'), password, fullName: 'S', totpSecret: 'JBSWY3DPEHPK3PXP' }, null, 'register'),
    ).rejects.toMatchObject({ status: 400 });
  });
});
