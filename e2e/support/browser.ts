import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { readState } from './platform';
import { totpCode } from './totp';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The two widths every public page is checked at: a laptop, and a phone held upright. */
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

export async function newPage(browser: Browser, viewport = WIDE): Promise<Page> {
  const context = await browser.newContext({ baseURL: readState().baseUrl, locale: 'en-GB', viewport });
  return context.newPage();
}

/** Fails the test on any WCAG 2.x A/AA violation axe-core finds on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect({ url: page.url(), violations: summary }).toEqual({ url: page.url(), violations: [] });
}

/** Presses Tab until the element with the given accessible name has focus (keyboard-only navigation). */
export async function tabTo(page: Page, name: string | RegExp, maxTabs = 40): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const labelled = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return (labelled ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    });
    if (typeof name === 'string' ? focused === name : name.test(focused)) return;
  }
  throw new Error(`could not reach "${name}" with the Tab key`);
}

/**
 * Signs in through the login form, as a person would; for an account with a TOTP secret it waits for
 * the form to ask for the authentication code and enters a fresh one.
 */
export async function signIn(page: Page, who: { email: string; password: string; totpSecret?: string }): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  if (!who.totpSecret) return;
  const code = page.getByLabel('Authentication code', { exact: true });
  await code.waitFor();
  await code.fill(await totpCode(who.totpSecret));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
