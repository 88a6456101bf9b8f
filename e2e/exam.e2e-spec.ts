import { Browser, Page } from 'playwright-core';
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
    await page.getByRole('link', { name: 'AIDA examination' }).click();
    await page.getByRole('heading', { name: 'AIDA examination' }).waitFor();
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page.getByRole('heading', { name: 'Question 1 of 20' }).waitFor();
  }

  const saved = (page: Page) => page.getByTestId('save-status').getByText('All answers saved').waitFor();

  it('a candidate sits the whole exam with the keyboard and sees the result by domain', async () => {
    const candidate = await newCandidate('full');
    const page = await newPage(browser);
    await signInCandidate(page, candidate);
    await page.getByRole('link', { name: 'AIDA examination' }).click();
    await page.getByRole('heading', { name: 'AIDA examination' }).waitFor();
    await page.getByText('Time limit: 30 minutes').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page.getByRole('heading', { name: 'Question 1 of 20' }).waitFor();
    await expectAccessible(page);

    for (let n = 1; n <= 20; n++) {
      await page.getByRole('heading', { name: `Question ${n} of 20` }).waitFor();
      // Keyboard only: Tab into the radio group, Space selects, arrows move the choice.
      await page.getByRole('radio').first().focus();
      await page.keyboard.press('Space');
      if (n % 3 === 0) await page.keyboard.press('ArrowDown');
      if (n === 4) {
        await page.getByRole('button', { name: 'Flag for review' }).focus();
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: 'Unflag' }).waitFor();
      }
      const next = page.getByRole('button', { name: n < 20 ? 'Next' : 'Review answers' });
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

    const attempts = await apiCall<Array<{ status: string; scorePercent: number }>>('GET', '/api/exams/aida/attempts', candidate.token);
    expect(attempts).toHaveLength(1);
    expect(attempts[0].status).toBe('submitted');
    await page.context().close();
  });

  it('a reload mid-exam keeps every answer and flag', async () => {
    const candidate = await newCandidate('reload');
    const page = await newPage(browser);
    await signInCandidate(page, candidate);
    await startExam(page);
    const chosen: string[] = [];
    for (let n = 1; n <= 3; n++) {
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
      await page.getByRole('heading', { name: `Question ${n} of 20` }).waitFor();
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
    const detail = await apiCall<{ answers: Array<{ optionId: string | null }> }>('GET', `/api/exams/aida/attempts/${attempt.id}`, candidate.token);
    expect(detail.answers.filter((a) => a.optionId)).toHaveLength(2);
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
    await page.getByLabel('Candidate').selectOption({ label: `${candidate.fullName} (${candidate.email})` });
    await page.getByLabel('Time multiplier').fill('1.5');
    await page.getByRole('button', { name: 'Save accommodation' }).click();
    await page.getByText('Accommodation saved.').waitFor();
    const info = await apiCall<{ yourTimeLimitSeconds: number }>('GET', '/api/exams/aida', candidate.token);
    expect(info.yourTimeLimitSeconds).toBe(2700);
    await page.context().close();
  });
});
