import { type Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

/**
 * The Jobs page's button opens Bull Board at /admin/queues in the same window. The board is a third-party
 * page: this test checks that it loads and runs under the platform's CSP (its Google Fonts stylesheet stays
 * blocked, on purpose), not its accessibility — axe finds violations in it (README, "Queue board") — so
 * axe runs on the Jobs page only.
 */
describe('the queue board in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('an administrator opens the queue board from the Jobs page with the keyboard; it loads without CSP violations', async () => {
    const page = await newPage(browser);
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text()) && !/fonts\.googleapis\.com/.test(message.text())) blocked.push(message.text());
    });
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await tabTo(page, /^Jobs: background work/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Queue board' }).waitFor();
    await expectAccessible(page);

    await tabTo(page, 'Open the queue board');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/queues\/?$/);
    // The board's own UI, rendered by its scripts: each of the platform's queues is listed.
    for (const queue of ['notifications', 'certificates', 'exams']) await page.getByText(queue, { exact: true }).first().waitFor();
    expect(blocked).toEqual([]);
    await page.context().close();
  });
});
