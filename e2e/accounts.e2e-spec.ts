import { type Browser } from 'playwright-core';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

describe('accounts in the browser', () => {
  let browser: Browser;
  const password = 'correct horse battery staple';
  // Registered through the API for the tests that are not about registration itself.
  const dana = { email: `dana-${Date.now()}@example.org`, password, fullName: 'Dana Candidate' };

  beforeAll(async () => {
    browser = await launchBrowser();
    const res = await fetch(`${readState().baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(dana),
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => browser.close());

  it('a new candidate registers and signs in with the keyboard alone, and signs out', async () => {
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

    await tabTo(page, 'Full name');
    await page.keyboard.type('Casey Candidate');
    await page.keyboard.press('Tab');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your account is ready').waitFor();
    await expectAccessible(page);
    await tabTo(page, 'Email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    expect(await page.getByText('Casey Candidate').count()).toBeGreaterThan(0);
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

  it('an administrator reads the welcome e-mail the worker sent to a new candidate', async () => {
    const email = dana.email;
    const page = await newPage(browser);
    await signIn(page, readState().admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.getByRole('cell', { name: email }).waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Outgoing mail' }).click();
    await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
    // The worker sends it through the outbox; poll by reloading rather than sleeping.
    for (let i = 0; i < 30 && (await page.getByRole('cell', { name: email }).count()) === 0; i++) {
      await page.waitForTimeout(300);
      await page.reload();
      await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
    }
    await expectAccessible(page);
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: email }) });
    await row.getByRole('link', { name: 'Welcome to the PSF certification platform' }).click();
    await page.getByText('Hello Dana Candidate,').waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
