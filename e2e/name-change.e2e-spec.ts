import { type Client } from 'pg';
import { type Browser } from 'playwright-core';
import { apiCall, apiLogin, mailLink, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { connectDb, waitFor } from './support/db';
import { readState } from './support/platform';

interface Certificate {
  id: string;
  number: string;
  holderName: string;
  status: string;
  supersededBy: string | null;
}

describe('name and e-mail changes in the browser', () => {
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

  /** Passes AIDA through the API, answering each key (read from the database: no API gives it out). */
  async function passAida(token: string): Promise<Certificate> {
    const attempt = await apiCall<{ id: string; questions: Array<{ id: string }> }>('POST', '/api/exams/aida/attempts', token);
    for (const q of attempt.questions) {
      const { rows } = await db.query(
        `SELECT q.options, v.content->'options' AS vo
         FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
        [q.id],
      );
      const key = rows[0].vo.find((o: { key: boolean }) => o.key).id;
      const optionId = rows[0].options.find((o: { source: string }) => o.source === key).id;
      await apiCall('PUT', `/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, token, { optionId });
    }
    await apiCall('POST', `/api/exams/aida/attempts/${attempt.id}/submit`, token);
    return waitFor(async () => (await apiCall<Certificate[]>('GET', '/api/certificates', token))[0], 'the AIDA certificate');
  }

  it('a candidate asks for a new name, an administrator approves it, and the certificate is re-issued under it', async () => {
    const candidate = await newCandidate('renamed');
    const old = await passAida(candidate.token);
    const newName = `Renamed Holder ${Date.now() % 100000}`;

    // The candidate asks on the Account page.
    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.goto('/account');
    await page.getByRole('heading', { name: 'Name on certificates' }).waitFor();
    await expectAccessible(page);
    // Submitting empty names the problem on the field.
    await page.getByRole('button', { name: 'Request the name change' }).click();
    await page.getByText('Enter the new name').waitFor();
    expect(await page.getByLabel('New name').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('New name').fill(newName);
    await page.getByLabel('Reason for the change').fill('Changed by deed poll');
    await page.getByRole('button', { name: 'Request the name change' }).click();
    await page.getByText(/is waiting for a\s+decision/).waitFor();
    await page.getByRole('button', { name: 'Cancel this request' }).waitFor();
    await expectAccessible(page);

    // An administrator (signed in with TOTP, so the step-up is fresh) approves it in the queue.
    const adminPage = await newPage(browser);
    await signIn(adminPage, readState().admin);
    await adminPage.getByRole('link', { name: /Name changes: approve or refuse/ }).click();
    await adminPage.getByRole('heading', { name: 'Name changes' }).waitFor();
    await adminPage.getByRole('rowheader', { name: newName }).waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: `Decide on ${newName}` }).click();
    const heading = adminPage.getByRole('heading', { name: new RegExp(`Decide: .* → ${newName}`) });
    await heading.waitFor();
    // Focus moves to the decision, so a keyboard user lands on it.
    expect(await heading.evaluate((el) => el === document.activeElement)).toBe(true);
    // Refusing needs a note: the field says so.
    await adminPage.getByRole('button', { name: 'Refuse' }).click();
    await adminPage.getByText(/Write a note/).waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByLabel('Note to the candidate').fill('Deed poll seen');
    await adminPage.getByRole('button', { name: 'Approve' }).click();
    await adminPage.getByText(/Approved: .* is now/).waitFor();
    await expectAccessible(adminPage);
    await adminPage.context().close();

    // The candidate sees the re-issued certificate under the new name; the old one reads superseded.
    await page.goto('/candidate/certificates');
    await page.getByRole('heading', { name: 'My certificates' }).waitFor();
    for (let i = 0; i < 60 && (await page.locator('dd', { hasText: newName }).count()) === 0; i++) {
      await page.waitForTimeout(250);
      await page.reload();
      await page.getByRole('heading', { name: 'My certificates' }).waitFor();
    }
    await page.locator('dd', { hasText: newName }).waitFor();
    await page.getByText('Superseded', { exact: true }).waitFor();
    await expectAccessible(page);
    const list = await apiCall<Certificate[]>('GET', '/api/certificates', candidate.token);
    const successor = list.find((c) => c.id !== old.id)!;
    expect(successor).toMatchObject({ holderName: newName, status: 'active' });
    expect(list.find((c) => c.id === old.id)).toMatchObject({ status: 'revoked', supersededBy: successor.number });

    await page.goto('/account');
    await page.getByText(`Your name was changed to`).waitFor();
    await page.locator('dd', { hasText: newName }).first().waitFor();
    await page.context().close();

    // Anyone checking the old number reads "superseded by" the new one, which is valid.
    const publicPage = await newPage(browser);
    await publicPage.goto(`/verify/${old.number}`);
    await publicPage.getByText(/This certificate was superseded by/).waitFor();
    await expectAccessible(publicPage);
    await publicPage.getByRole('link', { name: successor.number }).click();
    await publicPage.getByText('This certificate is valid.').waitFor();
    await publicPage.locator('dd', { hasText: newName }).waitFor();
    await expectAccessible(publicPage);
    await publicPage.context().close();
  }, 300_000);
  it('a candidate changes their e-mail address: the link sent to the new address makes the change and signs them out', async () => {
    const candidate = await newCandidate('moving');
    const newEmail = `moved-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.goto('/account');
    // Scoped to the section: other sections of the page ask for the password too.
    const section = page.getByRole('region', { name: 'E-mail address' });
    await section.waitFor();
    // A wrong password is named on its field.
    await section.getByLabel('New e-mail address').fill(newEmail);
    await section.getByLabel('Your password').fill('not the password at all');
    await section.getByRole('button', { name: 'Change e-mail address' }).click();
    await page.getByText('Your password is not right').waitFor();
    expect(await section.getByLabel('Your password').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);
    await section.getByLabel('Your password').fill(candidate.password);
    await section.getByRole('button', { name: 'Change e-mail address' }).click();
    await page.getByText(/We have sent a link to the new address/).waitFor();
    await expectAccessible(page);

    const { url } = await mailLink(newEmail, 'confirm-email-change');
    await page.goto(new URL(url).pathname + new URL(url).search);
    await page.getByRole('heading', { name: 'E-mail address changed' }).waitFor();
    await expectAccessible(page);
    // Every session ended; the new address signs in, the old one no longer does.
    await expect(apiCall('GET', '/api/me', candidate.token)).rejects.toThrow(/401/);
    const token = await apiLogin(newEmail, candidate.password);
    expect(await apiCall('GET', '/api/me', token)).toMatchObject({ email: newEmail, emailVerified: true });
    await expect(apiLogin(candidate.email, candidate.password)).rejects.toThrow(/401/);

    // The link works once.
    await page.reload();
    await page.getByRole('heading', { name: 'Your e-mail address was not changed' }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });
});
