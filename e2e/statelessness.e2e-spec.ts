import { type ChildProcess } from 'node:child_process';
import { apiCall, newCandidate } from './support/api';
import { freePort, platformEnv, readState, startProcess } from './support/platform';

/** Architecture: API processes are stateless; any replica can serve any request of a session. */
describe('two API processes against one database', () => {
  let second: ChildProcess;
  let secondUrl: string;

  beforeAll(async () => {
    const state = readState();
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    second = startProcess({ ...platformEnv(state, port), MIGRATIONS_RUN: 'true' }, 'main.js', state.dataDir);
    // A boot takes seconds on an idle machine and much longer on a loaded one: wait as long as the
    // global setup does for the first process, but stop at once if the process has died.
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      if (second.exitCode !== null)
        throw new Error(`the second API process exited (${second.exitCode}): see main.js.log in ${state.dataDir}`);
      const up = await fetch(`${secondUrl}/api/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the second API process was not ready (/api/health/ready) within 90 s');
  }, 100_000);
  afterAll(() => {
    second.kill('SIGTERM');
  });

  it('serves one session and one exam attempt across both processes', async () => {
    const first = readState().baseUrl;
    const candidate = await newCandidate('replica');
    // Signed in on the first process; the second accepts the token.
    const me = await fetch(`${secondUrl}/api/me`, { headers: { Authorization: `Bearer ${candidate.token}` } });
    expect(me.status).toBe(200);

    // The refresh cookie issued by the first process rotates on the second.
    const login = await fetch(`${first}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: candidate.email, password: candidate.password }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const refreshed = await fetch(`${secondUrl}/api/auth/refresh`, { method: 'POST', headers: { Cookie: cookie } });
    expect(refreshed.status).toBe(200);
    // …and the old one is then refused on the first: reuse detection sees the same database.
    expect((await fetch(`${first}/api/auth/refresh`, { method: 'POST', headers: { Cookie: cookie } })).status).toBe(401);

    // An attempt started on one process takes answers on the other and resumes on the first.
    const attempt = await apiCall<{ id: string; questions: Array<{ id: string; options: Array<{ id: string }> }> }>(
      'POST',
      '/api/exams/aida/attempts',
      candidate.token,
    );
    const q = attempt.questions[0];
    const saved = await fetch(`${secondUrl}/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${candidate.token}` },
      body: JSON.stringify({ optionId: q.options[2].id, clientSeq: 1 }),
    });
    expect(saved.status).toBe(200);
    const resumed = await apiCall<{ answers: Array<{ questionId: string; optionId: string }> }>(
      'GET',
      `/api/exams/aida/attempts/${attempt.id}`,
      candidate.token,
    );
    expect(resumed.answers).toEqual([{ questionId: q.id, optionId: q.options[2].id, flagged: false }]);
  });
});
