import { type Browser, type Page } from 'playwright-core';
import { type Account, adminToken, apiCall, newCandidate, promote, registerAccount } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { readState } from './support/platform';

// The draft global set-up adds to its copy of the bank (e2e/support/draft-item.yaml), and its author.
const ITEM = 'D01-099';
const AUTHOR_EMAIL = 'e2e-author@example.org';

type Person = Account;

describe('item review in the browser: two independent expert reviews, the author kept out, the admin’s stage steps', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  /** Reviewers enrol a second factor (staff must) and sign in with a code from it. */
  async function asReviewer(person: Person): Promise<Person> {
    return promote(person, ['reviewer']);
  }

  async function signedIn(who: { email: string; password: string; totpSecret?: string }, home: string): Promise<Page> {
    const page = await newPage(browser);
    await signIn(page, who);
    await page.getByRole('heading', { name: home }).waitFor();
    return page;
  }

  async function openItem(page: Page): Promise<void> {
    await page.goto(`/reviewer/items/${ITEM}`);
    await page.getByRole('heading', { name: `Review item ${ITEM}` }).waitFor();
    await page.getByRole('heading', { name: 'Cue signals', exact: true }).waitFor();
  }

  async function approve(page: Page): Promise<void> {
    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByLabel('The key is the one best answer, defensible from the criterion').check();
    await page.getByLabel('Nothing but competence finds the key (no cues)').check();
    await page.getByLabel('Criterion you would tag it with').selectOption('D01.3');
    await page.getByLabel('Difficulty you would give it').selectOption('medium');
    await page.getByRole('button', { name: 'Submit review' }).click();
    await page.getByText('Your review is recorded.').waitFor();
    await page.getByRole('heading', { name: 'Your review: Approve' }).waitFor();
  }

  it('takes a draft through two hidden-until-submitted reviews to pretest, and refuses to activate it without pretest responses', async () => {
    const first = await asReviewer(await newCandidate('itemreviewer1', 'item-experts-1.example'));
    const second = await asReviewer(await newCandidate('itemreviewer2', 'item-experts-2.example'));
    const authorAccount = { email: AUTHOR_EMAIL, password: 'author passphrase 1', fullName: 'Erin Author' };
    const author = await asReviewer(await registerAccount(authorAccount));

    // Reviewer 1 finds the draft in the queue's default view and opens it with the keyboard.
    const one = await signedIn(first, 'Reviews');
    await one.goto('/reviewer/items');
    await one.getByRole('heading', { name: 'Item review' }).waitFor();
    await one.getByRole('link', { name: ITEM }).waitFor();
    expect(await one.getByRole('table').getByRole('row').count()).toBe(2); // the header and the one draft
    await expectAccessible(one);
    await tabTo(one, ITEM);
    await one.keyboard.press('Enter');
    await one.getByRole('heading', { name: `Review item ${ITEM}` }).waitFor();
    await one.getByRole('heading', { name: 'Review version 1' }).waitFor();
    expect(await one.locator('.itemreview-options').getByText('(key)').count()).toBe(1);
    await one.getByRole('table', { name: 'Cue signals per option' }).waitFor();
    await one.getByText('No other review yet.').waitFor();
    // The criteria to choose from are listed before the review is sent (the button waits for them).
    await one.locator('#itemreview-criterion option[value="D01.3"]').waitFor({ state: 'attached' });
    await expectAccessible(one);

    // Requesting changes without saying what: the summary takes the focus and the comment is marked.
    await one.getByLabel('Request changes', { exact: true }).check();
    await one.getByRole('button', { name: 'Submit review' }).click();
    await one.getByRole('heading', { name: 'There is a problem with your review' }).waitFor();
    expect(await one.evaluate(() => document.activeElement?.classList.contains('itemreview-error-summary'))).toBe(true);
    expect(await one.getByLabel('Comment', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await one.getByRole('link', { name: /Say what has to change/ }).waitFor();
    await expectAccessible(one);

    await approve(one);
    await one.getByText('No other review yet.').waitFor();
    await expectAccessible(one);
    await one.context().close();

    // Reviewer 2 judges independently: the first verdict stays hidden until theirs is in.
    const two = await signedIn(second, 'Reviews');
    await openItem(two);
    await two.getByText('1 review hidden until you submit yours').waitFor();
    expect(await two.getByRole('heading', { name: `${first.fullName}: Approve` }).count()).toBe(0);
    await expectAccessible(two);
    await approve(two);
    await two.getByRole('heading', { name: `${first.fullName}: Approve` }).waitFor();
    await expectAccessible(two);
    await two.context().close();

    // The author reads a notice instead of the form, and can still take part in the comments.
    const writer = await signedIn(author, 'Reviews');
    await openItem(writer);
    await writer.getByText('You wrote this item, so you do not review it').waitFor();
    expect(await writer.getByRole('button', { name: 'Submit review' }).count()).toBe(0);
    await writer.getByLabel('Add a comment').fill('Thank you both: I will keep the options at this length.');
    await writer.getByRole('button', { name: 'Add comment' }).click();
    await writer.getByText('Thank you both: I will keep the options at this length.').waitFor();
    await expectAccessible(writer);
    await writer.context().close();

    // The administrator moves it to pretest through the confirmation, then cannot activate it yet.
    const admin = await signedIn(readState().admin, 'Administration');
    await admin.goto(`/admin/bank/${ITEM}`);
    await admin.getByRole('link', { name: 'Review workflow for this item' }).click();
    await admin.getByRole('heading', { name: `Review item ${ITEM}` }).waitFor();
    await admin.getByRole('heading', { name: `${second.fullName}: Approve` }).waitFor();
    await admin.getByRole('button', { name: 'Move to pretest', exact: true }).click();
    await admin.getByRole('heading', { name: `Move to pretest: ${ITEM}?` }).waitFor();
    await admin.getByText('Candidates will meet it as an unscored question').waitFor();
    await expectAccessible(admin);
    await admin.getByRole('button', { name: 'Confirm: move to pretest' }).click();
    await admin.getByText(`${ITEM} moved from draft to pretest.`).waitFor();
    await admin
      .getByRole('table', { name: `Stage changes of ${ITEM} in the platform` })
      .getByRole('cell', { name: 'Pretest' })
      .waitFor();
    await expectAccessible(admin);

    await admin.getByRole('button', { name: 'Activate', exact: true }).click();
    await admin.getByRole('heading', { name: `Activate: ${ITEM}?` }).waitFor();
    await admin.getByRole('button', { name: 'Confirm: activate' }).click();
    await admin.getByRole('alert').getByText('has 0 pretest responses; it needs 30').waitFor();
    await expectAccessible(admin);
    const now = await apiCall<{ status: string }>('GET', `/api/bank/reviews/${ITEM}`, await adminToken());
    expect(now.status).toBe('pretest');
    await admin.context().close();
  }, 120_000);
});
