import { type Browser, type Locator, type Page } from 'playwright-core';
import { newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

describe('account administration in the browser: the People page', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  /** Waits (up to 5 s) until the element has the keyboard focus. */
  async function expectFocused(locator: Locator): Promise<void> {
    for (let i = 0; i < 50; i++) {
      if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${locator} never had the focus`);
  }

  /** On a person's page: gives the reason, opens the confirmation with the keyboard and confirms it. */
  async function changeStanding(page: Page, action: 'Deactivate account' | 'Reactivate account', reason: string): Promise<void> {
    await page.getByLabel('Reason (required; recorded in the audit log)').fill(reason);
    await page.getByRole('button', { name: action }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The safe choice has the focus; Shift+Tab reaches the action.
    await expectFocused(dialog.getByRole('button', { name: 'Cancel' }));
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }

  it('an administrator finds a candidate, deactivates them (their open tab is signed out), and reactivates them', async () => {
    const candidate = await newCandidate('people');
    const candidateTab = await newPage(browser);
    await signIn(candidateTab, candidate);
    await candidateTab.getByRole('heading', { name: 'My certification' }).waitFor();

    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await tabTo(page, /^People: find anyone/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByRole('status').filter({ hasText: /found/ }).waitFor();
    await expectAccessible(page);

    // Search by address with the keyboard: the result count is announced, the name links to the person.
    await tabTo(page, 'Name or e-mail address');
    await page.keyboard.type(candidate.email);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: '1 person found' }).waitFor();
    await expectAccessible(page);
    await tabTo(page, candidate.fullName);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: candidate.fullName, level: 1 }).waitFor();
    await page.locator('.status-badge', { hasText: /^Active$/ }).waitFor();
    await expectAccessible(page);

    // A change of standing needs a reason: the error is on the field and the field takes the focus.
    await page.getByRole('button', { name: 'Deactivate account' }).focus();
    await page.keyboard.press('Enter');
    const reason = page.getByLabel('Reason (required; recorded in the audit log)');
    await reason.and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectFocused(reason);
    await expectAccessible(page);

    // Escape closes the confirmation without doing anything, and the focus returns to the button.
    await reason.fill('Identity documents did not match');
    await page.getByRole('button', { name: 'Deactivate account' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Deactivate this account?' }).waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expectFocused(page.getByRole('button', { name: 'Deactivate account' }));

    await changeStanding(page, 'Deactivate account', 'Identity documents did not match');
    await page.getByText('The account is deactivated and every session of it has ended.').waitFor();
    await page.locator('.status-badge', { hasText: /^Deactivated$/ }).waitFor();
    await expectAccessible(page);

    // The candidate's open tab: the next thing they do finds the session gone and asks them to sign in.
    await candidateTab.getByRole('link', { name: 'My certificates' }).click();
    await candidateTab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await candidateTab.getByLabel('Email').fill(candidate.email);
    await candidateTab.getByLabel('Password', { exact: true }).fill(candidate.password);
    await candidateTab.getByRole('button', { name: 'Sign in', exact: true }).click();
    await candidateTab.getByText('Invalid email or password').waitFor();
    await expectAccessible(candidateTab);

    // Reactivated, they sign in again.
    await changeStanding(page, 'Reactivate account', 'Documents confirmed in person');
    await page.getByText('The account is active again.').waitFor();
    await page.locator('.status-badge', { hasText: /^Active$/ }).waitFor();
    await expectAccessible(page);
    await candidateTab.getByRole('button', { name: 'Sign in', exact: true }).click();
    // back where they were going when the session ended
    await candidateTab.getByRole('heading', { name: 'My certificates' }).waitFor();

    // Back to the list, filtered to deactivated people: the candidate is no longer among them.
    await page.getByRole('link', { name: 'Back to People' }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByLabel('Status').selectOption('deactivated');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '0 people found' }).waitFor();
    expect(await page.getByRole('link', { name: candidate.fullName }).count()).toBe(0);
    await expectAccessible(page);
  });
});
