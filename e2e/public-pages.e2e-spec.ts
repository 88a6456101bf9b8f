import { type Browser, type Page } from 'playwright-core';
import { expectAccessible, launchBrowser, NARROW, newPage, tabTo, WIDE } from './support/browser';

/** The public pages a visitor reads before having an account: the programme, each credential and the framework. */
describe('public pages: the programme, the credentials and the framework, at both widths', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  for (const [label, viewport] of [
    ['1280×800', WIDE],
    ['390×844', NARROW],
  ] as const) {
    describe(`at ${label}`, () => {
      let page: Page;
      beforeEach(async () => {
        page = await newPage(browser, viewport);
      });
      afterEach(() => page.context().close());

      it('the home page explains the three certifications, and a keyboard user reaches a credential page from it', async () => {
        await page.goto('/');
        await page.getByRole('heading', { level: 1, name: 'Certification in the Production Safety Framework' }).waitFor();
        for (const name of ['PSF AIDA Examination Certificate', 'PSF CPAP Practitioner Certification', 'PSF CPAA Assessor Certification']) {
          await page.getByRole('heading', { level: 3, name }).waitFor();
        }
        // The figures come from the platform: the exam's time limit and the fees the body set.
        const aida = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'PSF AIDA Examination Certificate' }) });
        expect(await aida.locator('dd').allTextContents()).toEqual([
          '20 questions in 30 minutes, online',
          'Nothing: open to every account',
          '2 years',
          'No charge',
        ]);
        await page.getByRole('heading', { name: 'The eight domains of the PSF' }).waitFor();
        expect(await page.locator('.domain-list li').count()).toBe(8);
        await expectAccessible(page);

        await tabTo(page, 'More about CPAP', 80);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: 'PSF CPAP Practitioner Certification' }).waitFor();
        expect(new URL(page.url()).pathname).toBe('/credentials/cpap');
        const facts = Object.fromEntries(
          await page
            .locator('dl.facts > div')
            .evaluateAll((rows) => rows.map((r) => [r.querySelector('dt')!.textContent, r.querySelector('dd')!.textContent])),
        );
        expect(facts).toMatchObject({
          Format: 'A portfolio on 35 criteria, scored by two reviewers',
          Review: 'Two independent reviewers each have 14 days once they accept your portfolio',
          'Before you start': 'Pass AIDA',
          'Valid for': '3 years',
        });
        expect(facts.Fee).toMatch(/^€350\s*Invoiced by the certification body/);
        expect(await page.locator('.steps-list li').count()).toBe(4);
        expect(await page.getByRole('link', { name: /^D0\d / }).count()).toBe(7);
        await expectAccessible(page);

        // The prerequisite links to its own page.
        await page.getByRole('link', { name: 'AIDA', exact: true }).click();
        await page.getByRole('heading', { level: 1, name: 'PSF AIDA Examination Certificate' }).waitFor();
        await page.getByText('70% of the scored questions').waitFor();
        await page.getByText('You may sit it again after 7 days').waitFor();
        await page.getByRole('link', { name: 'Create an account to start' }).waitFor();
        await expectAccessible(page);
      });

      it('the framework page shows the 40 criteria, jumps to a domain, cites the framework and lists its versions', async () => {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        await page.goto('/framework');
        await page.getByRole('heading', { level: 1, name: 'Production Safety Framework v1.0' }).waitFor();
        expect(await page.locator('.criteria-list li').count()).toBe(40);
        await page.getByText('D08.5', { exact: true }).waitFor();
        await expectAccessible(page);

        // The contents link moves the focus to its domain, so the keyboard carries on from there.
        await tabTo(page, /^D04 Guardrails/, 60);
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement?.id === 'D04');
        expect(new URL(page.url()).hash).toBe('#D04');

        await page.getByRole('button', { name: 'Copy the BibTeX citation' }).click();
        await page.getByText('BibTeX citation copied.').waitFor();
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toMatch(/^@misc\{psf2024v10,/);
        await page
          .getByText('Production AI Institute. (2024). Production Safety Framework (Version 1.0). https://productionai.institute/standard')
          .waitFor();
        const history = page.getByRole('table', { name: 'Versions of the framework, oldest first' });
        expect(await history.getByRole('row').count()).toBe(2);
        await expectAccessible(page);
      });

      it('a domain link from elsewhere opens the framework at that domain', async () => {
        await page.goto('/credentials/cpaa');
        await page.getByRole('link', { name: /^D08 / }).click();
        await page.waitForFunction(() => document.activeElement?.id === 'D08');
        await page.getByRole('heading', { level: 2, name: /^D08 / }).waitFor();
      });

      it('an unknown address answers 404 from the server, and its page says where to go', async () => {
        const response = await page.goto('/credentials/phd');
        expect(response?.status()).toBe(404);
        await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
        for (const name of ['The start page', 'The Production Safety Framework', 'Verify a certificate', 'Sign in']) {
          await page.getByRole('main').getByRole('link', { name }).waitFor();
        }
        await expectAccessible(page);
        expect((await page.goto('/candidate/nothing-here'))?.status()).toBe(404);
        expect((await page.goto('/assets/no-such-file.js'))?.status()).toBe(404);
        expect((await page.goto('/framework/'))?.status()).toBe(200);
        expect((await page.goto('/credentials/aida'))?.status()).toBe(200);
        // Known pages behind a role gate are pages all the same: the gate, not the server, sends a visitor to sign in.
        expect((await page.goto('/candidate/aida'))?.status()).toBe(200);
      });
    });
  }
});
