import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { type Account, apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, NARROW, newPage, signIn, WIDE } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
type PortfolioRead = { evidence: Array<{ criterion: string; narrative: string; attachments: unknown[] }>; context: Record<string, string> };

/** The portfolio editor keeps every keystroke through reloads and offline spells, and says what is wrong where it is. */
describe('the portfolio editor never loses input', () => {
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

  const saved = (who: Account) => apiCall<PortfolioRead>('GET', '/api/portfolios/CPAP', who.token);
  const allSaved = (page: Page) => page.getByTestId('portfolio-save-state').getByText('All changes saved').waitFor();
  const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.className ?? '');

  for (const [label, viewport] of [
    ['1280×800', WIDE],
    ['390×844', NARROW],
  ] as const) {
    it(`at ${label}`, async () => {
      const candidate = await newCandidate('editor');
      await passAidaThroughApi(db, candidate.token);
      const page = await newPage(browser, viewport);
      await signIn(page, candidate);
      await page.getByRole('heading', { level: 1, name: 'My certification' }).waitFor();
      await page.goto('/candidate/portfolio/cpap');
      await page.getByRole('heading', { level: 2, name: '0 of 35 criteria written' }).waitFor();
      await expectAccessible(page);

      // Reloaded mid-typing, before the autosave fired: the words are still there, and then saved.
      const d011 = page.getByLabel(/^D01\.1 /);
      await d011.focus();
      await page.keyboard.type('We classify every data type before it reaches a model');
      await page.reload();
      await page.getByLabel(/^D01\.1 /).waitFor();
      expect(await page.getByLabel(/^D01\.1 /).inputValue()).toBe('We classify every data type before it reaches a model');
      await allSaved(page);
      expect((await saved(candidate)).evidence[0].narrative).toBe('We classify every data type before it reaches a model');
      await page.getByRole('heading', { level: 2, name: '1 of 35 criteria written' }).waitFor();
      await page.getByText('10 words').waitFor();

      // Offline: kept in this browser, said so, and sent when the connection returns, even after a reload.
      await page.context().setOffline(true);
      await page.getByLabel('Organisation', { exact: true }).fill('Acme Mutual');
      await page.getByTestId('portfolio-save-state').getByText('Offline: 1 change kept in this browser').waitFor();
      await expectAccessible(page);
      await page.context().setOffline(false);
      await page.reload();
      expect(await page.getByLabel('Organisation', { exact: true }).inputValue()).toBe('Acme Mutual');
      await allSaved(page);
      await waitFor(async () => (await saved(candidate)).context.organisation === 'Acme Mutual', 'the offline change to be saved');

      // Upload errors are said at the control, which takes the focus; nothing is sent for a file over the limit.
      const fileInput = page.locator('#ev-D01\\.2-file');
      await page
        .getByText(/up to 20 MB a file, 30 files and/)
        .first()
        .waitFor();
      await fileInput.setInputFiles({ name: 'big-dpia.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(21 * 1_048_576, 1) });
      await page.getByText('big-dpia.pdf is 21 MB: a file can be at most 20 MB. Choose a smaller file.').waitFor();
      expect(await activeId(page)).toBe('ev-D01.2-file');
      expect(await fileInput.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page);
      await fileInput.setInputFiles({ name: 'tool.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
      await page.getByText(/tool\.exe is not a file type the portfolio accepts/).waitFor();
      // The server's refusal is said the same way: a file that is not what its name says.
      await fileInput.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
      await page.locator('#ev-D01\\.2-file-error').waitFor();
      expect(await activeId(page)).toBe('ev-D01.2-file');

      // A good file: listed with preview, replace and remove.
      await fileInput.setInputFiles({ name: 'diagram.png', mimeType: 'image/png', buffer: PNG });
      await page.getByRole('button', { name: 'Preview diagram.png' }).click();
      await page.getByRole('img', { name: 'Preview of diagram.png' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Replace diagram.png' }).waitFor();
      await page.getByRole('button', { name: 'Remove diagram.png' }).click();
      await page.getByRole('button', { name: 'Remove diagram.png' }).waitFor({ state: 'detached' });
      await page.getByText('diagram.png removed.').waitFor();
      expect((await saved(candidate)).evidence[1].attachments).toEqual([]);

      // Submitting too early: a summary of every problem takes the focus; its links move the focus to the control.
      await page.getByRole('button', { name: 'Submit this version for review' }).click();
      await page.getByRole('heading', { name: /^There are \d+ problems$/ }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await expectAccessible(page);
      await page.locator('.error-summary').getByRole('link', { name: 'Write how you meet D01.2' }).click();
      expect(await activeId(page)).toBe('ev-D01.2');
      expect(await page.getByLabel(/^D01\.2 /).getAttribute('aria-invalid')).toBe('true');

      // Complete and submit: the portfolio turns read-only, with the reason, until the reviewers decide.
      for (const [key, value] of Object.entries({
        system: 'Claims triage',
        modelsUsed: 'A hosted LLM',
        usersAffected: '40,000 policyholders',
        riskLevel: 'high',
      })) {
        await apiCall('PUT', '/api/portfolios/CPAP/context', candidate.token, { [key]: value });
      }
      for (const e of (await saved(candidate)).evidence.slice(1)) {
        await apiCall('PUT', `/api/portfolios/CPAP/evidence/${e.criterion}`, candidate.token, { narrative: `How we meet ${e.criterion}.` });
      }
      await page.reload();
      await page.getByRole('heading', { level: 2, name: '35 of 35 criteria written' }).waitFor();
      await page.getByRole('button', { name: 'Submit this version for review' }).click();
      await page.getByText('Version 1 submitted for review.').waitFor();
      await page.getByText('Read-only.').waitFor();
      await page
        .getByText(/Version 1 is under review/)
        .first()
        .waitFor();
      expect(await page.getByLabel(/^D01\.1 /).getAttribute('readonly')).not.toBeNull();
      expect(await page.getByRole('button', { name: 'Submit this version for review' }).count()).toBe(0);
      await expectAccessible(page);

      // The submitted version's page: the first has nothing to compare with, and says so.
      await page.getByRole('link', { name: 'status and feedback for version 1' }).click();
      await page.getByRole('heading', { name: 'Changes from the previous version' }).waitFor();
      await page.getByText('This is version 1, the first you submitted: there is nothing to compare it with.').waitFor();
      await expectAccessible(page);
      await page.context().close();
    });
  }
});
