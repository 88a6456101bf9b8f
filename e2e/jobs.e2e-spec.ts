import { type Client } from 'pg';
import { type Browser, type Locator } from 'playwright-core';
import { apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { connectDb, waitFor } from './support/db';
import { readState } from './support/platform';

describe('the admin jobs page in the browser', () => {
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

  /** Waits (up to 5 s) until the element has the keyboard focus. */
  async function expectFocused(locator: Locator): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${locator} never had the focus`);
  }

  /**
   * A welcome mail for a real account whose job exhausted its attempts and is no longer in Redis (BullMQ
   * removes failed jobs after 30 days; a Redis that lost its data has none). Writing the outbox row in
   * that state is the fault this test injects: no real flow makes a job fail on demand.
   */
  async function failedWelcomeMail(): Promise<string> {
    const candidate = await newCandidate('jobs', 'example.org', { verified: false });
    const { id: userId } = await apiCall<{ id: string }>('GET', '/api/me', candidate.token);
    const { rows } = await db.query(
      `INSERT INTO outbox (job_name, queue, payload, run_at, published_at, failed_at, failures, job_error)
       VALUES ('send-welcome-email', 'notifications', $1, now() - interval '10 minutes', now() - interval '10 minutes',
               now() - interval '2 minutes', 8, 'connect ECONNREFUSED 127.0.0.1:25')
       RETURNING id`,
      [JSON.stringify({ userId })],
    );
    return rows[0].id as string;
  }

  it('an administrator sees a failed job, retries it with the keyboard and the job runs; then reconciles on request', async () => {
    const jobId = await failedWelcomeMail();

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await tabTo(page, /^Jobs: background work/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByText('Redis is up:').waitFor();
    await page.getByRole('table', { name: 'Backlog per queue' }).waitFor();
    await page.getByRole('rowheader', { name: 'Send welcome email' }).waitFor();
    await page.getByText('connect ECONNREFUSED 127.0.0.1:25').waitFor();
    await expectAccessible(page);

    // The button names the job; Enter retries it, the outcome is announced and focus lands on the section.
    await tabTo(page, /^Retry now: Send welcome email, failed /);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Send welcome email is queued again' }).waitFor();
    await expectFocused(page.getByRole('heading', { name: 'Failed jobs' }));
    await page.getByRole('button', { name: /^Retry now: Send welcome email/ }).waitFor({ state: 'detached' });
    await expectAccessible(page);

    // The retried job really runs: the worker completes its row.
    await waitFor(
      async () =>
        (await db.query(`SELECT 1 FROM outbox WHERE id = $1 AND completed_at IS NOT NULL AND failed_at IS NULL`, [jobId])).rowCount,
      'the retried job to complete',
    );

    await tabTo(page, 'Reconcile now');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: /Reconciliation (done|stopped short)/ })
      .waitFor();
    await expectFocused(page.getByRole('button', { name: 'Reconcile now' }));
    await page
      .getByRole('table', { name: 'Latest passes, newest first' })
      .getByRole('cell', { name: 'An administrator' })
      .first()
      .waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
