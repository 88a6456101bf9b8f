import { readFile } from 'node:fs/promises';
import { type Client } from 'pg';
import { type Browser } from 'playwright-core';
import { adminToken, apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';
import { readState } from './support/platform';

interface EntriesPage {
  items: Array<{ id: string; action: string }>;
  total: number;
}

/** Issue #18 item 5: the audit-log viewer and the activity on a person's page, in the browser. */
describe('the audit log and a person’s activity in the browser', () => {
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

  it('an administrator filters the log by action and day, pages, sees the chain verified, exports the CSV, and opens a person', async () => {
    // A certified candidate, and more accommodation changes about them than one page holds.
    const candidate = await newCandidate('audited');
    const { id } = await apiCall<{ id: string }>('GET', '/api/me', candidate.token);
    await passAidaThroughApi(db, candidate.token);
    await waitFor(async () => (await apiCall<unknown[]>('GET', '/api/certificates', candidate.token)).length > 0, 'the certificate');
    const admin = await adminToken();
    for (let i = 0; i < 55; i++) {
      await apiCall('PUT', `/api/admin/users/${id}/accommodations`, admin, { timeMultiplier: i % 2 ? 1.5 : 1.25 });
    }
    const today = new Date().toISOString().slice(0, 10);
    const filter = `action=exam.accommodation_set&from=${today}&to=${today}`;
    const expected = await apiCall<EntriesPage>('GET', `/api/admin/audit/entries?${filter}&pageSize=500`, admin);
    expect(expected.total).toBeGreaterThanOrEqual(55);
    const pages = Math.ceil(expected.total / 50);

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.getByRole('link', { name: /^Audit log:/ }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    // The chain's verification, at the top, in a polite live region.
    await page.locator('.audit-chain [role="status"]').filter({ hasText: 'The chain verifies' }).waitFor();
    await page
      .locator('p.result-count[role="status"]')
      .filter({ hasText: /entries found/ })
      .waitFor();
    await expectAccessible(page);

    // Filter by action and day: the count is announced, the filters go into the address.
    await page.getByLabel('Action', { exact: true }).selectOption('exam.accommodation_set');
    await page.getByLabel('From (UTC day)').fill(today);
    await page.getByLabel('To (UTC day, included)').fill(today);
    await page.keyboard.press('Enter'); // submits the filter form from the keyboard
    const count = page.locator('p.result-count[role="status"]');
    await count.filter({ hasText: `${expected.total} entries found; page 1 of ${pages}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('action')).toBe('exam.accommodation_set');
    expect(new URL(page.url()).searchParams.get('from')).toBe(today);
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(50);
    expect(new Set(await page.locator('table tbody td code').allTextContents())).toEqual(new Set(['exam.accommodation_set']));
    await expectAccessible(page);

    // Pages.
    await page.getByRole('button', { name: 'Next page' }).click();
    await count.filter({ hasText: `page 2 of ${pages}` }).waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(await rows.count()).toBe(Math.min(50, expected.total - 50));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await count.filter({ hasText: `page 1 of ${pages}` }).waitFor();

    // The CSV holds exactly the filtered entries, every page of them.
    await page.getByRole('button', { name: `Export all ${expected.total} entries as CSV` }).focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe(`audit-log_action-exam.accommodation_set_${today}_${today}.csv`);
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurred_at,actor_id,actor_name,action,subject_type,subject_id,data,hash,hash_version');
    const body = lines.slice(1);
    expect(body.map((l) => l.split(',')[0])).toEqual(expected.items.map((e) => e.id));
    for (const line of body) {
      expect(line).toMatch(new RegExp(`^\\d+,${today}T`));
      expect(line).toContain(',exam.accommodation_set,user,');
    }

    // From an entry about the candidate to their page: attempts, certificates and audit trail.
    await page.getByRole('link', { name: id }).first().click();
    await page.getByRole('heading', { name: candidate.fullName, level: 1 }).waitFor();
    const attempts = page.getByRole('table', { name: 'AIDA exam attempts, newest first' });
    await attempts.getByText('Passed, 100%').waitFor();
    const certificates = page.getByRole('table', { name: 'Certificates issued to them, newest first' });
    await certificates.getByRole('link', { name: /^PSF-/ }).waitFor();
    await page.getByRole('table', { name: 'Signed-in sessions, newest first' }).waitFor();
    const trail = page.getByRole('table', { name: `Audit entries by or about ${candidate.fullName}, newest first` });
    await trail.getByText('exam.accommodation_set').first().waitFor();
    await page.getByText('No portfolio started.').waitFor();
    await expectAccessible(page);

    // A role change says what it adds before anything happens; Escape leaves the roles as they were.
    await page.getByLabel('reviewer', { exact: true }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change this person’s roles?' });
    await dialog.getByText('Adds reviewer.').waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The whole trail in the viewer, filtered on the person.
    await page.getByRole('link', { name: /^All \d+ in the audit log$/ }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await count.filter({ hasText: /entries found/ }).waitFor();
    expect(await page.getByLabel('Person (account id)').inputValue()).toBe(id);
    await expectAccessible(page);
    await page.context().close();
  }, 180_000);
});
