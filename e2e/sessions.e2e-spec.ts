import { type Browser, type Page } from 'playwright-core';
import { apiCall, newCandidate, promote } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { totpCode } from './support/totp';

describe('sessions and step-up in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  async function openSessions(page: Page): Promise<void> {
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByRole('table', { name: 'Signed-in devices' }).waitFor();
  }

  /** The "Sign out" buttons of the other devices' rows (this device's says "(this device)"), newest first. */
  const otherDevices = (page: Page) => page.getByRole('button', { name: /^Sign out Headless Chrome on Linux, signed in/ });

  it('lists each signed-in device; signing one out ends it on its next action; then every other device at once', async () => {
    // registerAccount signs in through the API: that is a session too (a script, not a browser).
    const candidate = await newCandidate('sessions');
    const laptop = await newPage(browser);
    await signIn(laptop, candidate);
    await laptop.getByRole('heading', { name: 'My certification' }).waitFor();
    const phone = await newPage(browser);
    await signIn(phone, candidate);
    await phone.getByRole('heading', { name: 'My certification' }).waitFor();

    await openSessions(laptop);
    const table = laptop.getByRole('table', { name: 'Signed-in devices' });
    // The header row, the two browsers and the API's sign-in.
    expect(await table.getByRole('row').count()).toBe(4);
    await table.getByRole('rowheader', { name: 'Headless Chrome on Linux (this device)' }).waitFor();
    expect(await otherDevices(laptop).count()).toBe(1);
    await expectAccessible(laptop);

    // Newest first: the other browser is the phone, signed in last.
    await otherDevices(laptop).first().click();
    await laptop
      .getByRole('status')
      .getByText(/^Signed out Headless Chrome on Linux, signed in/)
      .waitFor();
    expect(await otherDevices(laptop).count()).toBe(0);
    await expectAccessible(laptop);

    // The phone finds out on its next action: back to the sign-in page.
    await phone.getByRole('link', { name: 'Account' }).first().click();
    await phone.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(phone);

    // The API session is the only other one left.
    await laptop.getByRole('button', { name: 'Sign out all other devices' }).click();
    await laptop.getByRole('status').getByText('Signed out 1 other device.').waitFor();
    expect(await table.getByRole('row').count()).toBe(2);
    expect(await laptop.getByRole('button', { name: 'Sign out all other devices' }).count()).toBe(0);
    await expectAccessible(laptop);

    // The laptop goes on as before.
    await laptop.getByRole('link', { name: 'My certificates' }).first().click();
    await laptop.getByRole('heading', { name: 'My certificates' }).waitFor();
    await laptop.context().close();
    await phone.context().close();
  });

  it('an admin action asks to confirm with a code (Escape cancels), then goes through', async () => {
    // Signed in in the browser with the password alone, then made an administrator (with TOTP, set up
    // through the API): this browser session has not proven a second factor.
    const person = await newCandidate('stepup');
    const page = await newPage(browser);
    await signIn(page, person);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    const admin = await promote(person, ['admin']);
    const candidate = await newCandidate('accommodated');
    const { id } = await apiCall<{ id: string }>('GET', '/api/me', candidate.token);
    await page.goto(`/admin/people/${id}`);
    await page.getByRole('heading', { name: 'AIDA time accommodation' }).waitFor();
    await page.getByText(/has the standard time limit/).waitFor();

    const save = page.getByRole('button', { name: 'Save accommodation' });
    await page.getByLabel('Time multiplier').fill('1.5');
    await save.click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    const code = dialog.getByLabel('Authentication code or recovery code');
    expect(await code.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);

    // Escape cancels: the action is refused, and says why.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('alert')
      .getByText(/Confirm it is you/)
      .waitFor();

    // Again: a wrong code is refused on the field, then the right one lets the action through.
    await save.click();
    await dialog.waitFor();
    await code.fill('aaaaa-bbbbb');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await code.and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectAccessible(page);
    await code.fill(await totpCode(admin.totpSecret!));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Accommodation saved.').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
