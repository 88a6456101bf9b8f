import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { adminToken, apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';
import { readState } from './support/platform';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The administrator dashboard (issue #18 item 3) on data made through the real flows: each figure is a
 * link, and the list it opens shows as many rows as the figure says.
 */
describe("the administrator dashboard's figures match the lists behind them", () => {
  let browser: Browser;
  let db: Client;
  beforeAll(async () => {
    browser = await launchBrowser();
    db = await connectDb();
  });
  afterAll(async () => {
    await db.end();
    await browser.close();
  });

  /** The number a figure's link starts with ("3 candidates registered" → 3). */
  async function figure(page: Page, what: string): Promise<number> {
    const text = await page
      .getByRole('link', { name: new RegExp(`^[\\d,]+ ${what}$`) })
      .first()
      .innerText();
    return Number(
      text
        .replace(/\s+/g, ' ')
        .match(/^([\d,]+)/)![1]
        .replace(/,/g, ''),
    );
  }

  /** Follows a figure's link (by keyboard) and reads the number the list's result count starts with, once the list has loaded. */
  async function listCountBehind(page: Page, what: string): Promise<number> {
    const link = page.getByRole('link', { name: new RegExp(`^[\\d,]+ ${what}$`) }).first();
    const href = (await link.getAttribute('href'))!;
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => `${url.pathname}${url.search}` === href);
    const count = page.locator('p[role="status"].result-count').filter({ hasText: /^[\d,]+ / });
    await count.waitFor();
    await expectAccessible(page);
    return Number((await count.innerText()).match(/^([\d,]+)/)![1].replace(/,/g, ''));
  }

  const openDashboard = async (page: Page, query = '') => {
    await page.goto(`/admin${query}`);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Figures for / })
      .waitFor();
  };

  it('shows the figures over a chosen period, each chart with a data table, and the candidates registered match the People list', async () => {
    const passer = await newCandidate('dash-pass');
    await newCandidate('dash-new');
    await passAidaThroughApi(db, passer.token);
    const today = isoDay(new Date());

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Figures for .*: 30 days, UTC\.$/ })
      .waitFor();
    expect(await figure(page, 'candidates registered')).toBeGreaterThanOrEqual(2);
    expect(await figure(page, 'attempts passed')).toBeGreaterThanOrEqual(1);
    // The consoles stay on the administrator's home.
    await page
      .getByRole('navigation', { name: 'Consoles' })
      .getByRole('link', { name: /^People: find anyone/ })
      .waitFor();
    await expectAccessible(page);

    // Choose the period (today only) and apply it from the keyboard. It goes into the address.
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To (included)', { exact: true }).fill(today);
    await tabTo(page, 'Apply');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.search === `?from=${today}&to=${today}`);
    await page
      .getByRole('status')
      .filter({ hasText: /: 1 day, UTC\.$/ })
      .waitFor();

    // Every chart is an image with a summary, and its data table opens from the keyboard.
    const attemptsChart = page.getByRole('img', {
      name: /^Bar chart of AIDA attempts per day: \d+ attempts? started and \d+ passed over 1 day/,
    });
    await attemptsChart.waitFor();
    await page.getByRole('img', { name: /^Bar chart of scores/ }).waitFor();
    await page.getByRole('img', { name: /^Bar chart of portfolio submissions by stage/ }).waitFor();
    await tabTo(page, 'Show data table');
    await page.keyboard.press('Enter');
    const table = page.getByRole('table', { name: 'AIDA attempts per day' });
    await table.waitFor();
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual([today]);
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['Day (UTC)', 'Started', 'Passed']);
    const started = await figure(page, 'AIDA attempts started');
    expect(await table.getByRole('cell').first().innerText()).toBe(String(started));
    await expectAccessible(page);

    // The figure and the People list behind it count the same accounts.
    const registered = await figure(page, 'candidates registered');
    expect(registered).toBeGreaterThanOrEqual(2);
    expect(await listCountBehind(page, 'candidates registered')).toBe(registered);
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?role=candidate&createdFrom=${today}&createdTo=${today}`);

    // A period that ends yesterday has none of today's registrations, and neither has its list.
    const yesterday = isoDay(new Date(Date.parse(today) - DAY_MS));
    await openDashboard(page, `?from=${yesterday}&to=${yesterday}`);
    expect(await figure(page, 'candidates registered')).toBe(0);
    expect(await listCountBehind(page, 'candidates registered')).toBe(0);
  });

  it('counts the attempts and certificates its lists show (started, passed, failed; issued, by status, expiring)', async () => {
    const passer = await newCandidate('dash-cert');
    await passAidaThroughApi(db, passer.token);
    const failer = await newCandidate('dash-fail');
    const attempt = await apiCall<{ id: string }>('POST', '/api/exams/aida/attempts', failer.token);
    await apiCall('POST', `/api/exams/aida/attempts/${attempt.id}/submit`, failer.token);
    // The worker issues the certificate; an administrator suspends it, so the register has more than one status.
    const [certificate] = await waitFor(async () => {
      const list = await apiCall<Array<{ number: string }>>('GET', '/api/certificates', passer.token);
      return list.length ? list : null;
    }, 'the AIDA certificate');
    await apiCall('POST', `/api/admin/certificates/${certificate.number}/suspend`, await adminToken(), { reason: 'Dashboard check' });
    const today = isoDay(new Date());
    const query = `?from=${today}&to=${today}`;

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    for (const what of [
      'AIDA attempts started',
      'attempts passed',
      'attempts failed',
      'certificates issued in the period',
      'active certificates',
      'expired certificates',
      'suspended certificates',
      'revoked certificates',
      'active certificates expiring',
    ]) {
      await openDashboard(page, query);
      const shown = await figure(page, what);
      expect({ what, count: await listCountBehind(page, what) }).toEqual({ what, count: shown });
    }
    await openDashboard(page, query);
    expect(await figure(page, 'attempts failed')).toBeGreaterThanOrEqual(1);
    expect(await figure(page, 'suspended certificates')).toBeGreaterThanOrEqual(1);
  });

  it('says plainly what is wrong with a period it cannot show', async () => {
    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.goto('/admin?from=2026-05-02&to=2026-05-01');
    await page.getByRole('alert').filter({ hasText: 'from (2026-05-02) is after to (2026-05-01)' }).waitFor();
    await expectAccessible(page);
  });
});
