import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { type Account, apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, NARROW, newPage, signIn, WIDE } from './support/browser';
import { connectDb, waitFor } from './support/db';

interface Question {
  id: string;
}

describe('sharing credentials: the verify page, My certificates and the public holder page', () => {
  let browser: Browser;
  let db: Client;
  let holder: Account;
  let number: string;

  /** Passes AIDA through the API, answering each question's key (read from the database, as certificates.e2e does). */
  async function passAida(who: Account): Promise<void> {
    const attempt = await apiCall<{ id: string; questions: Question[] }>('POST', '/api/exams/aida/attempts', who.token);
    for (const q of attempt.questions) {
      const { rows } = await db.query(
        `SELECT q.options, v.content->'options' AS vo FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
        [q.id],
      );
      const key = rows[0].vo.find((o: { key: boolean }) => o.key).id;
      const optionId = rows[0].options.find((o: { source: string }) => o.source === key).id;
      await apiCall('PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, who.token, { optionId });
    }
    await apiCall('POST', `/api/exams/aida/attempts/${attempt.id}/submit`, who.token);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    db = await connectDb();
    holder = await newCandidate('sharer');
    await passAida(holder);
    // The worker issues the certificate through the outbox.
    number = await waitFor(async () => {
      const list = await apiCall<Array<{ number: string }>>('GET', '/api/certificates', holder.token);
      return list[0]?.number;
    }, 'the AIDA certificate');
  });
  afterAll(async () => {
    await db.end();
    await browser.close();
  });

  for (const [width, viewport] of [
    ['1280×800', WIDE],
    ['390×844', NARROW],
  ] as const) {
    it(`the verify page says what the certificate attests, its criteria and its issuer (${width}, signed out)`, async () => {
      const page = await newPage(browser, viewport);
      await page.goto(`/verify/${number}`);
      await page.getByText('This certificate is valid.').waitFor();
      await page.getByRole('heading', { name: 'What it attests' }).waitFor();
      // Each domain the credential covers links to the framework, open at that domain.
      const domains = page
        .getByRole('list')
        .filter({ has: page.getByRole('link', { name: /^D0\d / }) })
        .getByRole('link');
      expect(await domains.count()).toBeGreaterThan(0);
      for (const href of await domains.evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
        expect(href).toMatch(/^\/framework#D0\d$/);
      }
      await page.getByRole('heading', { name: 'Criteria' }).waitFor();
      await page.getByText(/Awarded for meeting the AIDA requirements of the Production Safety Framework/).waitFor();
      expect(await page.getByRole('link', { name: /About the AIDA credential/ }).getAttribute('href')).toBe('/credentials/aida');
      await page.getByRole('heading', { name: 'Issuer' }).waitFor();
      const profile = await page.getByRole('link', { name: 'issuer profile' }).getAttribute('href');
      expect(new URL(profile!).pathname).toBe('/api/public/issuer');
      // The link is the issuer the signed credential names.
      const jwt = await (await page.request.get(`/api/public/certificates/${number}/credential`)).text();
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
      expect(payload.issuer.id).toBe(profile);
      await page.getByText(payload.issuer.name, { exact: false }).first().waitFor();
      // Framework content is shown: its attribution (CC BY 4.0) is in the footer.
      await page.getByRole('contentinfo').getByRole('link', { name: 'CC BY 4.0' }).waitFor();
      await expectAccessible(page);
      await page.context().close();
    });
  }

  /** The setting's section on My certificates. */
  const settingOf = (page: Page) => page.getByRole('region', { name: 'Your public page' });

  it('My certificates: share the verify link and add to LinkedIn; turn the public page on, open it signed out, turn it off', async () => {
    const page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, holder);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.goto('/candidate/certificates');
    await page.getByRole('heading', { name: 'PSF AIDA Examination Certificate' }).waitFor();
    const share = page.getByRole('region', { name: `Share ${number}` });
    const verifyUrl = await share.getByRole('link', { name: /\/verify\// }).getAttribute('href');
    expect(new URL(verifyUrl!).pathname).toBe(`/verify/${number}`);

    // LinkedIn's "Add to profile" form, with the certification's fields filled in.
    const linkedIn = new URL((await share.getByRole('link', { name: /Add to LinkedIn profile/ }).getAttribute('href'))!);
    const [mine] = await apiCall<Array<{ issuedAt: string; expiresAt: string; issuerName: string }>>(
      'GET',
      '/api/certificates',
      holder.token,
    );
    expect(`${linkedIn.origin}${linkedIn.pathname}`).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: 'PSF AIDA Examination Certificate',
      organizationName: mine.issuerName,
      issueYear: String(new Date(mine.issuedAt).getUTCFullYear()),
      issueMonth: String(new Date(mine.issuedAt).getUTCMonth() + 1),
      expirationYear: String(new Date(mine.expiresAt).getUTCFullYear()),
      expirationMonth: String(new Date(mine.expiresAt).getUTCMonth() + 1),
      certUrl: verifyUrl,
      certId: number,
    });
    expect(await share.getByRole('link', { name: /Add to LinkedIn profile/ }).getAttribute('target')).toBe('_blank');

    // Copy with the keyboard: the live region says it, and the clipboard holds the verify link.
    await share.getByRole('button', { name: `Copy the verification link of ${number}` }).focus();
    await page.keyboard.press('Enter');
    await share.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(verifyUrl);

    await settingOf(page).getByText('Your public page is off.').waitFor();
    await expectAccessible(page);
    const toggle = settingOf(page).getByRole('button', { name: 'Turn on my public page' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await settingOf(page)
      .getByText(/Your public page is on:/)
      .waitFor();
    // The focus stays on the button, which now offers the way back.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Turn off my public page');
    const publicUrl = (await settingOf(page)
      .getByRole('link', { name: /\/holders\// })
      .getAttribute('href'))!;
    expect(new URL(publicUrl).pathname).toMatch(/^\/holders\/[A-Za-z0-9_-]{22}$/);
    await expectAccessible(page);

    // Anyone signed out, on a phone: the holder's name and the valid certificate, linking to its verify page.
    const visitor = await newPage(browser, NARROW);
    await visitor.goto(new URL(publicUrl).pathname);
    await visitor.getByRole('heading', { level: 1, name: `Certificates held by ${holder.fullName}` }).waitFor();
    await visitor.getByText(number, { exact: true }).waitFor();
    await expectAccessible(visitor);
    await visitor.getByRole('link', { name: new RegExp(`Verify ${number}`) }).click();
    await visitor.getByRole('heading', { level: 1, name: `Certificate ${number}` }).waitFor();

    // Turned off: the address shows the not-found page (the API answers it 404).
    await settingOf(page).getByRole('button', { name: 'Turn off my public page' }).click();
    await settingOf(page).getByText('Your public page is off.').waitFor();
    await expectAccessible(page);
    await visitor.goto(new URL(publicUrl).pathname);
    await visitor.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await visitor.getByText(/Its holder may have turned it off/).waitFor();
    await expectAccessible(visitor);
    const api = await visitor.request.get(`/api/public/holders/${new URL(publicUrl).pathname.split('/').pop()}`);
    expect(api.status()).toBe(404);
    await visitor.context().close();
    await page.context().close();
  });
});
