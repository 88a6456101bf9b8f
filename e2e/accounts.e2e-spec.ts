import { type Browser } from 'playwright-core';
import { type Account, mailLink, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

// The subject of the verification e-mail (api/src/modules/auth/jobs).
const VERIFICATION_SUBJECT = 'Confirm your e-mail address for the PSF certification platform';

describe('accounts in the browser', () => {
  let browser: Browser;
  const password = 'correct horse battery staple';
  // Registered (and verified through the e-mailed link) by the API, for the tests that are not about registration.
  let dana: Account;

  beforeAll(async () => {
    browser = await launchBrowser();
    dana = await newCandidate('dana');
  });
  afterAll(() => browser.close());

  it('a new candidate registers, confirms the address from the e-mail and signs in with the keyboard alone, and signs out', async () => {
    const email = `casey-${Date.now()}@example.org`;
    const page = await newPage(browser);
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: 'Certification in the Production Safety Framework' }).waitFor();
    await expectAccessible(page);

    await tabTo(page, 'Create account');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await expectAccessible(page);

    // Submitting empty shows the errors, tied to their fields.
    await tabTo(page, 'Create account');
    await page.keyboard.press('Enter');
    await page.getByText('Enter your full name').waitFor();
    await expectAccessible(page);

    // A password from the breached list is refused, on the password field.
    await tabTo(page, 'Full name');
    await page.keyboard.type('Casey Candidate');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('1qaz2wsx3edc');
    await page.keyboard.press('Enter');
    const passwordField = page.getByLabel('Password', { exact: true });
    await page.getByText(/breached passwords/).waitFor();
    expect(await passwordField.getAttribute('aria-invalid')).toBe('true');
    const described = (await passwordField.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${described.split(' ').pop()}"]`).textContent()).toMatch(/breached passwords/);
    await expectAccessible(page);

    await passwordField.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.getByText(email).waitFor();
    await page.getByText(/expires in 24 hours/).waitFor();
    await page.getByRole('button', { name: 'Resend the link' }).waitFor();
    await expectAccessible(page);

    // The link from the stored e-mail confirms the address.
    const { url } = await mailLink(email, 'verify-email');
    expect(url.startsWith(`${readState().baseUrl}/verify-email?token=`)).toBe(true);
    await page.goto(url);
    await page.getByRole('heading', { name: 'E-mail address confirmed' }).waitFor();
    await expectAccessible(page);
    // A link works once.
    await page.reload();
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await page.getByText(/invalid, has expired or has already been used/).waitFor();
    await expectAccessible(page);

    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page);
    await tabTo(page, 'Email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    expect(await page.getByText('Casey Candidate').count()).toBeGreaterThan(0);
    // Confirmed: no banner asking to confirm the address.
    expect(await page.getByText(/Confirm your e-mail address to start an exam/).count()).toBe(0);
    await expectAccessible(page);

    // A reload keeps the session (refresh cookie → new access token).
    await page.reload();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();

    await tabTo(page, 'Sign out');
    await page.keyboard.press('Enter');
    await page.getByText('You have signed out.').waitFor();
    await page.goto('/candidate');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.context().close();
  });

  it('an unconfirmed candidate sees the banner on every page, asks for a new link, and cannot start the exam until confirmed', async () => {
    const casey = await newCandidate('unconfirmed', 'example.org', { verified: false });
    const page = await newPage(browser);
    await signIn(page, casey);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    const banner = page
      .getByRole('status')
      .filter({ hasText: 'Confirm your e-mail address to start an exam, submit a portfolio or book a panel' });
    await banner.waitFor();
    await expectAccessible(page);

    await banner.getByRole('button', { name: 'Resend the link' }).focus();
    await page.keyboard.press('Enter');
    await banner.getByText(`A new link is on its way to ${casey.email}`).waitFor();
    await expectAccessible(page);
    // Two messages now: the first and the resent one; the newest link confirms the address.
    const resent = await mailLink(casey.email, 'verify-email', 1);
    expect(resent.count).toBe(2);

    // The exam cannot start yet: the API's refusal is shown.
    await page.getByRole('link', { name: 'Take the AIDA exam' }).click();
    await page.getByRole('heading', { name: 'AIDA examination' }).waitFor();
    await banner.waitFor();
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page
      .getByText(/Confirm your e-mail address first/)
      .first()
      .waitFor();
    await expectAccessible(page);

    await page.goto(resent.url);
    await page.getByRole('heading', { name: 'E-mail address confirmed' }).waitFor();
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await banner.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('a broken verification link says so and offers a new one', async () => {
    const page = await newPage(browser);
    await page.goto('/verify-email?token=not-a-real-token');
    await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await page.getByText('Enter your email address').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Email').fill('nobody-here@example.org');
    await page.getByRole('button', { name: 'Send a new link' }).click();
    await page.getByText(/a new link is on its way/).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('a forgotten password is reset from the e-mailed link: the old one is refused, the new one works', async () => {
    const erin = await newCandidate('forgetful');
    const page = await newPage(browser);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Email').fill(erin.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.getByText(/expires in 1 hour/).waitFor();
    await expectAccessible(page);

    const { url } = await mailLink(erin.email, 'reset-password');
    expect(url.startsWith(`${readState().baseUrl}/reset-password?token=`)).toBe(true);
    await page.goto(url);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await expectAccessible(page);
    const fresh = 'a brand new passphrase for erin';
    await page.getByLabel('New password', { exact: true }).fill(fresh);
    await page.getByLabel('Confirm new password').fill('something else entirely');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByText('The two passwords do not match').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Confirm new password').fill(fresh);
    await page.getByRole('button', { name: 'Save the new password' }).click();

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your password has been changed').waitFor();
    await expectAccessible(page);

    await signIn(page, erin);
    await page.getByRole('alert').getByText('Invalid email or password').waitFor();
    await signIn(page, { ...erin, password: fresh });
    await page.getByRole('heading', { name: 'My certification' }).waitFor();

    // The link worked once.
    await page.goto(url);
    await page.getByLabel('New password', { exact: true }).fill('yet another passphrase here');
    await page.getByLabel('Confirm new password').fill('yet another passphrase here');
    await page.getByRole('button', { name: 'Save the new password' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Ask for a new link' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('shows one clear message for a wrong password', async () => {
    const page = await newPage(browser);
    await signIn(page, { email: dana.email, password: 'not the right password' });
    await page.getByRole('alert').getByText('Invalid email or password').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('keeps a candidate out of the administration area', async () => {
    const page = await newPage(browser);
    await signIn(page, dana);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await page.goto('/admin/mail');
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('an administrator signs in with a code and reads the verification e-mail the worker sent to a new candidate', async () => {
    const email = dana.email;
    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await expectAccessible(page);
    // The new account is listed under People, found by its address.
    await page.getByRole('link', { name: /^People/ }).click();
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await page.getByLabel('Name or e-mail address').fill(email);
    await page.getByLabel('Name or e-mail address').press('Enter');
    await page.getByRole('status').filter({ hasText: '1 person found' }).waitFor();
    await page.getByRole('row').filter({ hasText: email }).waitFor();
    await expectAccessible(page);

    await page.goto('/admin');
    await page.getByRole('link', { name: 'Outgoing mail' }).click();
    await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
    // The mail list is searched on the server: the candidate's address finds their messages whatever came since.
    await page.getByLabel('Recipient or subject').fill(email);
    await page.getByLabel('Recipient or subject').press('Enter');
    await page.locator('p.result-count', { hasText: /^\d+ messages? found/ }).waitFor();
    await page.getByRole('cell', { name: email }).first().waitFor();
    await expectAccessible(page);
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: email }) });
    await row.getByRole('link', { name: VERIFICATION_SUBJECT }).first().click();
    await page.getByText('Hello dana Candidate,').waitFor();
    await page.getByText(/\/verify-email\?token=/).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
