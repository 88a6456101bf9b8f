import { type Browser } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { readState } from './support/platform';

/** Exam settings in human units, and a save made from an out-of-date copy refused rather than applied over a colleague's. */
describe('exam settings: durations in minutes and hours, and a stale save refused', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await apiCall('PATCH', '/api/admin/exams/aida', await adminToken(), { timeLimitSeconds: 1800, retakeCooldownSeconds: 604800 });
    await browser.close();
  });

  it('an administrator whose colleague saved first is told what the settings are now, and saves again from them', async () => {
    const page = await newPage(browser);
    /** The form is filled once the settings arrive. */
    const fieldShows = (name: string, value: string) =>
      page.waitForFunction(([n, v]) => document.querySelector<HTMLInputElement>(`input[name="${n}"]`)?.value === v, [name, value]);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.goto('/admin/exam');
    await page.getByRole('heading', { name: 'AIDA examination settings' }).waitFor();
    await fieldShows('timeLimitMinutes', '30');
    expect(await page.getByLabel('Time limit (minutes)').inputValue()).toBe('30');
    expect(await page.getByLabel('Retake cool-down after a fail (hours)').inputValue()).toBe('168');
    await page.getByText('168 hours is 7 days.').waitFor();
    await expectAccessible(page);

    // A colleague changes the time limit meanwhile.
    await apiCall('PATCH', '/api/admin/exams/aida', await adminToken(), { timeLimitSeconds: 2700 });

    await page.getByLabel('Retake cool-down after a fail (hours)').fill('48');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page
      .getByText(/Someone changed the settings after you opened them; nothing was saved\. They are now: time limit 45 minutes/)
      .waitFor();
    await expectAccessible(page);
    const now = await apiCall<{ timeLimitSeconds: number; retakeCooldownSeconds: number }>(
      'GET',
      '/api/admin/exams/aida',
      await adminToken(),
    );
    expect(now).toMatchObject({ timeLimitSeconds: 2700, retakeCooldownSeconds: 604800 });

    await page.getByRole('button', { name: 'Load the current settings' }).click();
    await fieldShows('timeLimitMinutes', '45');
    await page.getByLabel('Retake cool-down after a fail (hours)').fill('48');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = await apiCall<{ timeLimitSeconds: number; retakeCooldownSeconds: number }>(
      'GET',
      '/api/admin/exams/aida',
      await adminToken(),
    );
    expect(saved).toMatchObject({ timeLimitSeconds: 2700, retakeCooldownSeconds: 48 * 3600 });
    await page.context().close();
  });
});
