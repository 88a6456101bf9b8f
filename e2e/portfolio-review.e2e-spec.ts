import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { type Account, apiCall, newCandidate, promote } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';
import { readState } from './support/platform';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

describe('CPAP portfolio in the browser: submit, two independent reviews, decision, certificate', () => {
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

  async function reviewer(n: number) {
    // Reviewers from other organisations and e-mail domains than the candidate (no automatic conflict).
    // Staff enrol a second factor: promote returns the account with its id and TOTP secret.
    const person = await promote(await newCandidate(`reviewer${n}`, `review-firm-${n}.example`), ['reviewer']);
    await apiCall('PUT', '/api/reviews/profile', person.token, {
      organisation: `Review Org ${n}`,
      expertise: CPAP_DOMAINS,
      maxConcurrent: 5,
      away: [],
    });
    return person;
  }

  /**
   * Accepts the offer and scores every criterion 2 with the rubric. `thorough`: first submits an empty form (every gap
   * is named in a summary that takes the focus), scores part of it, reloads and finds the draft the server kept, and
   * fixes a missing comment before the review goes. `disagree`: scores D04.2 1 (with a comment), judges D04 not met
   * and recommends revise, so the two reviews split.
   */
  async function scoreAsReviewer(page: Page, who: Account, thorough = false, disagree = false) {
    await signIn(page, who);
    await page.getByRole('heading', { name: 'Reviews' }).waitFor();
    await page.getByRole('row', { name: /CPAP portfolio, version 1 .*Offer: accept or decline.*Answer by/ }).waitFor();
    await page.getByRole('button', { name: /^Accept/ }).click();
    // the workload now shows the review in progress with its due date
    await page.getByRole('row', { name: /CPAP portfolio, version 1 .*Review in progress.*Due / }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: /CPAP portfolio, version 1/ }).click();
    await page.getByRole('heading', { name: 'Evidence and scores' }).waitFor();
    await expectAccessible(page);
    // Blind review: the candidate's name is nowhere on the page.
    expect(await page.getByText('portfolio Candidate').count()).toBe(0);
    // The rubric: the criterion's own words, the context in words, and what each level means.
    await page.getByRole('heading', { name: /^D01\.1 Classification of data types/ }).waitFor();
    await page.getByText('The production AI system', { exact: true }).waitFor();
    if (thorough) {
      await page.getByRole('button', { name: 'Submit review' }).click();
      await page.getByRole('heading', { name: 'There are 43 things to finish' }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await expectAccessible(page);
      await page.locator('.error-summary').getByRole('link', { name: 'Choose a score for D01.1' }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('score-D01.1-0');
      await page.keyboard.press('ArrowRight'); // 1 Partially, by keyboard
      for (let i = 2; i <= 5; i++) await page.locator(`#score-D01\\.${i}-2`).check();
      await page.getByText(/^5 of 35 scored · Draft saved at/).waitFor();
      await page.reload();
      await page.getByText(/^5 of 35 scored · Draft saved at/).waitFor();
      expect(await page.locator('#score-D01\\.1-1').isChecked()).toBe(true);
      expect(await page.locator('#score-D01\\.5-2').isChecked()).toBe(true);
    }
    for (const d of CPAP_DOMAINS) {
      for (let i = thorough && d === 'D01' ? 2 : 1; i <= 5; i++) await page.locator(`#score-${d}\\.${i}-2`).check();
      await page.getByLabel(disagree && d === 'D04' ? `${d} not met` : `${d} met`, { exact: true }).check();
    }
    if (disagree) {
      await page.locator('#score-D04\\.2-1').check();
      await page.getByLabel(/^Comment on D04\.2/).fill('Outputs are not validated against a schema before use.');
    }
    await page.getByLabel(disagree ? 'revise' : 'pass').check();
    if (thorough) {
      // D01.1 scored 1 needs a comment: said at the field and in the summary, and fixed there.
      await page.getByRole('button', { name: 'Submit review' }).click();
      await page.getByRole('link', { name: 'Say why D01.1 scores 1: a comment is needed below 2' }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('note-D01.1');
      await expectAccessible(page);
      await page.keyboard.type('The classification exists for production data only; test data is not covered.');
    }
    await page.getByRole('button', { name: 'Submit review' }).click();
    await page.getByRole('heading', { name: 'Reviews' }).nth(0).waitFor();
    await page.getByRole('heading', { name: new RegExp(`Reviewer \\d \\(yours\\): ${disagree ? 'revise' : 'pass'}`) }).waitFor();
    await page.context().close();
  }

  it('runs from the candidate’s editor to the reviewers’ scores to the CPAP certificate', async () => {
    const candidate = await newCandidate('portfolio');
    await passAidaThroughApi(db, candidate.token);
    const reviewers = [await reviewer(1), await reviewer(2)];

    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Start your CPAP portfolio' }).click();
    await page.getByRole('heading', { name: 'CPAP portfolio' }).waitFor();
    await expectAccessible(page);
    for (const [label, value] of [
      ['The production AI system', 'Claims triage assistant for motor insurance'],
      ['Organisation', 'Portfolio Mutual'],
      ['Models used', 'A hosted LLM behind an internal gateway'],
      ['Users affected', '120 claims handlers, 40,000 policyholders'],
    ]) {
      await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel(label, { exact: true }).blur();
    }
    await page.getByLabel('Risk level').selectOption('high');
    for (const d of CPAP_DOMAINS) {
      for (let i = 1; i <= 5; i++)
        await page.locator(`#ev-${d}\\.${i}`).fill(`How the claims assistant meets ${d}.${i}: documented, tested and monitored.`);
    }
    await page.locator('#ev-D01\\.1-file').setInputFiles({ name: 'dpia.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Remove dpia.pdf' }).waitFor();
    await waitFor(async () => (await page.getByText('Saving…').count()) === 0, 'autosave');
    await page.getByRole('button', { name: 'Submit this version for review' }).click();
    await page.getByText('Version 1 submitted for review.').waitFor();
    await expectAccessible(page);
    const submissionHref = await page.getByRole('link', { name: 'status and feedback' }).getAttribute('href');
    await page.context().close();

    // The worker assigns both reviewers through the outbox.
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM review_assignments WHERE status = 'offered'`)).rows[0].n >= 2,
      'offers',
    );
    for (const [i, r] of reviewers.entries()) await scoreAsReviewer(await newPage(browser), r, i === 0, i === 1);

    // The reviews split: an administrator compares them side by side and decides, confirming first.
    const adjudicator = await newPage(browser);
    await signIn(adjudicator, readState().admin);
    await adjudicator.getByRole('heading', { name: 'Administration' }).waitFor();
    await adjudicator.goto('/admin/submissions');
    await adjudicator.getByRole('heading', { name: 'Portfolio pipeline' }).waitFor();
    const compare = adjudicator.getByRole('link', { name: /^Compare the reviews and decide for portfolio Candidate/ });
    for (let i = 0; i < 60 && (await compare.count()) === 0; i++) {
      await adjudicator.waitForTimeout(250);
      await adjudicator.reload();
      await adjudicator.getByRole('heading', { name: 'Portfolio pipeline' }).waitFor();
    }
    await compare.first().click();
    await adjudicator.getByRole('heading', { name: /^Adjudication: CPAP version 1, portfolio Candidate/ }).waitFor();
    // D01.1 (the first reviewer gave 1) and D04.2 (the second did).
    await adjudicator.getByText('The reviewers differ on 2 of 35 criteria.').waitFor();
    const d042 = adjudicator.getByRole('row', { name: /^D04\.2 / });
    expect(await d042.getByRole('cell').allTextContents()).toEqual([
      '2 Met',
      '1 Partially — Outputs are not validated against a schema before use.',
      'Differs by 1',
    ]);
    await adjudicator
      .getByRole('row', { name: /^D04 Guardrails/ })
      .getByText('Split')
      .waitFor();
    // The decision form is offered once the open appeals are known (an open one would take its place).
    await adjudicator.getByRole('heading', { name: 'Decision', exact: true }).waitFor();
    await expectAccessible(adjudicator);
    await adjudicator.getByRole('button', { name: 'Review the decision' }).click();
    await adjudicator.getByText('Choose the decision').waitFor();
    await adjudicator.getByLabel('pass', { exact: true }).check();
    await adjudicator.getByLabel('Reason for this decision').fill('D04.2 is met: the schema check is in the attached runbook.');
    await adjudicator.getByRole('button', { name: 'Review the decision' }).click();
    await adjudicator.getByText(/Once confirmed, the candidate is told at once and their certificate is issued/).waitFor();
    await expectAccessible(adjudicator);
    await adjudicator.getByRole('button', { name: 'Confirm: decide pass' }).click();
    await adjudicator.getByText('Decision recorded: pass.').waitFor();
    await adjudicator.context().close();

    // The worker issues the certificate.
    const result = await newPage(browser);
    await signIn(result, candidate);
    await result.getByRole('heading', { name: 'My certification' }).waitFor();
    await result.goto(submissionHref!);
    for (let i = 0; i < 60 && (await result.getByText('Passed: your certificate').count()) === 0; i++) {
      await result.waitForTimeout(250);
      await result.reload();
      await result.getByRole('heading', { name: 'Portfolio status and feedback' }).waitFor();
    }
    await result.getByText('Passed: your certificate').waitFor();
    await result.getByRole('cell', { name: 'D04.2' }).waitFor();
    await expectAccessible(result);
    await result.goto('/candidate/certificates');
    for (let i = 0; i < 60 && (await result.getByRole('heading', { name: 'PSF CPAP Practitioner Certification' }).count()) === 0; i++) {
      await result.waitForTimeout(250);
      await result.reload();
    }
    await result.getByRole('heading', { name: 'PSF CPAP Practitioner Certification' }).waitFor();
    await result.context().close();

    // The admin pipeline board shows it decided, with both reviewers.
    const board = await newPage(browser);
    await signIn(board, readState().admin);
    await board.getByRole('heading', { name: 'Administration' }).waitFor();
    await board.getByRole('link', { name: /Portfolio pipeline/ }).click();
    await board.getByRole('heading', { name: 'Portfolio pipeline' }).waitFor();
    await board
      .getByRole('cell', { name: /decided: pass/ })
      .first()
      .waitFor();
    await expectAccessible(board);
    await board.context().close();
  }, 240_000);

  it('the candidate declares a conflict of interest (no reviewer directory) and an administrator confirms it', async () => {
    const candidate = await newCandidate('declaring');
    await passAidaThroughApi(db, candidate.token);
    const named = await reviewer(3);

    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Start your CPAP portfolio' }).click();
    await page.getByRole('heading', { name: 'Conflicts of interest' }).waitFor();
    // Nothing lists the reviewers: the candidate names the relation, the platform does the matching.
    expect(await page.getByText('Review Org 3').count()).toBe(0);
    expect(await page.getByText(named.fullName).count()).toBe(0);
    // Keyboard only: an empty declaration is refused, the error is announced and focus goes to the first field at fault.
    await page.getByLabel('A person').focus();
    await tabTo(page, 'Declare');
    await page.keyboard.press('Enter');
    await page.getByText('Give the person’s name, e-mail address, or both').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await expectAccessible(page);
    await page.keyboard.type(named.fullName);
    await page.getByLabel('Reason', { exact: true }).fill('My former line manager at Review Org 3, until last year');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.getByText('Declared. The certification body will confirm or reject it.').waitFor();
    await page.getByText('Status: Waiting for the certification body').waitFor();
    await expectAccessible(page);
    await page.context().close();

    const adminPage = await newPage(browser);
    await signIn(adminPage, readState().admin);
    await adminPage.getByRole('heading', { name: 'Administration' }).waitFor();
    await adminPage.getByRole('link', { name: /Conflict declarations/ }).click();
    await adminPage.getByRole('heading', { name: 'Conflict declarations' }).waitFor();
    await adminPage.getByRole('cell', { name: named.fullName, exact: false }).first().waitFor();
    await expectAccessible(adminPage);
    await adminPage.getByRole('button', { name: 'Decide on declaring Candidate’s declaration' }).first().click();
    await adminPage.getByRole('heading', { name: 'Decide: declaring Candidate’s declaration' }).waitFor();
    await adminPage.getByLabel('Note to the candidate').fill('A reporting line within two years is a conflict of interest');
    await adminPage.getByRole('button', { name: 'Confirm' }).click();
    await adminPage.getByText(/Confirmed declaring Candidate’s declaration; 1 staff member\(s\) are excluded/).waitFor();
    await expectAccessible(adminPage);
    await adminPage.context().close();

    const after = await newPage(browser);
    await signIn(after, candidate);
    await after.getByRole('heading', { name: 'My certification' }).waitFor();
    await after.getByRole('link', { name: 'Continue your CPAP portfolio' }).click();
    await after.getByText('Status: Confirmed: nobody it names will judge this portfolio').waitFor();
    // the candidate sees the note, never whom it matched
    await after.getByText(/A reporting line within two years/).waitFor();
    expect(await after.getByText(named.email).count()).toBe(0);
    await after.context().close();
  }, 120_000);
});
