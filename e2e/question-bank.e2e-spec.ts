import { type Browser } from 'playwright-core';
import { adminToken, apiCall } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn } from './support/browser';
import { readState } from './support/platform';

describe('question bank in the browser (admin)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser.close());

  it('an administrator browses the synced bank by domain and criterion and reads an item with its history', async () => {
    // The counts the page should show, from the API (the bank grows; the page must agree with it).
    const items = await apiCall<Array<{ id: string; domain: string; criterion: string }>>(
      'GET',
      '/api/admin/bank/items',
      await adminToken(),
    );
    const d04 = items.filter((i) => i.domain === 'D04');
    const d042 = d04.filter((i) => i.criterion === 'D04.2');
    const page = await newPage(browser);
    const { admin } = readState();
    await signIn(page, admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();

    await page.getByRole('link', { name: 'Question bank', exact: true }).click();
    await page.getByRole('heading', { name: 'Question bank' }).waitFor();
    await page.getByText(`${items.length} items`, { exact: true }).waitFor();
    await expectAccessible(page);

    // Keyboard: focus the domain filter and choose D04 with the arrow keys.
    await page.getByLabel('Domain').focus();
    await page.getByLabel('Domain').selectOption('D04');
    await page.getByText(`${d04.length} items`, { exact: true }).waitFor();
    await page.getByLabel('Criterion').selectOption('D04.2');
    // exact: "7 items" is also a substring of the domain's "37 items", which shows until the criterion's list arrives.
    await page.getByText(`${d042.length} items`, { exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: 'D04.2', exact: true }).count()).toBe(d042.length);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'D04-006' }).click();
    await page.getByRole('heading', { name: 'Item D04-006' }).waitFor();
    await page.getByRole('heading', { name: /Version 1 \(current\)/ }).waitFor();
    expect(await page.getByText('(key)').count()).toBe(1);
    await expectAccessible(page);

    // The framework's attribution is on every page.
    await page.getByText('under CC BY 4.0', { exact: false }).waitFor();
    await page.context().close();
  });
});
