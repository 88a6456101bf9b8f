import { type Browser, type Page } from 'playwright-core';
import { adminToken, apiCall, newCandidate } from './support/api';
import { readState } from './support/platform';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';

describe('AIDA examination in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  async function signInCandidate(page: Page, who: { email: string; password: string }) {
    await signIn(page, who);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
  }

  async function startExam(page: Page) {
    await page.getByRole('link', { name: 'Take the AIDA exam' }).click();
    await page.getByRole('heading', { name: 'AIDA examination' }).waitFor();
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page.getByRole('heading', { name: 'Question 1 of 22' }).waitFor();
  }

  const saved = (page: Page) => page.getByTestId('save-status').getByText('All answers saved').waitFor();

  /** Seconds left as the page shows them (the countdown's machine-readable datetime, PT<n>S). */
  const shownSeconds = async (page: Page) => Number((await page.locator('.countdown time').getAttribute('datetime'))!.replace(/\D/g, ''));

  /** Seconds left on the server, from the attempt's own deadline and serverTime. */
  async function serverSeconds(token: string, attemptId: string): Promise<{ status: string; seconds: number }> {
    const a = await apiCall<{ status: string; deadline: string; serverTime: string }>(
      'GET',
      `/api/exams/aida/attempts/${attemptId}`,
      token,
    );
    return { status: a.status, seconds: (Date.parse(a.deadline) - Date.parse(a.serverTime)) / 1000 };
  }

  /** Waits until the page's countdown is within 2 s of the server's (it resynchronises on its own). */
  async function expectCountdownFollowsServer(page: Page, token: string, attemptId: string): Promise<void> {
    let last = '';
    for (let i = 0; i < 40; i++) {
      const server = await serverSeconds(token, attemptId);
      const shown = await shownSeconds(page);
      expect(server.status).toBe('in_progress');
      if (Math.abs(shown - server.seconds) <= 2) return;
      last = `page shows ${shown} s, server has ${server.seconds.toFixed(1)} s`;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the countdown did not follow the server: ${last}`);
  }

  /** A candidate in an attempt, on a page whose clock the test controls (Playwright's fake clock). */
  async function attemptWithFakeClock(label: string) {
    const candidate = await newCandidate(label);
    const page = await newPage(browser);
    await page.clock.install();
    await signInCandidate(page, candidate);
    await startExam(page);
    await page.getByRole('radio').first().check();
    await saved(page);
    const attemptId = page.url().split('/attempts/')[1].split('?')[0];
    await expectCountdownFollowsServer(page, candidate.token, attemptId);
    return { candidate, page, attemptId };
  }

  it('a candidate sits the whole exam with the keyboard and sees the result by domain', async () => {
    const candidate = await newCandidate('full');
    const page = await newPage(browser);
    await signInCandidate(page, candidate);
    await page.getByRole('link', { name: 'Take the AIDA exam' }).click();
    await page.getByRole('heading', { name: 'AIDA examination' }).waitFor();
    await page.getByText('Time limit: 30 minutes').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page.getByRole('heading', { name: 'Question 1 of 22' }).waitFor();
    await expectAccessible(page);

    for (let n = 1; n <= 22; n++) {
      await page.getByRole('heading', { name: `Question ${n} of 22` }).waitFor();
      // Keyboard only: Tab into the radio group, Space selects, arrows move the choice.
      await page.getByRole('radio').first().focus();
      await page.keyboard.press('Space');
      if (n % 3 === 0) await page.keyboard.press('ArrowDown');
      // The choice shows as made before the candidate moves on (a failure points here, not at the review page).
      await page.locator('fieldset.question input[type="radio"]:checked').waitFor();
      if (n === 4) {
        await page.getByRole('button', { name: 'Flag for review' }).focus();
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: 'Unflag' }).waitFor();
      }
      const next = page.getByRole('button', { name: n < 22 ? 'Next' : 'Review answers' });
      await next.focus();
      await page.keyboard.press('Enter');
    }
    await page.getByRole('heading', { name: 'Review your answers' }).waitFor();
    await page.getByRole('heading', { name: 'Unanswered (0)' }).waitFor();
    await page.getByRole('heading', { name: 'Flagged for review (1)' }).waitFor();
    await page.getByRole('button', { name: /Question 4 \(/ }).waitFor();
    await saved(page);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Submit the examination' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.getByRole('heading', { name: /You passed the AIDA examination|You did not pass this time/ }).waitFor();
    await page.getByText(/of 20 correct/).waitFor();
    await page.getByRole('cell', { name: 'D01 Data Governance & PII' }).waitFor();
    await page.getByRole('cell', { name: 'D08 Ethics & Accountability' }).waitFor();
    await expectAccessible(page);

    const attempts = await apiCall<Array<{ id: string; status: string; scorePercent: number }>>(
      'GET',
      '/api/exams/aida/attempts',
      candidate.token,
    );
    expect(attempts).toHaveLength(1);
    expect(attempts[0].status).toBe('submitted');
    // Every answer the page showed as given reached the server.
    const detail = await apiCall<{ questions: unknown[]; answers: Array<{ optionId: string | null }> }>(
      'GET',
      `/api/exams/aida/attempts/${attempts[0].id}`,
      candidate.token,
    );
    expect(detail.answers.filter((a) => a.optionId)).toHaveLength(detail.questions.length);
    await page.context().close();
  });

  it('a reload mid-exam keeps every answer and flag', async () => {
    const candidate = await newCandidate('reload');
    const page = await newPage(browser);
    await signInCandidate(page, candidate);
    await startExam(page);
    const chosen: string[] = [];
    for (let n = 1; n <= 3; n++) {
      // The question is on screen before its option is read: right after "Next" the previous one may still be.
      await page.getByRole('heading', { name: `Question ${n} of 22` }).waitFor();
      const option = page.getByRole('radio').nth(n);
      chosen.push((await option.getAttribute('value'))!);
      await option.check();
      if (n === 2) await page.getByRole('button', { name: 'Flag for review' }).click();
      await page.getByRole('button', { name: 'Next' }).click();
    }
    await saved(page);
    await page.reload();
    for (let n = 1; n <= 3; n++) {
      await page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) }).click();
      await page.getByRole('heading', { name: `Question ${n} of 22` }).waitFor();
      expect(await page.locator(`input[value="${chosen[n - 1]}"]`).isChecked()).toBe(true);
    }
    await page.getByRole('button', { name: 'Question 2, answered, flagged' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('saves answers given while offline once the connection returns', async () => {
    const candidate = await newCandidate('offline');
    const page = await newPage(browser);
    await signInCandidate(page, candidate);
    await startExam(page);
    await page.context().setOffline(true);
    await page.getByRole('radio').first().check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('radio').nth(2).check();
    await page.getByTestId('save-status').getByText('Offline — 2 answers waiting to be sent').waitFor();
    await expectAccessible(page);

    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await saved(page);
    const [attempt] = await apiCall<Array<{ id: string }>>('GET', '/api/exams/aida/attempts', candidate.token);
    const detail = await apiCall<{ answers: Array<{ optionId: string | null }> }>(
      'GET',
      `/api/exams/aida/attempts/${attempt.id}`,
      candidate.token,
    );
    expect(detail.answers.filter((a) => a.optionId)).toHaveLength(2);
    await page.context().close();
  });

  it('a page left open for longer than the time limit (its clock run ahead) is never submitted early', async () => {
    const { candidate, page, attemptId } = await attemptWithFakeClock('long-open');
    // The page's clock runs 31 minutes ahead of the server's, past the 30-minute limit: its countdown
    // reaches zero, it asks the server, and the server (29-odd minutes left) keeps the attempt open.
    await page.clock.fastForward('31:00');
    await expectCountdownFollowsServer(page, candidate.token, attemptId);
    await page.getByRole('heading', { name: /Question 1 of/ }).waitFor();
    await page.getByRole('radio').nth(1).check();
    await saved(page);
    expect((await serverSeconds(candidate.token, attemptId)).status).toBe('in_progress');
    await expectAccessible(page);
    await page.context().close();
  });

  it('hiding the tab and showing it again resynchronises the countdown with the server', async () => {
    const { candidate, page, attemptId } = await attemptWithFakeClock('hidden-tab');
    const setVisibility = (state: 'hidden' | 'visible') =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      }, state);
    await setVisibility('hidden');
    await page.clock.fastForward('12:00');
    await setVisibility('visible');
    await expectCountdownFollowsServer(page, candidate.token, attemptId);
    await page.context().close();
  });

  it('a connection lost and regained never ends the attempt and the countdown follows the server', async () => {
    const { candidate, page, attemptId } = await attemptWithFakeClock('reconnect');
    await page.context().setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.getByRole('radio').nth(2).check();
    await page.clock.fastForward('20:00');
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await saved(page);
    await expectCountdownFollowsServer(page, candidate.token, attemptId);
    // And past the whole limit on the page's clock: still open, because the server says so.
    await page.context().setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.clock.fastForward('15:00');
    await page.context().setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expectCountdownFollowsServer(page, candidate.token, attemptId);
    const detail = await apiCall<{ answers: Array<{ optionId: string | null }> }>(
      'GET',
      `/api/exams/aida/attempts/${attemptId}`,
      candidate.token,
    );
    expect(detail.answers.filter((a) => a.optionId)).toHaveLength(1);
    await page.context().close();
  });

  it('an attempt that runs out of time ends on its result page', async () => {
    const admin = await adminToken();
    await apiCall('PATCH', '/api/admin/exams/aida', admin, { timeLimitSeconds: 6 });
    try {
      const candidate = await newCandidate('timeout');
      const page = await newPage(browser);
      await signInCandidate(page, candidate);
      await startExam(page);
      await page.getByRole('radio').first().check();
      await page.getByRole('heading', { name: 'You did not pass this time' }).waitFor({ timeout: 20_000 });
      await page.getByText('Time ran out').waitFor();
      await expectAccessible(page);
      await page.context().close();
    } finally {
      await apiCall('PATCH', '/api/admin/exams/aida', admin, { timeLimitSeconds: 1800 });
    }
  });

  it('an administrator sets an accommodation and sees attempts', async () => {
    const candidate = await newCandidate('accommodated');
    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('link', { name: /AIDA examination settings/ }).click();
    await page.getByRole('heading', { name: 'AIDA examination settings' }).waitFor();
    await expectAccessible(page);
    // Accommodations are on the candidate's page: found through People, whatever the number of candidates.
    await page.getByRole('link', { name: 'People', exact: true }).last().click();
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await page.getByLabel('Name or e-mail address').fill(candidate.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '1 person found' }).waitFor();
    await page.getByRole('link', { name: candidate.fullName }).click();
    await page.getByRole('heading', { name: 'AIDA time accommodation' }).waitFor();
    await page.getByText(/has the standard time limit \(multiplier 1\.0\)/).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Time multiplier').fill('1.5');
    await page.getByRole('button', { name: 'Save accommodation' }).click();
    await page.getByText(/Accommodation saved\./).waitFor();
    await page.getByText(/attempts get 1\.5× the time limit\. Last set/).waitFor();
    await expectAccessible(page);
    const info = await apiCall<{ yourTimeLimitSeconds: number }>('GET', '/api/exams/aida', candidate.token);
    expect(info.yourTimeLimitSeconds).toBe(2700);
    await page.context().close();
  });
});
