import { randomInt } from 'node:crypto';
import { refreshCookieOf, TestContext, type TestUser } from '../../../test/test-app';
import { SoftAuthenticator } from '../../../test/soft-authenticator';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';

describe('passkeys: enrolment, sign-in and step-up (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let origin: string;
  // Each test signs in from its own address, so its failures never throttle another test (or suite).
  let ip: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
    origin = new URL(ctx.app.get<AppConfig>(APP_CONFIG).publicUrl).origin;
  });
  beforeEach(() => {
    ip = `198.51.100.${randomInt(1, 255)}`;
  });
  afterAll(() => ctx.close());

  /** Enrols a passkey held by `authenticator` through the API; answers the enrolment's body. */
  async function enrol(user: TestUser, authenticator: SoftAuthenticator, name = 'Laptop') {
    const started = await ctx.as(user).post('/api/me/second-factor/passkeys/options').expect(200);
    const response = authenticator.register(started.body.options);
    return (await ctx.as(user).post('/api/me/second-factor/passkeys', { name, response }).expect(201)).body;
  }

  /** Proves the second factor again in the user's session with the passkey (the step-up). */
  async function stepUp(user: TestUser, authenticator: SoftAuthenticator) {
    const started = await ctx.as(user).post('/api/me/step-up/passkey/options').expect(200);
    const response = authenticator.authenticate(started.body.options);
    await ctx.as(user).post('/api/me/step-up/passkey', { challengeId: started.body.challengeId, response }).expect(204);
  }

  async function signInOptions() {
    return (await ctx.http.post('/api/auth/passkey/options').set('X-Forwarded-For', ip).expect(200)).body as {
      challengeId: string;
      options: { challenge: string; rpId: string; allowCredentials?: Array<{ id: string }>; userVerification: string };
    };
  }

  const passkeySignIn = (body: object) => ctx.http.post('/api/auth/passkey').set('X-Forwarded-For', ip).send(body);
  const login = (body: { email: string; password: string; otp?: string }) =>
    ctx.http.post('/api/auth/login').set('X-Forwarded-For', ip).send(body);

  /** The entries' data, with the personal part (the client address) that is kept beside the chain merged back in. */
  async function audit(userId: string, action: string): Promise<Array<Record<string, unknown>>> {
    const rows: Array<{ data: Record<string, unknown> }> = await ctx.dataSource.query(
      `SELECT (a.data - 'personalData') || coalesce(p.data, '{}'::jsonb) AS data FROM audit_log a LEFT JOIN audit_personal_data p ON p.entry_id = a.id WHERE a.subject_id = $1 AND a.action = $2 ORDER BY a.id`,
      [userId, action],
    );
    return rows.map((r) => r.data);
  }

  it('enrols a passkey: discoverable with user verification, the first one answers recovery codes, the next excludes it', async () => {
    const user = await ctx.newCandidate();
    const authenticator = new SoftAuthenticator(origin);

    const started = await ctx.as(user).post('/api/me/second-factor/passkeys/options').expect(200);
    expect(started.body.options).toMatchObject({
      rp: { id: new URL(origin).hostname, name: expect.any(String) },
      user: { name: user.email, displayName: user.fullName },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
      excludeCredentials: [],
    });
    const response = authenticator.register(started.body.options);
    const first = await ctx.as(user).post('/api/me/second-factor/passkeys', { name: '  Work laptop ', response }).expect(201);
    expect(first.body).toEqual({
      id: expect.any(String),
      name: 'Work laptop',
      createdAt: expect.any(String),
      recoveryCodes: expect.arrayContaining([expect.stringMatching(/^[a-z2-7]{5}-[a-z2-7]{5}$/)]),
    });
    expect(first.body.recoveryCodes).toHaveLength(10);

    // The same answer again: its challenge is used up.
    const replayed = await ctx.as(user).post('/api/me/second-factor/passkeys', { name: 'Again', response }).expect(400);
    expect(replayed.body.message).toMatch(/could not be added/);

    const me = await ctx.as(user).get('/api/me').expect(200);
    expect(me.body.secondFactor).toMatchObject({ totp: false, passkey: true, enabled: true, required: false });

    // A second passkey needs a recent proof of the first (a stolen session must not add its own).
    const early = await ctx.as(user).post('/api/me/second-factor/passkeys/options').expect(403);
    expect(early.body.reason).toBe('step_up_required');
    await stepUp(user, authenticator);
    // The first is excluded, and no new recovery codes (the saved ones stay good).
    const next = await ctx.as(user).post('/api/me/second-factor/passkeys/options').expect(200);
    expect(next.body.options.excludeCredentials).toEqual([expect.objectContaining({ id: response.id })]);
    const second = await ctx
      .as(user)
      .post('/api/me/second-factor/passkeys', { name: 'Phone', response: new SoftAuthenticator(origin).register(next.body.options) })
      .expect(201);
    expect(second.body.recoveryCodes).toBeUndefined();

    const list = await ctx.as(user).get('/api/me/second-factor/passkeys').expect(200);
    expect(list.body).toEqual([
      { id: first.body.id, name: 'Work laptop', createdAt: first.body.createdAt, lastUsedAt: expect.any(String) }, // the step-up
      { id: second.body.id, name: 'Phone', createdAt: second.body.createdAt, lastUsedAt: null },
    ]);
    expect(await audit(user.id, 'auth.passkey_added')).toEqual([
      { passkeyId: first.body.id, name: 'Work laptop', first: true },
      { passkeyId: second.body.id, name: 'Phone', first: false },
    ]);
    // Only the public key is kept.
    const [row] = await ctx.dataSource.query(`SELECT public_key, transports FROM passkeys WHERE id = $1`, [first.body.id]);
    expect(row.transports).toEqual(['internal']);
  });

  it('refuses an enrolment signed for another origin, and unknown fields in the answer', async () => {
    const user = await ctx.newCandidate();
    const started = await ctx.as(user).post('/api/me/second-factor/passkeys/options').expect(200);
    const response = new SoftAuthenticator(origin).register(started.body.options, { origin: 'https://evil.example' });
    await ctx.as(user).post('/api/me/second-factor/passkeys', { name: 'Laptop', response }).expect(400);
    const extra = await ctx
      .as(user)
      .post('/api/me/second-factor/passkeys', { name: 'Laptop', response: { ...response, extra: 1 } })
      .expect(400);
    expect(extra.body.message).toMatch(/extra should not exist/);
    expect((await ctx.as(user).get('/api/me/second-factor/passkeys').expect(200)).body).toEqual([]);
  });

  it('signs in with a passkey alone: the login answer, a refresh cookie, a passkey session; the password then asks for the passkey', async () => {
    const user = await ctx.newCandidate();
    const authenticator = new SoftAuthenticator(origin);
    const enrolled = await enrol(user, authenticator);

    const { challengeId, options } = await signInOptions();
    // Discoverable: the browser is not told which passkeys exist.
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    const ok = await passkeySignIn({ challengeId, response: authenticator.authenticate(options) }).expect(200);
    expect(ok.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: expect.any(Number),
      user: expect.objectContaining({ id: user.id, email: user.email, secondFactor: expect.objectContaining({ passkey: true }) }),
    });
    expect(refreshCookieOf(ok)).toMatch(/^psf_refresh=/);
    const me = await ctx.http.get('/api/me').set('Authorization', `Bearer ${ok.body.accessToken}`).expect(200);
    expect(me.body.id).toBe(user.id);
    const [session] = await ctx.dataSource.query(
      `SELECT sign_in_method, second_factor_at FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [user.id],
    );
    expect(session.sign_in_method).toBe('passkey');
    expect(session.second_factor_at).not.toBeNull();
    expect((await audit(user.id, 'auth.login')).at(-1)).toEqual({ ip, mfa: 'passkey' });
    // The address is personal data: the chained entry holds only its salted digest, so erasing the account erases it.
    const [chained] = await ctx.dataSource.query(
      `SELECT data FROM audit_log WHERE subject_id = $1 AND action = 'auth.login' ORDER BY id DESC LIMIT 1`,
      [user.id],
    );
    expect(chained.data).toEqual({ mfa: 'passkey', personalData: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const [passkey] = await ctx.dataSource.query(`SELECT counter, last_used_at FROM passkeys WHERE id = $1`, [enrolled.id]);
    expect(passkey).toEqual({ counter: '1', last_used_at: expect.any(Date) });

    // The password alone no longer signs in: the answer names the passkey as the way to finish.
    const password = await login({ email: user.email, password: user.password }).expect(401);
    expect(password.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringMatching(/passkey/),
      reason: 'mfa_required',
      methods: ['passkey'],
    });
    // A recovery code still finishes a password sign-in (a lost passkey must not lock anyone out).
    await login({ email: user.email, password: user.password, otp: enrolled.recoveryCodes[0] }).expect(200);

    // Adding an authenticator app needs the passkey proven recently: not in the password-only first session…
    const early = await ctx.as(user).post('/api/me/second-factor/totp').expect(403);
    expect(early.body.reason).toBe('step_up_required');
    // …but in the passkey's session. With TOTP as well, both are offered.
    user.accessToken = ok.body.accessToken;
    await ctx.enrolTotp(user);
    const both = await login({ email: user.email, password: user.password }).expect(401);
    expect(both.body.methods).toEqual(['totp', 'passkey']);
  });

  it('answers one 401 for a replayed challenge, an unknown passkey and another origin, and counts each towards the address limit', async () => {
    const user = await ctx.newCandidate();
    const authenticator = new SoftAuthenticator(origin);
    await enrol(user, authenticator);

    const first = await signInOptions();
    const response = authenticator.authenticate(first.options);
    await passkeySignIn({ challengeId: first.challengeId, response }).expect(200);
    const replayed = await passkeySignIn({ challengeId: first.challengeId, response }).expect(401);

    const second = await signInOptions();
    const stranger = new SoftAuthenticator(origin);
    stranger.register({ challenge: 'x', rp: {}, user: { id: Buffer.from('someone').toString('base64url') } });
    const unknown = await passkeySignIn({ challengeId: second.challengeId, response: stranger.authenticate(second.options) }).expect(401);

    const third = await signInOptions();
    const phished = await passkeySignIn({
      challengeId: third.challengeId,
      response: authenticator.authenticate(third.options, { origin: 'https://psf-certification.example.net' }),
    }).expect(401);

    for (const refused of [replayed, unknown, phished]) {
      expect(refused.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: replayed.body.message });
      expect(refused.headers['set-cookie']).toBeUndefined();
    }
    const [counter] = await ctx.dataSource.query(`SELECT hits FROM rate_limit_counters WHERE key = $1`, [`login:ip:${ip}`]);
    expect(counter.hits).toBe(3);
    // The bad signature names its account in the audit log; the other two had none to name.
    expect((await audit(user.id, 'auth.login_failed')).at(-1)).toMatchObject({ ip, method: 'passkey', reason: 'signature' });

    // The challenge the phished answer carried is used up too: a correct answer to it is refused.
    await passkeySignIn({ challengeId: third.challengeId, response: authenticator.authenticate(third.options) }).expect(401);
  });

  it('refuses and audits a counter that went back (a cloned authenticator)', async () => {
    const user = await ctx.newCandidate();
    const authenticator = new SoftAuthenticator(origin);
    const enrolled = await enrol(user, authenticator);
    for (let i = 0; i < 2; i++) {
      const { challengeId, options } = await signInOptions();
      await passkeySignIn({ challengeId, response: authenticator.authenticate(options) }).expect(200);
    }
    const [credential] = authenticator.credentials;
    credential.counter = 0; // the copy signs with counter 1, behind the 2 already seen
    const { challengeId, options } = await signInOptions();
    await passkeySignIn({ challengeId, response: authenticator.authenticate(options) }).expect(401);
    expect(await audit(user.id, 'auth.passkey_counter_regression')).toEqual([
      { passkeyId: enrolled.id, storedCounter: 2, presentedCounter: 1 },
    ]);
    const [row] = await ctx.dataSource.query(`SELECT counter FROM passkeys WHERE id = $1`, [enrolled.id]);
    expect(row.counter).toBe('2');
  });

  it('steps up with my own passkey (204) and refuses another account’s passkey', async () => {
    const user = await ctx.newCandidate();
    const mine = new SoftAuthenticator(origin);
    await enrol(user, mine);
    const other = await ctx.newCandidate();
    const theirs = new SoftAuthenticator(origin);
    await enrol(other, theirs);
    // Signed in with a password alone: this session has proven no second factor yet.

    // Another account's passkey, answering my challenge: refused, and nothing recorded.
    const started = await ctx.as(user).post('/api/me/step-up/passkey/options').expect(200);
    expect(started.body.options.allowCredentials).toEqual([expect.objectContaining({ id: mine.credentials[0].id.toString('base64url') })]);
    const foreign = theirs.authenticate({ ...started.body.options, allowCredentials: [] });
    const refused = await ctx
      .as(user)
      .post('/api/me/step-up/passkey', { challengeId: started.body.challengeId, response: foreign })
      .expect(401);
    expect(refused.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringMatching(/passkeys of this account/),
      reason: 'mfa_invalid',
    });
    const [before] = await ctx.dataSource.query(`SELECT second_factor_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(before.second_factor_at).toBeNull();

    // Another account's challenge cannot be answered by me either.
    const theirChallenge = await ctx.as(other).post('/api/me/step-up/passkey/options').expect(200);
    await ctx
      .as(user)
      .post('/api/me/step-up/passkey', {
        challengeId: theirChallenge.body.challengeId,
        response: mine.authenticate({ ...theirChallenge.body.options, allowCredentials: [] }),
      })
      .expect(401);

    const again = await ctx.as(user).post('/api/me/step-up/passkey/options').expect(200);
    await ctx
      .as(user)
      .post('/api/me/step-up/passkey', { challengeId: again.body.challengeId, response: mine.authenticate(again.body.options) })
      .expect(204);
    const [after] = await ctx.dataSource.query(`SELECT second_factor_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(after.second_factor_at).not.toBeNull();
    expect((await audit(user.id, 'auth.step_up')).at(-1)).toMatchObject({ method: 'passkey' });

    // No passkey, no step-up by passkey.
    const plain = await ctx.newCandidate();
    const none = await ctx.as(plain).post('/api/me/step-up/passkey/options').expect(409);
    expect(none.body.reason).toBe('no_passkey');
  });

  it("limits refused passkey step-ups like wrong codes: the session owner's 6th try is 429, even with a good answer; sign-in is not blocked", async () => {
    const user = await ctx.newCandidate();
    const mine = new SoftAuthenticator(origin);
    await enrol(user, mine);
    const theirs = new SoftAuthenticator(origin);
    await enrol(await ctx.newCandidate(), theirs);

    for (let i = 0; i < 5; i++) {
      const started = await ctx.as(user).post('/api/me/step-up/passkey/options').expect(200);
      const foreign = theirs.authenticate({ ...started.body.options, allowCredentials: [] });
      await ctx.as(user).post('/api/me/step-up/passkey', { challengeId: started.body.challengeId, response: foreign }).expect(401);
    }
    const started = await ctx.as(user).post('/api/me/step-up/passkey/options').expect(200);
    const refused = await ctx
      .as(user)
      .post('/api/me/step-up/passkey', { challengeId: started.body.challengeId, response: mine.authenticate(started.body.options) })
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/^Too many failed step-ups; try again in \d+ seconds$/);
    const [session] = await ctx.dataSource.query(`SELECT second_factor_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(session.second_factor_at).toBeNull();
    // The step-up by code shares the count: the session owner waits for the window either way.
    await ctx.as(user).post('/api/me/step-up', { otp: 'aaaaa-bbbbb' }).expect(429);

    // No secret was guessed, so signing in with the passkey elsewhere is not slowed.
    const { challengeId, options } = await signInOptions();
    const signedIn = await passkeySignIn({ challengeId, response: mine.authenticate(options) }).expect(200);
    expect(signedIn.body.user.id).toBe(user.id);
  });

  it('lets a candidate remove their last passkey (recovery codes go too), but not a staff account its last second factor', async () => {
    const candidate = await ctx.newCandidate();
    const authenticator = new SoftAuthenticator(origin);
    const key = await enrol(candidate, authenticator);
    // Only with a recent proof of a second factor (a stolen session must not strip them).
    const early = await ctx.as(candidate).delete(`/api/me/second-factor/passkeys/${key.id}`).expect(403);
    expect(early.body.reason).toBe('step_up_required');
    await stepUp(candidate, authenticator);
    await ctx.as(candidate).delete(`/api/me/second-factor/passkeys/${key.id}`).expect(204);
    await ctx.as(candidate).delete(`/api/me/second-factor/passkeys/${key.id}`).expect(404);
    const [codes] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM recovery_codes WHERE user_id = $1`, [candidate.id]);
    expect(codes.n).toBe(0);
    expect((await ctx.as(candidate).get('/api/me').expect(200)).body.secondFactor).toMatchObject({ passkey: false, enabled: false });
    expect(await audit(candidate.id, 'auth.passkey_removed')).toEqual([{ passkeyId: key.id, name: 'Laptop', lastSecondFactor: true }]);

    // A reviewer (created with TOTP) adds a passkey, then turns TOTP off: the passkey alone keeps the account enrolled.
    const reviewer = await ctx.newUser('reviewer');
    const staffKey = await enrol(reviewer, new SoftAuthenticator(origin));
    expect(staffKey.recoveryCodes).toBeUndefined();
    await ctx
      .as(reviewer)
      .delete('/api/me/second-factor/totp', { code: await ctx.otp(reviewer) })
      .expect(204);
    const me = await ctx.as(reviewer).get('/api/me').expect(200);
    expect(me.body.secondFactor).toMatchObject({ totp: false, passkey: true, enabled: true, required: true });
    await ctx.as(reviewer).get('/api/me/second-factor/passkeys').expect(200);

    const refused = await ctx.as(reviewer).delete(`/api/me/second-factor/passkeys/${staffKey.id}`).expect(409);
    expect(refused.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringMatching(/Staff accounts/),
      reason: 'last_second_factor',
    });
    expect((await ctx.as(reviewer).get('/api/me/second-factor/passkeys').expect(200)).body).toHaveLength(1);
    // Another user's passkey is not found, let alone removed.
    await ctx.as(candidate).delete(`/api/me/second-factor/passkeys/${staffKey.id}`).expect(404);
  });
});
