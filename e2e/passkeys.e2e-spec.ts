import { type Browser, type CDPSession, type Page } from 'playwright-core';
import { newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';

describe('passkeys in the browser (Chromium virtual authenticator)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  /** A platform authenticator with resident keys and user verification (a laptop's fingerprint reader, say). */
  async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    return { cdp, authenticatorId };
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
  }

  it('a candidate adds a passkey on /account (a second one asks for a step-up), signs out, and signs in with it (from the start and after the password)', async () => {
    const candidate = await newCandidate('passkey');
    const page = await newPage(browser);
    const { cdp, authenticatorId } = await virtualAuthenticator(page);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();

    await page.goto('/account');
    await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
    await page.getByText('You have no passkeys yet.').waitFor();
    await expectAccessible(page);

    // The name field takes the focus; an empty name is refused on the field.
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const name = page.getByLabel('Name for the passkey');
    await expect(name.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    await name.and(page.locator('[aria-invalid="true"]')).waitFor();
    await expectAccessible(page);

    await name.fill('Test laptop');
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    // The account's first second factor: recovery codes, shown once.
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('.code-list code').count()).toBe(10);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await page.getByRole('status').filter({ hasText: 'Your passkey is added' }).waitFor();
    await page.locator('.passkey-list').getByText('Test laptop').waitFor();
    await expectAccessible(page);

    // A second passkey needs a recent second factor, which this password-only session has not shown: the
    // step-up dialog asks, and the passkey answers it. This device already holds one, so it declines to make another.
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByLabel('Name for the passkey').fill('Same laptop');
    await page.getByRole('button', { name: 'Create the passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('This device already holds a passkey for your account.').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);

    // Sign-in with the passkey alone, from the sign-in page.
    await signOut(page);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();

    // The password alone is no longer enough: the page offers the passkey.
    await signOut(page);
    await page.getByLabel('Email').fill(candidate.email);
    await page.getByLabel('Password', { exact: true }).fill(candidate.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Your account signs in with a passkey').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();

    // The passkey shows its last use on /account.
    await page.goto('/account');
    await page
      .locator('.passkey-list')
      .getByText(/last used/)
      .waitFor();
    await expectAccessible(page);
  });
});
