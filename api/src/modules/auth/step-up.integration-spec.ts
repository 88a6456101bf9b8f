import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { TestContext, type TestUser } from '../../../test/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('step-up (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let defaults: AppConfig['sessions'];
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
    defaults = { ...config.sessions };
    admin = await ctx.newAdmin();
  });
  afterEach(() => Object.assign(config.sessions, defaults));
  afterAll(() => ctx.close());

  /**
   * An administrator whose session has not proven a second factor: a candidate signed in with the
   * password alone, made admin by another admin, who then enrols TOTP in that same session.
   */
  async function adminWithoutStepUp(): Promise<TestUser> {
    const user = await ctx.newCandidate();
    await ctx
      .as(admin)
      .put(`/api/admin/users/${user.id}/roles`, { roles: ['admin'] })
      .expect(200);
    return ctx.enrolTotp(user);
  }

  it('counts a sign-in with TOTP as a step-up for STEP_UP_WINDOW_MINUTES: GET /api/me says until when', async () => {
    const me = await ctx.as(admin).get('/api/me').expect(200);
    const until = Date.parse(me.body.secondFactor.stepUpUntil);
    expect(until).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 15 * 60_000);
    expect(me.body.secondFactor).toMatchObject({ totp: true, required: true, enabled: true });
  });

  it('answers 403 step_up_required, then 204 for a current code, after which the action succeeds; audited', async () => {
    const fresh = await adminWithoutStepUp();
    const target = await ctx.newCandidate();
    const me = await ctx.as(fresh).get('/api/me').expect(200);
    expect(me.body.secondFactor.stepUpUntil).toBeNull();

    const refused = await ctx
      .as(fresh)
      .put(`/api/admin/users/${target.id}/roles`, { roles: ['candidate', 'reviewer'] })
      .expect(403);
    expect(refused.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String), reason: 'step_up_required' });

    await ctx
      .as(fresh)
      .post('/api/me/step-up', { otp: await ctx.otp(fresh) })
      .expect(204);
    const after = await ctx.as(fresh).get('/api/me').expect(200);
    expect(Date.parse(after.body.secondFactor.stepUpUntil)).toBeGreaterThan(Date.now());
    await ctx
      .as(fresh)
      .put(`/api/admin/users/${target.id}/roles`, { roles: ['candidate', 'reviewer'] })
      .expect(200);

    const [entry] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'auth.step_up' AND subject_id = $1`, [fresh.id]);
    expect(entry.data).toEqual({ sessionId: expect.any(String), with: 'totp' });
  });

  it('accepts a recovery code (used up), and is per session: another session of the same person still must step up', async () => {
    const fresh = await adminWithoutStepUp();
    const otherSession = { ...fresh };
    const login = await ctx.http
      .post('/api/auth/login')
      .send({ email: fresh.email, password: fresh.password, otp: fresh.recoveryCodes![0] })
      .expect(200);
    otherSession.accessToken = login.body.accessToken;
    // (Another person's roles: nobody changes their own, see the segregation-of-duties specs.)
    const target = await ctx.newCandidate();
    // The recovery code at sign-in proved a second factor for that session only.
    await ctx
      .as(otherSession)
      .put(`/api/admin/users/${target.id}/roles`, { roles: ['candidate'] })
      .expect(200);

    await ctx
      .as(fresh)
      .put(`/api/admin/users/${target.id}/roles`, { roles: ['candidate'] })
      .expect(403);
    await ctx.as(fresh).post('/api/me/step-up', { otp: fresh.recoveryCodes![1] }).expect(204);
    await ctx
      .as(fresh)
      .put(`/api/admin/users/${target.id}/roles`, { roles: ['candidate'] })
      .expect(200);
    // A used recovery code does not work twice.
    const again = await ctx.as(fresh).post('/api/me/step-up', { otp: fresh.recoveryCodes![1] }).expect(401);
    expect(again.body.reason).toBe('mfa_invalid');
  });

  it('refuses a wrong code with 401 mfa_invalid, a malformed one with 400; the session stays signed in', async () => {
    const fresh = await adminWithoutStepUp();
    const wrong = await ctx.as(fresh).post('/api/me/step-up', { otp: 'aaaaa-bbbbb' }).expect(401);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), reason: 'mfa_invalid' });
    await ctx.as(fresh).post('/api/me/step-up', { otp: '12345' }).expect(400);
    await ctx.as(fresh).post('/api/me/step-up', { otp: '123456', extra: true }).expect(400);
    await ctx.as(fresh).get('/api/me').expect(200);
    const [entry] = await ctx.dataSource.query(`SELECT actor_id FROM audit_log WHERE action = 'auth.step_up_failed' AND subject_id = $1`, [
      fresh.id,
    ]);
    expect(entry.actor_id).toBe(fresh.id);
  });

  it('counts wrong codes towards the sign-in throttle of the account', async () => {
    const candidate = await ctx.enrolTotp(await ctx.newCandidate());
    for (let i = 0; i < 5; i++) await ctx.as(candidate).post('/api/me/step-up', { otp: 'aaaaa-bbbbb' }).expect(401);
    // Sign-in from a device that never signed in to the account now waits (a progressive delay, not a lock).
    const signIn = await ctx.http.post('/api/auth/login').send({ email: candidate.email, password: candidate.password }).expect(429);
    expect(Number(signIn.headers['retry-after'])).toBeGreaterThan(0);
    const sixth = await ctx
      .as(candidate)
      .post('/api/me/step-up', { otp: await ctx.otp(candidate) })
      .expect(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 409 no_second_factor for an account with none', async () => {
    const candidate = await ctx.newCandidate();
    const res = await ctx.as(candidate).post('/api/me/step-up', { otp: '123456' }).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, reason: 'no_second_factor' });
  });

  it('lapses after STEP_UP_WINDOW_MINUTES', async () => {
    const fresh = await adminWithoutStepUp();
    await ctx
      .as(fresh)
      .post('/api/me/step-up', { otp: await ctx.otp(fresh) })
      .expect(204);
    // The window shortened to 1 second on this test's app.
    config.sessions.stepUpWindowSeconds = 1;
    await sleep(1200);
    const res = await ctx.as(fresh).post('/api/admin/certificates/PSF-NOPE/revoke', { reason: 'test' }).expect(403);
    expect(res.body.reason).toBe('step_up_required');
    expect((await ctx.as(fresh).get('/api/me').expect(200)).body.secondFactor.stepUpUntil).toBeNull();
  });

  it('guards every listed admin action, and says so in the OpenAPI document', async () => {
    const fresh = await adminWithoutStepUp();
    const id = '00000000-0000-4000-8000-000000000000';
    const guarded: Array<[string, 'post' | 'put', string, object]> = [
      ['/api/admin/submissions/{id}/decision', 'post', `/api/admin/submissions/${id}/decision`, { outcome: 'pass', reason: 'x' }],
      ['/api/admin/appeals/{id}/outcome', 'post', `/api/admin/appeals/${id}/outcome`, { upheld: false, note: 'x' }],
      ['/api/admin/certificates/{number}/revoke', 'post', '/api/admin/certificates/PSF-X/revoke', { reason: 'x' }],
      ['/api/admin/certificates/{number}/suspend', 'post', '/api/admin/certificates/PSF-X/suspend', { reason: 'x' }],
      ['/api/admin/certificates/{number}/reinstate', 'post', '/api/admin/certificates/PSF-X/reinstate', {}],
      ['/api/admin/users/{userId}/roles', 'put', `/api/admin/users/${id}/roles`, { roles: ['reviewer'] }],
      ['/api/admin/panels/assessors/{userId}', 'put', `/api/admin/panels/assessors/${id}`, { active: true }],
      ['/api/admin/users/{userId}/accommodations', 'put', `/api/admin/users/${id}/accommodations`, { timeMultiplier: 1.25 }],
    ];
    const docs = await ctx.http.get('/api/docs-json').expect(200);
    for (const [pattern, method, url, body] of guarded) {
      const res = await ctx.as(fresh)[method](url, body);
      expect([url, res.status, res.body.reason]).toEqual([url, 403, 'step_up_required']);
      expect([pattern, docs.body.paths[pattern]?.[method]?.responses?.['403']?.description]).toEqual([
        pattern,
        expect.stringContaining('step_up_required'),
      ]);
    }
  });
});
