import { readFileSync } from 'node:fs';
import { type Client } from 'pg';
import { type Browser } from 'playwright-core';
import { apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { connectDb, keyOf } from './support/db';
import { readState } from './support/platform';

describe('certificates in the browser', () => {
  let browser: Browser;
  let db: Client;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = await connectDb();
  });
  afterAll(async () => {
    await db.end();
    await browser.close();
  });

  it('pass the exam, download the PDF from My certificates, verify it; a revoke shows on the verify page', async () => {
    const candidate = await newCandidate('certified');
    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Take the AIDA exam' }).click();
    await page.getByRole('button', { name: 'Start the examination' }).click();
    await page.getByRole('heading', { name: 'Question 1 of 22' }).waitFor();
    const [attempt] = await apiCall<Array<{ id: string }>>('GET', '/api/exams/aida/attempts', candidate.token);
    const detail = await apiCall<{ questions: Array<{ id: string }> }>('GET', `/api/exams/aida/attempts/${attempt.id}`, candidate.token);
    for (let n = 1; n <= 22; n++) {
      await page.getByRole('heading', { name: `Question ${n} of 22` }).waitFor();
      await page.locator(`input[value="${await keyOf(db, detail.questions[n - 1].id)}"]`).check();
      await page.getByRole('button', { name: n < 22 ? 'Next' : 'Review answers' }).click();
    }
    await page.getByRole('button', { name: 'Submit the examination' }).click();
    await page.getByRole('button', { name: 'Yes, submit' }).click();
    await page.getByRole('heading', { name: 'You passed the AIDA examination' }).waitFor();
    await page.getByText('20 of 20 correct').waitFor();

    // The worker issues the certificate through the outbox; it appears in My certificates.
    await page.getByRole('link', { name: 'My certificates' }).first().click();
    await page.getByRole('heading', { name: 'My certificates' }).waitFor();
    for (let i = 0; i < 40 && (await page.getByRole('heading', { name: 'PSF AIDA Examination Certificate' }).count()) === 0; i++) {
      await page.waitForTimeout(250);
      await page.reload();
      await page.getByRole('heading', { name: 'My certificates' }).waitFor();
    }
    await page.getByText('Valid', { exact: true }).waitFor();
    await expectAccessible(page);
    const number = (await page.locator('dt:text("Number") + dd').textContent())!.trim();
    expect(number).toMatch(/^PSF-/);
    const linkedIn = await page.getByRole('link', { name: /Add to LinkedIn/ }).getAttribute('href');
    expect(linkedIn).toContain('startTask=CERTIFICATION_NAME');
    expect(linkedIn).toContain(`certId=${number}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download PDF/ }).click()]);
    expect(download.suggestedFilename()).toBe(`${number}.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByRole('link', { name: /Verification page/ }).click();
    await page.getByRole('heading', { name: `Certificate ${number}` }).waitFor();
    await page.getByText('This certificate is valid.').waitFor();
    await page.locator('dd', { hasText: candidate.fullName }).waitFor();
    await page.getByRole('img', { name: /PSF AIDA Examination Certificate badge/ }).waitFor();
    await expectAccessible(page);

    // The page as the server sends it (what a LinkedIn or chat crawler reads, without running the SPA).
    const served = await page.request.get(`/verify/${number}`);
    expect(served.status()).toBe(200);
    const head = await served.text();
    const meta = (key: string) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(head)?.[1];
    expect(meta('og:title')).toBe(`${candidate.fullName}: PSF AIDA Examination Certificate (AIDA)`);
    expect(meta('og:description')).toContain(`${candidate.fullName} holds the PSF AIDA Examination Certificate`);
    expect(meta('og:url')).toMatch(new RegExp(`/verify/${number}$`));
    expect(meta('twitter:card')).toBe('summary');
    const image = await page.request.get(new URL(meta('og:image')!).pathname);
    expect([image.status(), image.headers()['content-type']]).toEqual([200, 'image/png']);
    expect((await image.body()).subarray(1, 4).toString()).toBe('PNG');
    const unknown = await page.request.get(`/verify/PSF-00000-00000-0`);
    expect(unknown.status()).toBe(404);
    expect(await unknown.text()).toContain('<title>No certificate has the number PSF-00000-00000-0 | PSF Certification</title>');
    await page.context().close();

    // An administrator revokes it through the admin page.
    const adminPage = await newPage(browser);
    await signIn(adminPage, readState().admin);
    await adminPage.getByRole('link', { name: /Certificates: verify, revoke/ }).click();
    await adminPage.getByLabel('Certificate number').fill(number);
    await adminPage.getByRole('button', { name: 'Find' }).click();
    await adminPage.getByRole('heading', { name: new RegExp(number) }).waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByLabel(/Reason/).fill('Certificate obtained by impersonation');
    // Destructive, so asked again with the consequence spelled out; "keep it" changes nothing.
    await adminPage.getByRole('button', { name: 'Revoke…' }).click();
    await adminPage.getByText(/Revocation is final: the verification page and the status list show it as revoked at once/).waitFor();
    expect(await adminPage.evaluate(() => document.activeElement?.getAttribute('aria-labelledby'))).toBe('confirm-status');
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: 'Keep it as it is' }).click();
    await adminPage.getByRole('button', { name: 'Revoke…' }).click();
    await adminPage.getByRole('button', { name: `Yes, revoke ${number}` }).click();
    await adminPage.getByText('Status changed').waitFor();
    // Revocation is final: the page offers no way back.
    await adminPage.getByText('Revocation is final').waitFor();
    expect(await adminPage.getByRole('button', { name: 'Reinstate' }).count()).toBe(0);
    await expectAccessible(adminPage);
    await adminPage.context().close();

    // Anyone (signed out) sees the revocation at once, and a typo is caught.
    const publicPage = await newPage(browser);
    await publicPage.goto(`/verify/${number}`);
    await publicPage.getByText('This certificate has been revoked: it is not valid.').waitFor();
    await expectAccessible(publicPage);
    await publicPage.getByLabel('Certificate number').fill(number.slice(0, -1) + (number.endsWith('0') ? '1' : '0'));
    await publicPage.getByRole('button', { name: 'Verify' }).click();
    await publicPage.getByText(/probably mistyped|No certificate has this number/).waitFor();
    // The heading says so too, rather than naming a certificate that does not exist.
    await publicPage.getByRole('heading', { level: 1, name: /^No certificate has the number PSF-/ }).waitFor();
    await expectAccessible(publicPage);
    await publicPage.context().close();
  });
});
