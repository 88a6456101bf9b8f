import { type Browser, type Page } from 'playwright-core';
import { adminToken, apiCall, promote, registerAccount } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

interface RatedItem {
  itemVersionId: string;
  position: number;
}
interface RaterStudy {
  id: string;
  round: number | null;
  items: number;
  itemsToRate: RatedItem[];
}
interface Study {
  id: string;
  status: string;
  result: { cutPercent: number; cutRaw: number; formLength: number } | null;
}

const RATING_LABEL = /^Minimally competent candidates who answer correctly \(%\)/;
const percent = (value: number) => `${Number(value.toFixed(2))}%`;

describe('modified-Angoff standard setting in the browser: two rounds, the cut, and its adoption', () => {
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await adminToken();
  });
  afterAll(async () => {
    // Other tests expect the blueprint's 70%.
    await apiCall('PATCH', '/api/admin/exams/aida', await adminToken(), { passMarkPercent: 70, passMarkReason: 'restore for other tests' });
    await browser.close();
  });

  /** A reviewer account that is not a candidate (raters see every key), with a password to sign in with. */
  async function rater(fullName: string) {
    const person = {
      email: `${fullName.toLowerCase().replace(/\W+/g, '.')}-${Date.now()}@angoff-panel.example`,
      password: 'rater passphrase 1',
      fullName,
    };
    // Staff enrol a second factor: promote returns the account with its id and TOTP secret.
    return promote(await registerAccount(person), ['reviewer']);
  }

  const rateThroughApi = (token: string, studyId: string, items: RatedItem[], probability: number) =>
    apiCall('PUT', `/api/standard-setting/${studyId}/ratings`, token, {
      ratings: items.map((i) => ({ itemVersionId: i.itemVersionId, probability })),
    });

  async function typeRating(page: Page, value: string) {
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(value);
    await page.keyboard.press('Tab');
  }

  it('an admin opens a study, two raters rate in two rounds, the admin closes it and adopts the cut for a new exam window', async () => {
    const one = await rater('Rhea Ratliff');
    const two = await rater('Sol Angoffson');
    const title = `Spring cut study ${Date.now()}`;

    // The admin opens the study in the browser, choosing both raters.
    const adminPage = await newPage(browser);
    await signIn(adminPage, readState().admin);
    await adminPage.getByRole('link', { name: /AIDA standard setting/ }).click();
    await adminPage.getByRole('heading', { name: 'AIDA standard setting' }).waitFor();
    await adminPage.getByRole('heading', { name: 'Open a study' }).waitFor();
    // The reviewers are listed before the form can be sent (the button waits for them).
    await adminPage.getByLabel(`${one.fullName} (${one.email})`).waitFor();
    await adminPage.getByRole('button', { name: 'Open the study' }).click();
    await adminPage.getByText('Enter a title of 3 to 200 characters').waitFor();
    await adminPage.getByText(/Choose between 2 and 30 raters/).waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Title').fill(title);
    await adminPage.getByLabel(`${one.fullName} (${one.email})`).check();
    await adminPage.getByLabel(`${two.fullName} (${two.email})`).check();
    await adminPage.getByRole('button', { name: 'Open the study' }).click();
    await adminPage.getByRole('heading', { name: `Standard-setting study: ${title}` }).waitFor();
    // Round 2 cannot open before both raters have rated everything: the button says why.
    expect(await adminPage.getByRole('button', { name: 'Open round 2' }).isDisabled()).toBe(true);
    await adminPage.getByText(/Waiting for Rhea Ratliff \(0 of \d+\), Sol Angoffson \(0 of \d+\)/).waitFor();
    await expectAccessible(adminPage);
    const studyId = adminPage.url().split('/').pop()!;

    // Rater 1 finds the study on the reviewer home and rates the first three items with the keyboard.
    const raterPage = await newPage(browser);
    await signIn(raterPage, one);
    await raterPage.getByRole('heading', { name: 'Standard-setting studies' }).waitFor();
    await raterPage.getByText(/round 1 open: 0 of \d+ items rated/).waitFor();
    await expectAccessible(raterPage);
    await raterPage.getByRole('link', { name: title }).click();
    await raterPage.getByRole('heading', { name: `Rate the items: ${title}` }).waitFor();
    await raterPage.getByText('(key)').first().waitFor();
    await expectAccessible(raterPage);
    await tabTo(raterPage, /^Minimally competent candidates who answer correctly \(%\), item 1$/);
    await typeRating(raterPage, '60');
    await typeRating(raterPage, '65');
    await typeRating(raterPage, '70');
    const status = raterPage.getByTestId('rating-save-status');
    await raterPage.getByText(/Round 1: 3 of \d+ rated/).waitFor();
    expect(await status.textContent()).toBe('Saved');
    await expectAccessible(raterPage);

    // The rest through the API: rater 1 in one call, rater 2 entirely.
    const view = await apiCall<RaterStudy>('GET', `/api/standard-setting/${studyId}`, one.token);
    expect(view.itemsToRate.slice(0, 3).map((i) => i.position)).toEqual([1, 2, 3]);
    await rateThroughApi(one.token, studyId, view.itemsToRate.slice(3), 0.6);
    await rateThroughApi(two.token, studyId, view.itemsToRate, 0.7);
    const mine = await apiCall<RaterStudy>('GET', `/api/standard-setting/${studyId}`, one.token);
    expect(mine.itemsToRate.slice(0, 3).map((i) => (i as unknown as { rating: number }).rating)).toEqual([0.6, 0.65, 0.7]);

    // The admin opens round 2.
    await adminPage.reload();
    await adminPage.getByText('Every rater has rated every item. Round 2 starts from their round-1 ratings.').waitFor();
    await adminPage.getByRole('button', { name: 'Open round 2' }).click();
    await adminPage.getByText(/Round 2 is open\. Raters now see/).waitFor();
    await adminPage.getByRole('definition').filter({ hasText: 'Round 2 open' }).waitFor();
    await expectAccessible(adminPage);

    // Rater 1 sees their round-1 rating, the panel's mean and how candidates did, and revises item 1.
    await raterPage.reload();
    await raterPage.getByText(/Round 2: \d+ of \d+ rated/).waitFor();
    const first = raterPage.getByRole('article', { name: 'Item 1', exact: true });
    await first.getByText('Your round-1 rating').waitFor();
    const figure = (term: string) => first.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').textContent();
    expect(await figure('Your round-1 rating')).toBe('60%');
    expect(await figure('Panel’s round-1 mean')).toBe('65%');
    expect(await figure('Candidates answering correctly (p)')).toMatch(/^(no data yet|\d+(\.\d)?% of \d+ candidates)$/);
    expect(await figure('Discrimination (r)')).toMatch(/^(no data yet|-?\d\.\d\d)$/);
    await expectAccessible(raterPage);
    await first.getByLabel(RATING_LABEL).focus();
    await typeRating(raterPage, '55');
    await raterPage.getByText('Saved', { exact: true }).waitFor();
    await expectAccessible(raterPage);

    // The admin closes the study and reads the result.
    await adminPage.reload();
    await adminPage.getByRole('button', { name: 'Close and compute the cut' }).click();
    await adminPage.getByRole('heading', { name: 'Result' }).waitFor();
    const closed = await apiCall<Study>('GET', `/api/admin/exams/aida/standard-setting/${studyId}`, admin);
    expect(closed.status).toBe('closed');
    const cut = closed.result!.cutPercent;
    expect(cut).toBeCloseTo(((0.6 * (view.items - 3) + 0.55 + 0.65 + 0.7) / view.items + 0.7) * 50, 1);
    await adminPage.getByText(`Recommended cut: ${percent(cut)}, that is ${closed.result!.cutRaw} of 20 questions correct`).waitFor();
    await adminPage
      .getByRole('table', { name: /Each rater’s cut/ })
      .getByRole('row', { name: /Sol Angoffson 70%/ })
      .waitFor();
    await adminPage.locator('figure svg[role="img"]').waitFor();
    await expectAccessible(adminPage);

    // Adopting: a reason, then a confirmation that states the consequence.
    const before = await apiCall<{ passMarkPercent: number }>('GET', '/api/admin/exams/aida', admin);
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.getByText('Enter a reason of 3 to 500 characters').waitFor();
    await adminPage.getByLabel('Reason').fill('Adopted by the certification board, minute 12');
    await adminPage.getByRole('button', { name: 'Continue' }).click();
    await adminPage.getByText(`From now, candidates pass with ${percent(cut)} instead of ${percent(before.passMarkPercent)}.`).waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: 'Adopt the cut' }).click();
    await adminPage.getByText(`Adopted: a new exam window has a pass mark of ${percent(cut)}.`).waitFor();
    await expectAccessible(adminPage);

    const settings = await apiCall<{ passMarkPercent: number; passMarkSource: string }>('GET', '/api/admin/exams/aida', admin);
    expect(settings).toMatchObject({ passMarkSource: 'standard_setting', passMarkPercent: cut });

    // The list shows it adopted; the rater's page is read-only now.
    await adminPage.getByRole('link', { name: 'All standard-setting studies' }).click();
    await adminPage.getByRole('row', { name: new RegExp(`${title}.*Cut adopted.*${percent(cut).replace('.', '\\.')}`) }).waitFor();
    await expectAccessible(adminPage);
    await raterPage.reload();
    await raterPage.getByText('This study is over and its cut has been adopted.').waitFor();
    expect(await raterPage.getByLabel(RATING_LABEL).count()).toBe(0);
    await expectAccessible(raterPage);
  }, 120_000);
});
