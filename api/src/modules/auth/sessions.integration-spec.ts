import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { refreshCookieOf, TestContext, type TestUser } from '../../../test/test-app';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sessions (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let defaults: AppConfig['sessions'];

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
    defaults = { ...config.sessions };
  });
  // Each test that shortens a lifetime does so on this app's config only, and puts it back.
  afterEach(() => Object.assign(config.sessions, defaults));
  afterAll(() => ctx.close());

  /** A second sign-in of the same account, from another "device". */
  async function signInFrom(u: TestUser, userAgent: string): Promise<{ accessToken: string; refreshCookie: string; id: string }> {
    const otp = u.totpSecret ? await ctx.otp(u) : undefined;
    const login = await ctx.http
      .post('/api/auth/login')
      .set('User-Agent', userAgent)
      .send({ email: u.email, password: u.password, otp })
      .expect(200);
    const sessions = await ctx.http.get('/api/me/sessions').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    const current = sessions.body.find((s: { current: boolean }) => s.current);
    return { accessToken: login.body.accessToken, refreshCookie: refreshCookieOf(login), id: current.id };
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('lists the signed-in devices, newest first, with the client, address and sign-in method', async () => {
    const user = await ctx.newCandidate();
    const firefox = await signInFrom(user, FIREFOX);
    const chrome = await signInFrom(user, CHROME);

    const res = await ctx.http.get('/api/me/sessions').set(bearer(chrome.accessToken)).expect(200);
    expect(res.body).toHaveLength(3); // newUser's own sign-in, then the two above
    expect(res.body[0]).toEqual({
      id: chrome.id,
      createdAt: expect.any(String),
      lastUsedAt: expect.any(String),
      expiresAt: expect.any(String),
      client: 'Chrome on Linux',
      ipAddress: expect.stringMatching(/127\.0\.0\.1|::1/),
      signInMethod: 'password',
      current: true,
    });
    expect(res.body[1]).toMatchObject({ id: firefox.id, client: 'Firefox on Windows', current: false });
    const lifetime = Date.parse(res.body[0].expiresAt) - Date.parse(res.body[0].createdAt);
    expect(lifetime).toBe(30 * 86_400_000);

    // Another person never sees them.
    const other = await ctx.newCandidate();
    const theirs = await ctx.http.get('/api/me/sessions').set(bearer(other.accessToken)).expect(200);
    expect(theirs.body.map((s: { id: string }) => s.id)).not.toContain(chrome.id);
  });

  it('signs out one other session: its access token and refresh token stop working at once; audited', async () => {
    const user = await ctx.newCandidate();
    const laptop = await signInFrom(user, FIREFOX);
    const phone = await signInFrom(user, CHROME);

    await ctx.http.delete(`/api/me/sessions/${phone.id}`).set(bearer(laptop.accessToken)).expect(204);
    await ctx.http.get('/api/me').set(bearer(phone.accessToken)).expect(401);
    const refused = await ctx.http.post('/api/auth/refresh').set('Cookie', phone.refreshCookie).expect(401);
    expect(refused.body.reason).toBeUndefined();
    await ctx.http.get('/api/me').set(bearer(laptop.accessToken)).expect(200);

    const listed = await ctx.http.get('/api/me/sessions').set(bearer(laptop.accessToken)).expect(200);
    expect(listed.body.map((s: { id: string }) => s.id)).not.toContain(phone.id);
    // Already ended: 404, like an unknown one.
    await ctx.http.delete(`/api/me/sessions/${phone.id}`).set(bearer(laptop.accessToken)).expect(404);

    const [row] = await ctx.dataSource.query(`SELECT end_reason FROM sessions WHERE id = $1`, [phone.id]);
    expect(row.end_reason).toBe('signed_out_elsewhere');
    const [entry] = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'auth.session_ended' AND subject_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({ actor_id: user.id, data: { sessionId: phone.id, current: false } });
  });

  it("answers 404 for someone else's session, and for an unknown id; 400 for a malformed one", async () => {
    const user = await ctx.newCandidate();
    const other = await ctx.newCandidate();
    const theirs = await signInFrom(other, CHROME);

    const res = await ctx.http.delete(`/api/me/sessions/${theirs.id}`).set(bearer(user.accessToken)).expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    await ctx.http.get('/api/me').set(bearer(theirs.accessToken)).expect(200);
    await ctx.http.delete('/api/me/sessions/00000000-0000-4000-8000-000000000000').set(bearer(user.accessToken)).expect(404);
    await ctx.http.delete('/api/me/sessions/not-a-uuid').set(bearer(user.accessToken)).expect(400);
  });

  it('signs out every other session and says how many; this one stays', async () => {
    const user = await ctx.newCandidate();
    const a = await signInFrom(user, FIREFOX);
    const b = await signInFrom(user, CHROME);
    const here = await signInFrom(user, CHROME);

    const res = await ctx.http.delete('/api/me/sessions').set(bearer(here.accessToken)).expect(200);
    expect(res.body).toEqual({ ended: 3 }); // newUser's sign-in, a and b
    for (const gone of [a, b]) {
      await ctx.http.get('/api/me').set(bearer(gone.accessToken)).expect(401);
      await ctx.http.post('/api/auth/refresh').set('Cookie', gone.refreshCookie).expect(401);
    }
    await ctx.http.get('/api/me').set(bearer(here.accessToken)).expect(200);
    const listed = await ctx.http.get('/api/me/sessions').set(bearer(here.accessToken)).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: here.id, current: true })]);

    const [entry] = await ctx.dataSource.query(
      `SELECT data FROM audit_log WHERE action = 'auth.other_sessions_ended' AND subject_id = $1`,
      [user.id],
    );
    expect(entry.data).toEqual({ ended: 3 });
  });

  it('may sign out the current session itself', async () => {
    const user = await ctx.newCandidate();
    const here = await signInFrom(user, FIREFOX);
    await ctx.http.delete(`/api/me/sessions/${here.id}`).set(bearer(here.accessToken)).expect(204);
    await ctx.http.get('/api/me').set(bearer(here.accessToken)).expect(401);
    const [row] = await ctx.dataSource.query(`SELECT end_reason FROM sessions WHERE id = $1`, [here.id]);
    expect(row.end_reason).toBe('signed_out');
  });

  it('records a TOTP sign-in as such, and the user agent cut to 300 characters', async () => {
    const reviewer = await ctx.newUser('reviewer');
    const long = `${CHROME} ${'x'.repeat(500)}`;
    const session = await signInFrom(reviewer, long);
    const [row] = await ctx.dataSource.query(`SELECT sign_in_method, second_factor_at, user_agent FROM sessions WHERE id = $1`, [
      session.id,
    ]);
    expect(row.sign_in_method).toBe('totp');
    expect(row.second_factor_at).toBeInstanceOf(Date);
    expect(row.user_agent).toHaveLength(300);
  });

  it('ends a session at its absolute lifetime however it is used: 401, and the refresh says session_expired', async () => {
    // SESSION_MAX_AGE_DAYS shortened to 3 seconds on this test's app (the rule under test, not a bypass).
    config.sessions.maxAgeSeconds = 3;
    const user = await ctx.newCandidate();
    const login = await ctx.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(200);
    // The refresh cookie does not outlive the session.
    const cookie = ([] as string[]).concat(login.headers['set-cookie']).find((c) => c.startsWith('psf_refresh='))!;
    expect(Number(/Max-Age=(\d+)/.exec(cookie)?.[1])).toBeLessThanOrEqual(3);

    // Refreshing inside the lifetime works but does not extend it.
    const refreshed = await ctx.http.post('/api/auth/refresh').set('Cookie', refreshCookieOf(login)).expect(200);
    await sleep(3200);
    await ctx.http.get('/api/me').set(bearer(refreshed.body.accessToken)).expect(401);
    const res = await ctx.http.post('/api/auth/refresh').set('Cookie', refreshCookieOf(refreshed)).expect(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String), reason: 'session_expired' });
    // Ended for good: asked again, it says the same.
    const again = await ctx.http.post('/api/auth/refresh').set('Cookie', refreshCookieOf(refreshed)).expect(401);
    expect(again.body.reason).toBe('session_expired');
  });

  it('ends a staff session left unused past the idle timeout (reason session_idle); use keeps it alive; candidates are not affected', async () => {
    // STAFF_IDLE_TIMEOUT_MINUTES shortened to 4 seconds on this test's app.
    config.sessions.staffIdleSeconds = 4;
    const admin = await ctx.newAdmin();
    const candidate = await ctx.newCandidate();

    // Used every 2.5 seconds: never idle for 4.
    for (let i = 0; i < 3; i++) {
      await sleep(2500);
      await ctx.http.get('/api/me').set(bearer(admin.accessToken)).expect(200);
    }
    await sleep(4500);
    await ctx.http.get('/api/me').set(bearer(admin.accessToken)).expect(401);
    await ctx.http.get('/api/me').set(bearer(candidate.accessToken)).expect(200);
    const res = await ctx.http.post('/api/auth/refresh').set('Cookie', admin.refreshCookie).expect(401);
    expect(res.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'You were signed out after 4 seconds without activity. Sign in again to continue.',
      reason: 'session_idle',
    });

    const rows = await ctx.dataSource.query(`SELECT end_reason FROM sessions WHERE user_id = $1`, [admin.id]);
    expect(rows).toEqual([{ end_reason: 'idle' }]);
  });

  it('ends an idle staff session at the refresh too, before any other request sees it', async () => {
    config.sessions.staffIdleSeconds = 2;
    const reviewer = await ctx.newUser('reviewer');
    await sleep(2500);
    const res = await ctx.http.post('/api/auth/refresh').set('Cookie', reviewer.refreshCookie).expect(401);
    expect(res.body.reason).toBe('session_idle');
    const [entry] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'auth.session_timed_out' AND subject_id = $1`, [
      reviewer.id,
    ]);
    expect(entry.data).toEqual({ sessionId: expect.any(String), reason: 'idle' });
    config.sessions.staffIdleSeconds = defaults.staffIdleSeconds;
    await ctx.http.get('/api/me').set(bearer(reviewer.accessToken)).expect(401);
  });

  describe('the check remembered for SESSION_CHECK_CACHE_SECONDS', () => {
    const me = (token: string) => ctx.http.get('/api/me').set(bearer(token));
    /**
     * What another API replica's sign-out leaves behind: the session ended in the database by a process
     * that shares nothing else with this one. (A second Nest app in this process would not do: Passport's
     * strategies are process-wide, so both apps would check tokens with the last one's strategy.)
     */
    const endedByAnotherReplica = (sessionId: string) =>
      ctx.dataSource.query(`UPDATE sessions SET ended_at = now(), end_reason = 'signed_out_elsewhere' WHERE id = $1`, [sessionId]);

    it('a session ended by another replica is refused here once the remembered check lapses', async () => {
      config.sessions.checkCacheSeconds = 30;
      const user = await ctx.newCandidate();
      const phone = await signInFrom(user, CHROME);
      await me(phone.accessToken).expect(200); // checked, and remembered by this process
      await endedByAnotherReplica(phone.id);
      // The trade-off, shown: this process has not asked the database since (no query per request) …
      await me(phone.accessToken).expect(200);
      // … until its remembered check lapses (the setting is read on every request, so lowering it applies now).
      config.sessions.checkCacheSeconds = 1;
      await sleep(1100);
      await me(phone.accessToken).expect(401);
      await me(user.accessToken).expect(200);
    });

    it('0 seconds: every request asks the database, so a sign-out elsewhere is refused at once', async () => {
      config.sessions.checkCacheSeconds = 0;
      const user = await ctx.newCandidate();
      const phone = await signInFrom(user, CHROME);
      await me(phone.accessToken).expect(200);
      await endedByAnotherReplica(phone.id);
      await me(phone.accessToken).expect(401);
    });

    it('a session ended by this process, one or all others, is refused at once even while remembered', async () => {
      config.sessions.checkCacheSeconds = 30;
      const user = await ctx.newCandidate();
      const laptop = await signInFrom(user, FIREFOX);
      const phone = await signInFrom(user, CHROME);
      await me(phone.accessToken).expect(200);
      await me(laptop.accessToken).expect(200);
      await ctx.http.delete(`/api/me/sessions/${phone.id}`).set(bearer(laptop.accessToken)).expect(204);
      await me(phone.accessToken).expect(401);
      // Signing out every other session: the same, through SessionsRepository.endAllForUser.
      await ctx.http.delete('/api/me/sessions').set(bearer(user.accessToken)).expect(200);
      await me(laptop.accessToken).expect(401);
      await me(user.accessToken).expect(200);
    });

    it('staff sessions are checked on every request: an admin session ended elsewhere is refused at once', async () => {
      config.sessions.checkCacheSeconds = 30;
      const admin = await ctx.newAdmin();
      const second = await signInFrom(admin, CHROME);
      await me(second.accessToken).expect(200);
      await endedByAnotherReplica(second.id);
      await me(second.accessToken).expect(401);
    });

    it('what the check returns changes at once on the process that changes it: roles', async () => {
      config.sessions.checkCacheSeconds = 30;
      const admin = await ctx.newAdmin();
      const user = await ctx.newCandidate();
      expect((await me(user.accessToken).expect(200)).body.roles).toEqual(['candidate']);
      await ctx.http
        .put(`/api/admin/users/${user.id}/roles`)
        .set(bearer(admin.accessToken))
        .send({ roles: ['candidate', 'reviewer'] })
        .expect(200);
      expect((await me(user.accessToken).expect(200)).body.roles).toEqual(['candidate', 'reviewer']);
    });
  });

  it('password change ends the other sessions with the reason recorded', async () => {
    const user = await ctx.newCandidate();
    const other = await signInFrom(user, FIREFOX);
    await ctx
      .as(user)
      .put('/api/me/password', { currentPassword: user.password, newPassword: `new ${user.password} phrase` })
      .expect(204);
    await ctx.http.get('/api/me').set(bearer(other.accessToken)).expect(401);
    await ctx.http.get('/api/me').set(bearer(user.accessToken)).expect(200);
    const [row] = await ctx.dataSource.query(`SELECT end_reason FROM sessions WHERE id = $1`, [other.id]);
    expect(row.end_reason).toBe('password_changed');
  });
});
