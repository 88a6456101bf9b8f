import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { type Browser, type Page } from 'playwright-core';
import { type Account, adminToken, apiCall, apiLogin, mailTo, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';

/** The newest "your data is ready" link mailed to the address, read from the platform's stored mail as an administrator would. */
async function exportLinkFromMail(email: string): Promise<string> {
  const pattern = /https?:\/\/\S+(\/account\/data-export\/[0-9a-f-]{36}\?token=[A-Za-z0-9_-]+)/;
  for (let i = 0; i < 160; i++) {
    const admin = await adminToken();
    const messages = await mailTo(admin, email);
    for (const m of messages) {
      const { body } = await apiCall<{ body: string | null }>('GET', `/api/admin/mail/${m.id}`, admin);
      const match = body?.match(pattern);
      if (match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no data export e-mail reached ${email}`);
}

/** data.json from the archive, read through the ZIP central directory. */
function dataJsonOf(archive: Buffer): { account: { email: string; fullName: string } } {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < archive.readUInt16LE(end + 10); i++) {
    const nameLength = archive.readUInt16LE(at + 28);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (name === 'data.json') {
      const local = archive.readUInt32LE(at + 42);
      const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
      const body = archive.subarray(start, start + archive.readUInt32LE(at + 20));
      return JSON.parse((archive.readUInt16LE(at + 10) === 8 ? inflateRawSync(body) : body).toString('utf8'));
    }
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  throw new Error('no data.json in the archive');
}

/** Signs the person in, waits for their home page, then follows the Account link to "Your data". */
async function openAccountAs(page: Page, who: Account): Promise<void> {
  await signIn(page, who);
  await page.waitForURL(/\/candidate$/);
  await page.getByRole('link', { name: 'Account' }).first().click();
  await page.getByRole('heading', { name: 'Your data' }).waitFor();
}

describe('data rights in the browser: download my data, delete my account', () => {
  let browser: Browser;
  let erin: Account;

  beforeAll(async () => {
    browser = await launchBrowser();
    erin = await newCandidate('erin');
  });
  afterAll(() => browser.close());
  const openAccount = (page: Page) => openAccountAs(page, erin);

  it('a candidate asks for their data, opens the e-mailed link and downloads the zip', async () => {
    const page = await newPage(browser);
    await openAccount(page);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Download my data' }).click();
    await page.getByText('We are preparing your data and will e-mail you a link').waitFor();
    await page.getByText(/Your data is ready/).waitFor({ timeout: 30_000 });
    await expectAccessible(page);

    await page.goto(await exportLinkFromMail(erin.email));
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the zip file' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('psf-personal-data.zip');
    const data = dataJsonOf(readFileSync((await download.path())!));
    expect(data.account).toMatchObject({ email: erin.email.toLowerCase(), fullName: erin.fullName });
    await page.getByText('Downloaded.').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('a candidate deletes their account in the confirm dialog (keyboard), is signed out with a message and cannot sign in again', async () => {
    const page = await newPage(browser);
    await openAccount(page);
    const opener = page.getByRole('button', { name: 'Delete my account…' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.waitFor();
    // Focus starts in the dialog, on the password; Escape closes it and gives focus back.
    expect(await dialog.getByLabel('Your password').evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

    await opener.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('not my password');
    await page.keyboard.press('Tab');
    await page.keyboard.type('delete');
    await page.keyboard.press('Enter');
    await dialog.getByText('Type the word DELETE in capitals').waitFor();
    await expectAccessible(page);

    await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await dialog.getByText('Your password is not right').waitFor();
    expect(await dialog.getByLabel('Your password').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Your password').fill(erin.password);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Your account has been deleted and you have been signed out.').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page);

    await expect(apiLogin(erin.email, erin.password)).rejects.toThrow(/401/);
    await page.context().close();
  });
});
