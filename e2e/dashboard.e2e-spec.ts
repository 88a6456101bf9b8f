import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { apiCall, newCandidate } from './support/api';
import { expectAccessible, launchBrowser, NARROW, newPage, signIn, WIDE } from './support/browser';
import { connectDb, keyOf } from './support/db';

/** The candidate dashboard before and after each step a new candidate takes, at both widths. */
describe('the candidate dashboard guides a candidate from sign-up to a portfolio draft', () => {
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

  /** The tracker's card for a credential, as its state and status read. */
  const card = (page: Page, name: string) => page.locator('.tracker-step').filter({ has: page.getByRole('heading', { level: 3, name }) });
  const openDashboard = async (page: Page) => {
    await page.getByRole('link', { name: 'My certification' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'My certification' }).waitFor();
    await page.getByRole('heading', { name: 'Your next step' }).waitFor();
  };

  for (const [label, viewport] of [
    ['1280×800', WIDE],
    ['390×844', NARROW],
  ] as const) {
    it(`at ${label}`, async () => {
      const candidate = await newCandidate('dashboard');
      const page = await newPage(browser, viewport);
      await signIn(page, candidate);
      await page.getByRole('heading', { level: 1, name: 'My certification' }).waitFor();

      // Before anything: AIDA is the one next step; both portfolios are locked and say why.
      await page.getByRole('main').getByRole('link', { name: 'Take the AIDA exam', exact: true }).waitFor();
      await card(page, 'PSF AIDA Examination Certificate').getByText('To do Not taken yet').waitFor();
      await card(page, 'PSF CPAP Practitioner Certification').getByText('Locked Opens when you pass AIDA').waitFor();
      await card(page, 'PSF CPAA Assessor Certification').getByText('Locked Opens when you pass AIDA').waitFor();
      await page.getByText('No dates ahead.').waitFor();
      // The address confirmation and the welcome were e-mailed: the dashboard lists them, without their links.
      await page.locator('.messages li').first().waitFor();
      expect(await page.locator('.messages').textContent()).not.toMatch(/token=/);
      await expectAccessible(page);

      // A locked page explains itself and links to what unlocks it.
      await page.goto('/candidate/portfolio/cpap');
      await page.getByText('A CPAP portfolio opens once you have passed the AIDA examination.').waitFor();
      await page.getByRole('link', { name: 'What the CPAP asks of you' }).waitFor();
      await expectAccessible(page);

      // Mid-exam: continuing is the next step, and the attempt's end is among the dates.
      await page.getByRole('main').getByRole('link', { name: 'Take the AIDA exam', exact: true }).click();
      await page.getByRole('button', { name: 'Start the examination' }).click();
      await page.getByRole('heading', { name: 'Question 1 of 22' }).waitFor();
      const [attempt] = await apiCall<Array<{ id: string }>>('GET', '/api/exams/aida/attempts', candidate.token);
      await openDashboard(page);
      await card(page, 'PSF AIDA Examination Certificate')
        .getByText(/^In progress Attempt in progress; it ends at /)
        .waitFor();
      await page.locator('.deadlines').getByRole('link', { name: 'Your AIDA attempt ends' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('main').getByRole('link', { name: 'Continue the AIDA exam' }).click();

      // Passed: the certificate shows on the tracker, with its expiry among the dates, and CPAP is next.
      const detail = await apiCall<{ questions: Array<{ id: string }> }>('GET', `/api/exams/aida/attempts/${attempt.id}`, candidate.token);
      for (let n = 1; n <= 22; n++) {
        await page.getByRole('heading', { name: `Question ${n} of 22` }).waitFor();
        await page.locator(`input[value="${await keyOf(db, detail.questions[n - 1].id)}"]`).check();
        await page.getByRole('button', { name: n < 22 ? 'Next' : 'Review answers' }).click();
      }
      await page.getByRole('button', { name: 'Submit the examination' }).click();
      await page.getByRole('button', { name: 'Yes, submit' }).click();
      await page.getByRole('heading', { name: 'You passed the AIDA examination' }).waitFor();
      await openDashboard(page);
      // The worker issues the certificate through the outbox: until then the card says it is being issued.
      for (let i = 0; i < 60 && (await card(page, 'PSF AIDA Examination Certificate').getByText('Done Certified').count()) === 0; i++) {
        await page.waitForTimeout(250);
        await page.reload();
        await page.getByRole('heading', { name: 'Your next step' }).waitFor();
      }
      await card(page, 'PSF AIDA Examination Certificate').getByText('Done Certified').waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Start your CPAP portfolio' }).waitFor();
      await card(page, 'PSF CPAA Assessor Certification').getByText('To do Not started').waitFor();
      await page.locator('.deadlines').getByRole('link', { name: 'Your AIDA certificate expires' }).waitFor();
      for (
        let i = 0;
        i < 60 &&
        (await page
          .locator('.messages')
          .getByRole('link', { name: /certificate/i })
          .count()) === 0;
        i++
      ) {
        await page.waitForTimeout(250);
        await page.reload();
        await page.getByRole('heading', { name: 'Messages we sent you' }).waitFor();
      }
      await page
        .locator('.messages')
        .getByRole('link', { name: /certificate/i })
        .first()
        .waitFor();
      await expectAccessible(page);

      // A draft: the tracker counts the criteria written, and continuing it is the next step.
      await page.getByRole('main').getByRole('link', { name: 'Start your CPAP portfolio' }).click();
      await page.getByRole('heading', { level: 1, name: 'CPAP portfolio' }).waitFor();
      // The page's first read opens the draft.
      await page.getByLabel('The production AI system').waitFor();
      await apiCall('PUT', '/api/portfolios/CPAP/evidence/D01.1', candidate.token, {
        narrative: 'Every data type is classified before use.',
      });
      await openDashboard(page);
      await card(page, 'PSF CPAP Practitioner Certification')
        .getByText(/^In progress Draft: 1 of 35 criteria written/)
        .waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Continue your CPAP portfolio' }).waitFor();
      await expectAccessible(page);
      await page.context().close();
    });
  }
});
