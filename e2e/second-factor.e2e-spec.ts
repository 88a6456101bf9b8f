import { randomBytes } from 'node:crypto';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { apiCall, apiLogin, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { platformCli } from './support/platform';
import { totpAt, totpCode } from './support/totp';

describe('two-step sign-in in the browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  /** On /account: starts the enrolment, reads the key shown as text, confirms with a code; returns the secret and the recovery codes. */
  async function enrol(page: Page): Promise<{ secret: string; codes: string[] }> {
    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    await page.getByRole('img', { name: /QR code for adding your PSF Certification account/ }).waitFor();
    const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await expectAccessible(page);

    // A code from long ago is refused, on the field.
    const code = page.getByLabel('Code from your app');
    await code.fill(totpAt(secret, Math.floor(Date.now() / 30_000) - 20));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await invalid(code);
    await expectAccessible(page);

    await code.fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    const codes = (await page.locator('.code-list code').allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    await expectAccessible(page);

    // The codes download as a text file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as .txt' }).click()]);
    expect(download.suggestedFilename()).toBe('psf-recovery-codes.txt');
    const saved = await download.createReadStream().then(async (stream) => {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
    for (const c of codes) expect(saved).toContain(c);

    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.getByText('Two-step sign-in is on.').waitFor();
    await expectAccessible(page);
    return { secret, codes };
  }

  /** Waits until the field is marked invalid (its error is tied to it: FormField). */
  async function invalid(field: Locator): Promise<void> {
    await field.and(field.page().locator('[aria-invalid="true"]')).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
  }

  it('a candidate turns on two-step sign-in, then signs in with a code, and once with a recovery code', async () => {
    const candidate = await newCandidate('twostep');
    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await tabTo(page, 'Account');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.getByText('Two-step sign-in is off.').waitFor();
    await expectAccessible(page);

    const { secret, codes } = await enrol(page);
    await signOut(page);

    // The sign-in form asks for the code after the password.
    await page.getByLabel('Email').fill(candidate.email);
    await page.getByLabel('Password', { exact: true }).fill(candidate.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = page.getByLabel('Authentication code', { exact: true });
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await expect(code.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expectAccessible(page);
    // A wrong code is refused on the field.
    await code.fill(totpAt(secret, Math.floor(Date.now() / 30_000) - 20));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await invalid(code);
    await expectAccessible(page);
    await code.fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await signOut(page);

    // Once with a recovery code instead.
    await page.getByLabel('Email').fill(candidate.email);
    await page.getByLabel('Password', { exact: true }).fill(candidate.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Authentication code', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(codes[0]);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await signOut(page);

    // A recovery code works once.
    await page.getByLabel('Email').fill(candidate.email);
    await page.getByLabel('Password', { exact: true }).fill(candidate.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    const recovery = page.getByLabel('Recovery code');
    await recovery.fill(codes[0]);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('That recovery code is not valid or has been used').waitFor();
    await invalid(recovery);

    // The API agrees: no session without a code.
    await expect(apiLogin(candidate.email, candidate.password)).rejects.toThrow(/mfa_required/);

    // A candidate may turn it off again, with a current code.
    await signIn(page, { ...candidate, totpSecret: secret });
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByText('Two-step sign-in is on.').waitFor();
    await page.getByLabel('Authentication code', { exact: true }).fill(await totpCode(secret));
    await page.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
    await page.getByText('Two-step sign-in is off. You sign in with your password alone.').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('an administrator without a second factor is sent to the account page to set one up first', async () => {
    const admin = {
      email: `admin-nofactor-${randomBytes(3).toString('hex')}@example.org`,
      password: `admin-${randomBytes(8).toString('hex')}`,
    };
    platformCli(['user:create', '--email', admin.email, '--password', admin.password, '--name', 'Noor Newadmin', '--role', 'admin']);

    // The API refuses it everything but enrolment.
    const token = await apiLogin(admin.email, admin.password);
    await expect(apiCall('GET', '/api/admin/users', token)).rejects.toThrow(/403.*mfa_enrolment_required/);

    const page = await newPage(browser);
    await signIn(page, admin);
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.getByText('Set up two-step sign-in to continue.').waitFor();
    await expectAccessible(page);
    // Every staff page leads back here until it is done.
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await page.getByText('Set up two-step sign-in to continue.').waitFor();

    await enrol(page);
    // Staff keep it: no way to turn it off, and the page says why.
    expect(await page.getByRole('button', { name: 'Turn off two-step sign-in' }).count()).toBe(0);
    await page.getByText(/stays on for reviewer and administrator accounts/).waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
