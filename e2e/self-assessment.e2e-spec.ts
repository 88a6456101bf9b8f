import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];
const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];

const group = (page: Page, criterion: string) => page.getByRole('group', { name: new RegExp(`^${criterion.replace('.', '\\.')} `) });
const choice = (page: Page, criterion: string, label: string) => group(page, criterion).getByRole('radio', { name: label, exact: true });
const progress = (page: Page) => page.locator('.sa-progress');
const nextStep = (page: Page) => page.getByText(/^Suggested next step:/);

/** Clicks the same rating for every criterion of the domain. */
async function clickDomain(page: Page, domain: string, label: string): Promise<void> {
  for (let i = 1; i <= 5; i++) await choice(page, `${domain}.${i}`, label).click();
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

describe.each(VIEWPORTS)('the PSF self-assessment at $width×$height', (viewport) => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  beforeEach(async () => {
    context = await browser.newContext({ baseURL: readState().baseUrl, locale: 'en-GB', viewport });
  });
  afterEach(() => context.close());
  afterAll(() => browser.close());

  it('without an account: rate by keyboard and by click, watch the scores and the next step change, keep, export, print, clear', async () => {
    const page = await context.newPage();
    await page.goto('/self-assessment');
    await page.getByRole('heading', { level: 1, name: 'PSF self-assessment' }).waitFor();
    expect(await progress(page).textContent()).toBe('0 of 40 rated');
    await page.getByText('Rate some criteria to see the next step').waitFor();
    await page
      .getByText(/The Production Safety Framework \(PSF\) v1\.0 is published by/)
      .first()
      .waitFor();
    await expectAccessible(page);

    // Keyboard only for D01: Tab into each criterion's radio group, the arrow keys choose (3, 2, 3, 2, 3 = 13 of 15).
    await tabTo(page, 'Not in place');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).id)).toBe('rating-D01.1-0');
    for (const steps of [3, 2, 3, 2, 3]) {
      await page.keyboard.press('Space');
      for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
    }
    expect(await choice(page, 'D01.1', 'Fully in place and evidenced').isChecked()).toBe(true);
    expect(await choice(page, 'D01.2', 'Mostly in place').isChecked()).toBe(true);
    expect(await choice(page, 'D01.5', 'Fully in place and evidenced').isChecked()).toBe(true);
    expect(await progress(page).textContent()).toBe('5 of 40 rated');
    const d01 = page.getByRole('row', { name: /^D01 / });
    expect(await d01.getByRole('cell').first().textContent()).toBe('13 of 15 (87%) · Strong');
    expect(await nextStep(page).textContent()).toBe('Suggested next step: AIDA, the free examination.');
    await page.getByText(/ 1 of the eight domains is strong yet, so start with AIDA/).waitFor();
    await expectAccessible(page);

    // Clicks for D02–D07: all fully in place, so D01–D07 are strong and D08 (unrated) is not: CPAP.
    for (const d of DOMAINS.slice(1, 7)) await clickDomain(page, d, 'Fully in place and evidenced');
    expect(await progress(page).textContent()).toBe('35 of 40 rated');
    expect(await page.getByRole('row', { name: /^D08 / }).getByRole('cell').first().textContent()).toBe('0 of 15 (0%)');
    expect(await nextStep(page).textContent()).toBe('Suggested next step: CPAP, the practitioner portfolio.');
    await page.getByRole('link', { name: 'Create a free account to start' }).waitFor();
    await expectAccessible(page);

    // D08 "Mostly in place" throughout: all eight strong, CPAA.
    await clickDomain(page, 'D08', 'Mostly in place');
    expect(await progress(page).textContent()).toBe('40 of 40 rated');
    expect(await nextStep(page).textContent()).toBe('Suggested next step: CPAA, the assessor portfolio and panel interview.');

    // Kept in the browser: a reload shows the same answers and the same suggestion.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'PSF self-assessment' }).waitFor();
    expect(await progress(page).textContent()).toBe('40 of 40 rated');
    expect(await choice(page, 'D01.2', 'Mostly in place').isChecked()).toBe(true);
    expect(await choice(page, 'D08.3', 'Mostly in place').isChecked()).toBe(true);
    expect(await nextStep(page).textContent()).toContain('CPAA');
    await expectAccessible(page);

    // Exports: a CSV row per criterion and the JSON with every rating and the attribution.
    const csv = await download(page, 'Download CSV');
    expect(csv.name).toMatch(/^psf-self-assessment-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = csv.text.trim().split('\r\n');
    expect(rows[0]).toBe('criterion,criterion_text,domain,domain_title,rating,rating_label');
    expect(rows).toHaveLength(41);
    expect(rows.find((r) => r.startsWith('D01.2,'))).toMatch(/,D01,.*,2,Mostly in place$/);
    expect(rows.find((r) => r.startsWith('D04.5,'))).toMatch(/,D04,.*,3,Fully in place and evidenced$/);
    const json = JSON.parse((await download(page, 'Download JSON')).text);
    expect(Object.keys(json.ratings)).toHaveLength(40);
    expect(json.ratings).toMatchObject({ 'D01.1': 3, 'D01.2': 2, 'D07.5': 3, 'D08.1': 2 });
    expect(json.domains[0]).toEqual({ domain: 'D01', points: 13, maxPoints: 15, percent: 87, rated: 5 });
    expect(json.attribution).toContain('CC BY 4.0');

    // Print summary: the button prints; the print layout has the ratings table and the scores, not the form.
    await page.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes');
    });
    await page.getByRole('button', { name: 'Print summary' }).click();
    expect(await page.locator('body').getAttribute('data-printed')).toBe('yes');
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('form', { name: 'Rate the criteria' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print summary' }).isVisible()).toBe(false);
    expect(await page.getByRole('row', { name: /^D08\.3 .* Mostly in place$/ }).isVisible()).toBe(true);
    expect(await page.getByRole('table', { name: /Score per domain/ }).isVisible()).toBe(true);
    expect(
      await page
        .locator('.sa-results')
        .getByText(/published by the Production AI Institute/)
        .isVisible(),
    ).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // Clear: asked in the page; "Keep them" keeps them, "Yes" clears and says so.
    await page.getByRole('button', { name: 'Clear my answers' }).click();
    const question = page.getByText(/^Clear every rating from this browser\?/);
    await question.waitFor();
    expect(await question.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Keep them' }).click();
    expect(await page.getByRole('button', { name: 'Clear my answers' }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await progress(page).textContent()).toBe('40 of 40 rated');
    await page.getByRole('button', { name: 'Clear my answers' }).click();
    await page.getByRole('button', { name: 'Yes, clear my answers' }).click();
    const done = page.getByText('Your answers were cleared from this browser.');
    await done.waitFor();
    expect(await done.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await progress(page).textContent()).toBe('0 of 40 rated');
    await page.getByText('Rate some criteria to see the next step').waitFor();
    await expectAccessible(page);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'PSF self-assessment' }).waitFor();
    expect(await progress(page).textContent()).toBe('0 of 40 rated');
  });

  it('a candidate saves to the account; with the browser copy cleared the saved one comes back, and the newer copy wins', async () => {
    const candidate = await newCandidate('selfassess');
    const page = await context.newPage();
    await signIn(page, candidate);
    await page.waitForURL(/\/candidate$/);
    await page.goto('/self-assessment');
    await page.getByRole('heading', { level: 1, name: 'PSF self-assessment' }).waitFor();
    await choice(page, 'D03.1', 'Started').click();
    await choice(page, 'D08.5', 'Fully in place and evidenced').click();
    await page.getByRole('button', { name: 'Save to my account' }).click();
    await page.getByText(/^Saved to your account on /).waitFor();
    expect(await page.getByRole('link', { name: 'Go to AIDA' }).getAttribute('href')).toBe('/candidate/aida');
    await expectAccessible(page);
    const saved = await apiCall<{ ratings: Record<string, number> }>('GET', '/api/me/self-assessment', candidate.token);
    expect(saved.ratings).toEqual({ 'D03.1': 1, 'D08.5': 3 });

    // This browser's copy cleared: the reload brings back the account's, and says so.
    await page.getByRole('button', { name: 'Clear my answers' }).click();
    await page.getByRole('button', { name: 'Yes, clear my answers' }).click();
    await page.getByText('Your answers were cleared from this browser.').waitFor();
    await page.reload();
    await page.getByText(/^Showing the answers saved to your account on .*: they are newer than any in this browser\.$/).waitFor();
    expect(await progress(page).textContent()).toBe('2 of 40 rated');
    expect(await choice(page, 'D03.1', 'Started').isChecked()).toBe(true);
    expect(await choice(page, 'D08.5', 'Fully in place and evidenced').isChecked()).toBe(true);
    await expectAccessible(page);

    // A change made here afterwards is newer than the account's: after a reload the browser's copy is shown.
    await choice(page, 'D03.1', 'Mostly in place').click();
    await page.reload();
    await page.getByText(/^Showing this browser's answers: they are newer than the ones saved to your account on /).waitFor();
    expect(await choice(page, 'D03.1', 'Mostly in place').isChecked()).toBe(true);
    await expectAccessible(page);
  });
});
