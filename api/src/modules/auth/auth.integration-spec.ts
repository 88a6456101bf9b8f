import { refreshCookieOf, TestContext } from '../../../test/test-app';

describe('accounts (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  it('registers a candidate (202, unverified), who can then sign in and read /api/me', async () => {
    const email = ctx.uniqueEmail('reg');
    const reg = await ctx.http
      .post('/api/auth/register')
      .send({ email: `  ${email.toUpperCase()} `, password: 'a long passphrase', fullName: ' Grace Hopper ' })
      .expect(202);
    expect(reg.body).toEqual({ message: expect.any(String) });

    const login = await ctx.http.post('/api/auth/login').send({ email, password: 'a long passphrase' }).expect(200);
    expect(login.body).toMatchObject({
      accessToken: expect.any(String),
      expiresIn: 900,
      user: { id: expect.any(String), email, fullName: 'Grace Hopper', roles: ['candidate'], emailVerified: false },
    });
    expect(login.body.user).not.toHaveProperty('passwordHash');
    const cookie = ([] as string[]).concat(login.headers['set-cookie']).find((c) => c.startsWith('psf_refresh='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);

    const me = await ctx.http.get('/api/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toEqual(login.body.user);
  });

  it('refuses bad registrations with 400, creating nothing, and answers a taken email as a new one', async () => {
    const email = ctx.uniqueEmail('bad');
    const bad = [
      { email: 'not-an-email', password: 'long enough password', fullName: 'A' },
      { email, password: 'short', fullName: 'A' },
      { email, password: 'long enough password', fullName: '   ' },
      { email, password: 'long enough password' },
    ];
    for (const body of bad) {
      const res = await ctx.http.post('/api/auth/register').send(body).expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    }
    const [{ count }] = await ctx.dataSource.query('SELECT count(*)::int AS count FROM users WHERE email = $1', [email]);
    expect(count).toBe(0);

    const first = await ctx.http.post('/api/auth/register').send({ email, password: 'long enough password', fullName: 'A' }).expect(202);
    const dup = await ctx.http.post('/api/auth/register').send({ email, password: 'another long password', fullName: 'B' }).expect(202);
    expect(dup.body).toEqual(first.body);
  });

  it('rejects unknown JSON fields with 400 (no role escalation through registration)', async () => {
    const res = await ctx.http
      .post('/api/auth/register')
      .send({ email: ctx.uniqueEmail('x'), password: 'long enough password', fullName: 'Eve', roles: ['admin'] })
      .expect(400);
    expect(res.body.message).toContain('property roles should not exist');
  });

  it('answers malformed JSON with a 400 in the contract shape, never a stack trace', async () => {
    const res = await ctx.http.post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' });
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const user = await ctx.newCandidate();
    const wrong = await ctx.http.post('/api/auth/login').send({ email: user.email, password: 'wrong password!!' }).expect(401);
    const unknown = await ctx.http
      .post('/api/auth/login')
      .send({ email: ctx.uniqueEmail('nobody'), password: 'wrong password!!' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password' });
  });

  it('throttles the 6th rapid wrong login for an account with 429, even with the right password', async () => {
    const user = await ctx.newCandidate();
    for (let i = 0; i < 5; i++) {
      await ctx.http
        .post('/api/auth/login')
        .send({ email: user.email, password: `wrong-password-${i}` })
        .expect(401);
    }
    const sixth = await ctx.http.post('/api/auth/login').send({ email: user.email, password: 'wrong-password-6' }).expect(429);
    expect(sixth.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    await ctx.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(429);
  });

  it('throttles one address trying many accounts', async () => {
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`; // a range no other spec uses
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) {
        const res = await ctx.http
          .post('/api/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ email: ctx.uniqueEmail('spray'), password: 'password-spray-attempt' });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses[20]).toBe(429);
    } finally {
      ctx.app.set('trust proxy', false);
    }
  });

  it('rotates the refresh token, and a reused old token kills the whole session family', async () => {
    const user = await ctx.newCandidate();
    const first = await ctx.http.post('/api/auth/refresh').set('Cookie', user.refreshCookie).expect(200);
    expect(first.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
    const rotated = refreshCookieOf(first);
    expect(rotated).not.toBe(user.refreshCookie);

    // An attacker replays the old token: refused, and the family is revoked.
    await ctx.http.post('/api/auth/refresh').set('Cookie', user.refreshCookie).expect(401);
    // The legitimate holder's newer token and access token are dead too.
    await ctx.http.post('/api/auth/refresh').set('Cookie', rotated).expect(401);
    await ctx.http.get('/api/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(401);

    const [row] = await ctx.dataSource.query(`SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [
      user.id,
    ]);
    expect(row.live).toBe(0);
  });

  it('stores refresh tokens only as hashes', async () => {
    const user = await ctx.newCandidate();
    const raw = user.refreshCookie.split('=')[1];
    const rows = await ctx.dataSource.query(`SELECT token_hash FROM refresh_tokens WHERE user_id = $1`, [user.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).not.toContain(raw);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logout ends the session: refresh and the access token stop working', async () => {
    const user = await ctx.newCandidate();
    await ctx.http.post('/api/auth/logout').set('Cookie', user.refreshCookie).expect(204);
    await ctx.http.post('/api/auth/refresh').set('Cookie', user.refreshCookie).expect(401);
    await ctx.http.get('/api/me').set('Authorization', `Bearer ${user.accessToken}`).expect(401);
  });

  it('requires a valid bearer token for /api/me', async () => {
    await ctx.http.get('/api/me').expect(401);
    await ctx.http.get('/api/me').set('Authorization', 'Bearer not-a-jwt').expect(401);
  });

  it('enforces roles: a candidate calling an admin endpoint gets 403', async () => {
    const candidate = await ctx.newCandidate();
    const res = await ctx.http.get('/api/admin/users').set('Authorization', `Bearer ${candidate.accessToken}`).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    const reviewer = await ctx.newUser('reviewer');
    await ctx.http.get('/api/admin/audit/verify').set('Authorization', `Bearer ${reviewer.accessToken}`).expect(403);
  });

  it('applies a role change at once and audits it', async () => {
    const admin = await ctx.newAdmin();
    const user = await ctx.newCandidate();
    await ctx.http.get('/api/admin/users').set('Authorization', `Bearer ${user.accessToken}`).expect(403);
    const res = await ctx.http
      .put(`/api/admin/users/${user.id}/roles`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ roles: ['candidate', 'reviewer'] })
      .expect(200);
    expect(res.body.roles).toEqual(['candidate', 'reviewer']);
    const me = await ctx.http.get('/api/me').set('Authorization', `Bearer ${user.accessToken}`).expect(200);
    expect(me.body.roles).toEqual(['candidate', 'reviewer']);

    const [entry] = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'user.roles_changed' AND subject_id = $1`,
      [user.id],
    );
    expect(entry).toEqual({ actor_id: admin.id, data: { from: ['candidate'], to: ['candidate', 'reviewer'] } });

    await ctx.http
      .put(`/api/admin/users/${user.id}/roles`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ roles: ['superuser'] })
      .expect(400);
    await ctx.http
      .put(`/api/admin/users/00000000-0000-4000-8000-000000000000/roles`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ roles: ['reviewer'] })
      .expect(404);
  });

  it('audits account creation, login and logout', async () => {
    const user = await ctx.newCandidate();
    await ctx.http.post('/api/auth/logout').set('Cookie', user.refreshCookie).expect(204);
    const rows: Array<{ action: string }> = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`, [
      user.id,
    ]);
    expect(rows.map((r) => r.action)).toEqual(['user.created', 'auth.login', 'auth.logout']);
  });
});
