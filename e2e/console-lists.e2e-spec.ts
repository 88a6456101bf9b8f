import { readFileSync } from 'node:fs';
import type { Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';
import { readState } from './support/platform';

/**
 * The consoles' lists in the browser (issue #18): search, sort, pages and CSV export on the People
 * and Certificates tables, by keyboard, with axe on every state visited. The rows are made through
 * the real flows (registration; an AIDA pass through the API, then the worker issues the certificate)
 * and share an e-mail domain of their own, so other specs' rows never count.
 */
describe('console lists in the browser: people and certificates', () => {
  let browser: Browser;
  let db: Client;
  const tag = `lists${Date.now().toString(36)}`;
  const domain = `${tag}.test`;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = await connectDb();
  });
  afterAll(async () => {
    await db.end();
    await browser.close();
  });

  /** Waits until the count reads exactly this (not "… (updating…)": the new page has arrived). */
  const status = (page: Page, text: string | RegExp) =>
    page
      .locator('p.result-count', {
        hasText: typeof text === 'string' ? new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : text,
      })
      .waitFor();
  const firstColumn = (page: Page) => page.locator('table tbody tr th[scope="row"]').allTextContents();
  /** The rows' names are these (allowing 10 s for the new page to replace the last one when it arrives). */
  async function expectNames(page: Page, expected: string[]): Promise<void> {
    for (let i = 0; i < 100 && JSON.stringify(await firstColumn(page)) !== JSON.stringify(expected); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await firstColumn(page)).toEqual(expected);
  }

  async function csvOf(page: Page, button: RegExp): Promise<string[]> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    return readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
  }

  it('an administrator searches, sorts, pages and exports the people list', async () => {
    const labels = Array.from({ length: 12 }, (_, i) => `P${String(i).padStart(2, '0')}`);
    for (const label of labels) await newCandidate(label, domain, { verified: false });

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.goto('/admin/people');
    await page.getByRole('heading', { name: 'People', level: 1 }).waitFor();
    await status(page, /found/);
    await expectAccessible(page);

    // Search by the shared domain with the keyboard: twelve found, 25 to a page, newest first.
    await tabTo(page, 'Name or e-mail address');
    await page.keyboard.type(domain);
    await page.keyboard.press('Enter');
    await status(page, '12 people found');
    await expectNames(
      page,
      [...labels].reverse().map((l) => `${l} Candidate`),
    );
    await expectAccessible(page);

    // Sort by name: the heading is a button, its column says how it is sorted.
    const nameHeading = page.getByRole('columnheader', { name: /^Name/ });
    await nameHeading.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=fullName/);
    await status(page, '12 people found');
    await expect(nameHeading.getAttribute('aria-sort')).resolves.toBe('ascending');
    await expectNames(
      page,
      labels.map((l) => `${l} Candidate`),
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/order=desc/);
    await status(page, '12 people found');
    await expect(nameHeading.getAttribute('aria-sort')).resolves.toBe('descending');
    await expectNames(
      page,
      [...labels].reverse().map((l) => `${l} Candidate`),
    );
    await expectAccessible(page);

    // Ten rows per page: two pages, and the second holds the last two names.
    await page.getByLabel('Rows per page').selectOption('10');
    await status(page, '12 people found; page 1 of 2');
    expect(await firstColumn(page)).toHaveLength(10);
    await page.getByRole('navigation', { name: 'Pages of People' }).getByRole('button', { name: 'Next page' }).click();
    await status(page, '12 people found; page 2 of 2');
    await expectNames(page, ['P01 Candidate', 'P00 Candidate']);
    await expectAccessible(page);
    // The address holds the whole state: a reload shows the same page.
    await page.reload();
    await status(page, '12 people found; page 2 of 2');
    await expectNames(page, ['P01 Candidate', 'P00 Candidate']);

    // The export holds every filtered row (not just this page), in the list's order.
    const lines = await csvOf(page, /^Export all 12 people as CSV$/);
    expect(lines[0]).toBe('id,name,email,roles,status,email_verified,second_factor,password_reset_required,created_at');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([...labels].reverse().map((l) => `${l} Candidate`));
    expect(lines.slice(1).every((l) => l.includes(`@${domain},candidate,active,no,no,no,`))).toBe(true);
  });

  it('an administrator filters, sorts, pages and exports the certificates, and opens one to manage it', async () => {
    const holders = [];
    for (const label of ['Cara', 'Abel', 'Bea']) {
      const holder = await newCandidate(label, domain);
      await passAidaThroughApi(db, holder.token);
      holders.push(holder);
    }
    const numbers = await waitFor(async () => {
      const rows = await db.query<{ number: string }>(
        `SELECT c.number FROM certificates c JOIN users u ON u.id = c.user_id WHERE u.email LIKE $1 ORDER BY c.number`,
        [`%@${domain}`],
      );
      return rows.rows.length === 3 ? rows.rows.map((r) => r.number) : null;
    }, 'the three certificates');

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.goto(`/admin/certificates?query=${domain}&pageSize=2`);
    await page.getByRole('heading', { name: 'All certificates' }).waitFor();
    await status(page, '3 certificates found; page 1 of 2');
    await expectAccessible(page);

    // Sort by number, ascending, with the keyboard; the second page holds the last one.
    await page
      .getByRole('columnheader', { name: /^Number/ })
      .getByRole('button')
      .focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=number/);
    await status(page, '3 certificates found; page 1 of 2');
    await expectNames(
      page,
      numbers.slice(0, 2).map((n) => `${n}: manage this certificate`),
    );
    await tabTo(page, 'Next page');
    await page.keyboard.press('Enter');
    await status(page, '3 certificates found; page 2 of 2');
    await expectNames(page, [`${numbers[2]}: manage this certificate`]);
    await expectAccessible(page);

    // Filters narrow it: a credential none of them holds finds nothing; the status that they have finds all three.
    await page.getByLabel('Credential').selectOption('CPAA');
    await page.getByRole('button', { name: 'Filter' }).click();
    await status(page, '0 certificates found');
    await page.getByText('No certificate matches these filters.').waitFor();
    await page.getByLabel('Credential').selectOption('AIDA');
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('button', { name: 'Filter' }).click();
    await status(page, '3 certificates found; page 1 of 2');
    await expectAccessible(page);

    // Sorted by holder: Abel, Bea, Cara across the pages; the export holds all three in that order.
    await page
      .getByRole('columnheader', { name: /^Holder/ })
      .getByRole('button')
      .click();
    await page.waitForURL(/sort=holder/);
    await status(page, '3 certificates found; page 1 of 2');
    const lines = await csvOf(page, /^Export all 3 certificates as CSV$/);
    expect(lines[0]).toBe('number,credential,holder,email,status,status_reason,issued_at,expires_at,superseded_by,verify_url');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['Abel Candidate', 'Bea Candidate', 'Cara Candidate']);
    expect(lines.slice(1).every((l) => l.split(',')[4] === 'active')).toBe(true);

    // A number in the list opens the certificate to manage, its heading focused.
    const first = await firstColumn(page);
    const chosen = first[0].replace(': manage this certificate', '');
    await page
      .locator('table tbody tr')
      .first()
      .getByRole('button', { name: new RegExp(`^${chosen}`) })
      .click();
    const heading = page.getByRole('heading', { level: 2, name: new RegExp(chosen) });
    await heading.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'found');
    await page.getByText('Abel Candidate', { exact: true }).first().waitFor();
    await expectAccessible(page);
  });

  it('an administrator searches the outgoing mail and exports it, and finds the panel bookings list', async () => {
    const person = await newCandidate('Mailed', domain);
    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.goto('/admin/mail');
    await page.getByRole('heading', { name: 'Outgoing mail', level: 1 }).waitFor();
    await status(page, /messages? found/);
    await expectAccessible(page);

    // The verification mail the registration sent, found by address on the server.
    await tabTo(page, 'Recipient or subject');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Enter');
    await status(page, /^[1-9]\d* messages? found$/);
    await page.getByRole('cell', { name: person.email }).first().waitFor();
    await page.getByLabel('State').selectOption('waiting');
    await page.getByRole('button', { name: 'Search' }).click();
    await status(page, '0 messages found');
    await page.getByLabel('State').selectOption('sent');
    await page.getByRole('button', { name: 'Search' }).click();
    await status(page, /^[1-9]\d* messages? found$/);
    await expectAccessible(page);
    const lines = await csvOf(page, /^Export (the message|all \d+ messages) as CSV$/);
    expect(lines[0]).toBe('id,template,recipient,subject,transport,created_at,sent_at');
    expect(lines.length).toBeGreaterThan(1);
    // Subjects may hold commas (quoted), so each row is checked for the address as its own field.
    expect(lines.slice(1).every((l) => l.includes(`,${person.email.toLowerCase()},`))).toBe(true);

    // The panel bookings are a server-side list too (this run may have none: the count says so).
    await page.goto('/admin/panels');
    await page.getByRole('search', { name: 'Find panel bookings' }).waitFor();
    await status(page, /bookings? found/);
    await expectAccessible(page);
  });
});
