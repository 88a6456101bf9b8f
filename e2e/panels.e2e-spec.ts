import ICAL from 'ical.js';
import { readFile } from 'node:fs/promises';
import { type Client } from 'pg';
import { type Browser, type Page } from 'playwright-core';
import { type Account, adminToken, apiCall, mailTo, newCandidate, promote } from './support/api';
import { expectAccessible, launchBrowser, newPage, signIn, tabTo } from './support/browser';
import { connectDb, passAidaThroughApi, waitFor } from './support/db';
import { readState } from './support/platform';

const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe('CPAA panel interview in the browser: booking, the assessors’ view, scoring, decision and certificate', () => {
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

  async function assessor(n: number, isChair: boolean) {
    // Staff enrol a second factor: promote returns the account with its id and TOTP secret.
    const person = await promote(await newCandidate(`assessor${n}`, `panel-firm-${n}.example`), ['reviewer']);
    await apiCall('PUT', `/api/admin/panels/assessors/${person.id}`, await adminToken(), { active: true, isChair });
    return person;
  }

  async function openPanel(page: Page, who: Account) {
    await signIn(page, who);
    await page.getByRole('link', { name: 'Panels' }).click();
    await page.getByRole('heading', { name: 'My panels' }).waitFor();
    await expectAccessible(page);
    await page
      .getByRole('row', { name: /panel Candidate/ })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { name: 'Your scores' }).waitFor();
    await expectAccessible(page);
  }

  const scoreGroup = (page: Page, domain: string) => page.getByRole('group', { name: `Score for ${domain}`, exact: true });

  async function scorePanel(page: Page, who: Account, score: string) {
    await openPanel(page, who);
    for (const d of DOMAINS) await scoreGroup(page, d).getByLabel(score).check();
    await page.getByLabel('Notes on D04').fill('Clear account of the injection defences and their tests.');
    await page.getByRole('button', { name: 'Submit my scores' }).click();
    await page.getByRole('heading', { name: 'Scores' }).waitFor();
  }

  /**
   * Scores with the rubric in two sittings: half the domains and a note, a reload that finds the draft on the server,
   * a submit that names the domains still to score, each fixed from the error summary's links.
   */
  async function scorePanelWithDraft(page: Page, who: Account) {
    await openPanel(page, who);
    // the rubric: the guide's level descriptors and, per domain, the criteria with the candidate's evidence a click away
    await scoreGroup(page, 'D01').getByText('A specific, first-hand account that covers the domain').waitFor();
    await page.getByText("Candidate's evidence for D04.1").click();
    await page.getByRole('blockquote').filter({ hasText: 'Layered prompt-injection defences with a red-team suite.' }).waitFor();
    await page.getByText('0 of 8 scored').waitFor();
    // keyboard: Space chooses the focused level, the arrow keys move along the scale
    await scoreGroup(page, 'D01').getByLabel('1 Partly met').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    expect(await scoreGroup(page, 'D01').getByLabel('2 Met').isChecked()).toBe(true);
    for (const d of ['D02', 'D03', 'D04']) await scoreGroup(page, d).getByLabel('2 Met').check();
    await page.getByLabel('Notes on D04').fill('Clear account of the injection defences and their tests.');
    await page.getByText(/^4 of 8 scored · Draft saved at \d{2}:\d{2}/).waitFor();
    await expectAccessible(page);

    await page.reload();
    await page.getByRole('heading', { name: 'Your scores' }).waitFor();
    await page.getByText(/^4 of 8 scored · Draft saved at/).waitFor();
    expect(await scoreGroup(page, 'D04').getByLabel('2 Met').isChecked()).toBe(true);
    expect(await page.getByLabel('Notes on D04').inputValue()).toBe('Clear account of the injection defences and their tests.');

    await page.getByRole('button', { name: 'Submit my scores' }).click();
    await page.getByRole('heading', { name: 'There are 4 things to finish' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    await page.getByText('Choose a score for D05').first().waitFor();
    await expectAccessible(page);
    for (const d of ['D05', 'D06', 'D07', 'D08']) {
      await page.getByRole('link', { name: new RegExp(`^Choose a score for ${d}`) }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`score-${d}-0`);
      await scoreGroup(page, d).getByLabel('2 Met').check();
    }
    await page.getByText(/^8 of 8 scored/).waitFor();
    await page.getByRole('button', { name: 'Submit my scores' }).click();
    await page.getByRole('heading', { name: 'Scores' }).waitFor();
    await page.getByRole('cell', { name: 'Clear account of the injection defences and their tests.', exact: false }).waitFor();
    await expectAccessible(page);
  }

  /** Picks a zone with the keyboard: Tab to the combobox, type part of the name, take the first match with Enter. */
  async function chooseZone(page: Page, typed: string, zone: string) {
    await tabTo(page, 'Your time zone');
    await page.keyboard.type(typed);
    await page.getByRole('listbox', { name: 'Your time zone' }).getByRole('option', { name: zone }).waitFor();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('combobox', { name: 'Your time zone' }).inputValue()).toBe(zone);
  }

  /** From the chosen day, arrows to the `n`th next day with free times and chooses it with Enter. */
  async function nextFreeDay(page: Page, n = 1) {
    await tabTo(page, /: \d+ free times?$/);
    for (let found = 0, i = 0; found < n && i < 60; i++) {
      await page.keyboard.press('ArrowRight');
      const free = await page.evaluate(() => document.activeElement?.classList.contains('day-free'));
      if (free && ++found === n) await page.keyboard.press('Enter');
    }
    await page.locator('.day-selected:focus').waitFor();
  }

  /** The newest stored e-mail to `email` whose subject matches, as an administrator reads it. */
  async function storedMail(email: string, subject: RegExp): Promise<string> {
    return waitFor(
      async () => {
        const admin = await adminToken();
        const m = (await mailTo(admin, email)).find((x) => subject.test(x.subject));
        return m && (await apiCall<{ body: string | null }>('GET', `/api/admin/mail/${m.id}`, admin)).body;
      },
      `the e-mail "${subject}" to ${email}`,
      80,
    );
  }

  /** A candidate whose CPAA portfolio the certification body has passed, once the panel stage is open. */
  async function passedCandidate(label: string) {
    const candidate = await newCandidate(label);
    const me = await apiCall<{ id: string }>('GET', '/api/me', candidate.token);
    await passAidaThroughApi(db, candidate.token);
    const {
      rows: [portfolio],
    } = await db.query(`INSERT INTO portfolios (user_id, credential, context) VALUES ($1, 'CPAA', '{}') RETURNING id`, [me.id]);
    const {
      rows: [submission],
    } = await db.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status) VALUES ($1, $2, 'CPAA', 1, $3, 'adjudication') RETURNING id`,
      [portfolio.id, me.id, JSON.stringify({ context: { system: 'Claims triage assistant' }, evidence: [] })],
    );
    await apiCall('POST', `/api/admin/submissions/${submission.id}/decision`, await adminToken(), {
      outcome: 'pass',
      reason: 'Reviews reconciled: every domain met',
    });
    await waitFor(
      async () => (await apiCall<{ stage: string }>('GET', '/api/panels/me', candidate.token)).stage === 'awaiting_booking',
      'the panel stage to open',
      40,
    );
    return candidate;
  }

  it('a candidate with no free slot joins the waitlist, is e-mailed when an assessor adds hours, and books with the keyboard', async () => {
    await db.query(`UPDATE assessor_profiles SET active = false`);
    const chair = await assessor(21, true);
    const member = await assessor(22, false);
    const late = await assessor(23, false);
    for (const [who, weekly] of [
      [chair, ALL_DAY],
      [member, ALL_DAY],
      [late, []],
    ] as const) {
      await apiCall('PUT', '/api/panels/availability', who.token, { timeZone: 'UTC', weeklyCap: 5, weekly, overrides: [] });
    }
    const candidate = await passedCandidate('waitlist');

    const page = await newPage(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Book your panel interview' }).click();
    await page.getByRole('heading', { name: 'No free time yet' }).waitFor();
    await expectAccessible(page);
    await tabTo(page, 'Tell me when a slot opens');
    await page.keyboard.press('Enter');
    await page.getByText('You are on the waitlist.').waitFor();
    await page.getByRole('button', { name: 'Leave the waitlist' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Leave the waitlist');
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectAccessible(page);

    // The third assessor adds hours: a full panel can sit, and the candidate is told by e-mail.
    await apiCall('PUT', '/api/panels/availability', late.token, { timeZone: 'UTC', weeklyCap: 5, weekly: ALL_DAY, overrides: [] });
    const mail = await storedMail(candidate.email, /A CPAA panel interview time is free/);
    expect(mail).toMatch(/\/candidate\/cpaa\/interview/);

    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      await page.setViewportSize(viewport);
      await page.reload();
      await page.getByRole('group', { name: /Days with free times/ }).waitFor();
      await expectAccessible(page);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await chooseZone(page, 'new y', 'America/New_York');
    await page.getByRole('group', { name: 'Days with free times (America/New_York)' }).waitFor();
    await nextFreeDay(page);
    await page.getByRole('group', { name: /Start time on .* \(America\/New_York\)/ }).waitFor();
    await expectAccessible(page);
    const first = await page
      .getByRole('group', { name: /Start time on/ })
      .getByRole('radio')
      .first()
      .evaluate((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent);
    await tabTo(page, first!);
    await page.keyboard.press('Space');
    await tabTo(page, 'Book this time');
    await page.keyboard.press('Enter');
    await page.getByText('Your interview is booked.').waitFor();
    await page.getByRole('heading', { name: 'Your booking' }).waitFor();
    const google = await page.getByRole('link', { name: /Add to Google Calendar/ }).getAttribute('href');
    const outlook = await page.getByRole('link', { name: /Add to Outlook.com/ }).getAttribute('href');
    expect(new URL(google!).searchParams.get('dates')).toMatch(/^\d{8}T\d{6}Z\/\d{8}T\d{6}Z$/);
    expect(new URL(outlook!).searchParams.get('subject')).toBe('CPAA panel interview');
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectAccessible(page);
    await page.context().close();
  }, 180_000);

  it('a candidate books a slot; an assessor sees it; three assessors score; the decision and the certificate appear', async () => {
    await db.query(`UPDATE assessor_profiles SET active = false`);
    const chair = await assessor(1, true);
    const member2 = await assessor(2, false);
    const member3 = await assessor(3, false);
    await apiCall('PUT', '/api/panels/availability', member2.token, {
      timeZone: 'America/New_York',
      weeklyCap: 5,
      weekly: ALL_DAY,
      overrides: [],
    });
    await apiCall('PUT', '/api/panels/availability', member3.token, { timeZone: 'UTC', weeklyCap: 5, weekly: ALL_DAY, overrides: [] });

    // The chair sets weekly hours in the browser: 09:00–17:00 Berlin time every day.
    const chairPage = await newPage(browser);
    await signIn(chairPage, chair);
    await chairPage.getByRole('link', { name: 'Panels' }).click();
    await chairPage.getByRole('link', { name: 'My availability and calendar' }).click();
    await chairPage.getByRole('heading', { name: 'Weekly hours' }).waitFor();
    await chairPage.getByLabel('Time zone of these hours').selectOption('Europe/Berlin');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await chairPage.getByRole('button', { name: `Add hours on ${day}` }).click();
    }
    // and takes a day off in three weeks
    const dayOff = new Date(Date.now() + 21 * 86_400_000).toISOString().slice(0, 10);
    await chairPage.getByRole('button', { name: 'Add a date override' }).click();
    await chairPage.getByLabel('Date', { exact: true }).fill(dayOff);
    await expectAccessible(chairPage);
    await chairPage.getByRole('button', { name: 'Save availability' }).click();
    await chairPage.getByText('Availability saved.').waitFor();
    await chairPage.getByRole('table', { name: /Your hours and panels, in Europe\/Berlin/ }).waitFor();
    expect(await chairPage.getByRole('cell', { name: /09:00–17:00/ }).count()).toBeGreaterThanOrEqual(26);
    expect(await chairPage.getByRole('cell', { name: /Day off/ }).count()).toBe(1);
    await expectAccessible(chairPage);
    await chairPage.context().close();

    // A candidate whose CPAA portfolio the certification body has passed.
    const candidate = await newCandidate('panel');
    const me = await apiCall<{ id: string }>('GET', '/api/me', candidate.token);
    await passAidaThroughApi(db, candidate.token);
    const {
      rows: [portfolio],
    } = await db.query(`INSERT INTO portfolios (user_id, credential, context) VALUES ($1, 'CPAA', '{}') RETURNING id`, [me.id]);
    const content = {
      context: { system: 'Claims triage assistant' },
      evidence: [{ criterion: 'D04.1', narrative: 'Layered prompt-injection defences with a red-team suite.', attachments: [] }],
    };
    const {
      rows: [submission],
    } = await db.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status) VALUES ($1, $2, 'CPAA', 1, $3, 'adjudication') RETURNING id`,
      [portfolio.id, me.id, JSON.stringify(content)],
    );
    await apiCall('POST', `/api/admin/submissions/${submission.id}/decision`, await adminToken(), {
      outcome: 'pass',
      reason: 'Reviews reconciled: every domain met',
    });
    // The panels module opens the stage from the decision's outbox row, a moment later.
    await waitFor(
      async () => (await apiCall<{ stage: string }>('GET', '/api/panels/me', candidate.token)).stage === 'awaiting_booking',
      'the panel stage to open',
      40,
    );

    // The candidate books with the keyboard, in their own time zone.
    const page = await newPage(browser);
    await signIn(page, candidate);
    await page.getByRole('heading', { name: 'My certification' }).waitFor();
    await page.getByRole('link', { name: 'Book your panel interview' }).click();
    await page.getByRole('heading', { name: 'CPAA panel interview' }).waitFor();
    await chooseZone(page, 'tokyo', 'Asia/Tokyo');
    // the second day offered, well clear of the 48-hour notice
    await nextFreeDay(page);
    await page.getByRole('group', { name: /Start time on .* \(Asia\/Tokyo\)/ }).waitFor();
    await expectAccessible(page);
    // 09:00 Berlin in winter is 17:00 in Tokyo: the first time offered on a day is 17:00 local.
    const firstTime = await page
      .getByRole('group', { name: /Start time on/ })
      .getByRole('radio')
      .first()
      .evaluate((el) => document.querySelector(`label[for="${el.id}"]`)?.textContent);
    expect(firstTime).toMatch(/^(16|17):00$/);
    await tabTo(page, firstTime!);
    await page.keyboard.press('Space');
    await tabTo(page, 'Book this time');
    await page.keyboard.press('Enter');
    await page.getByText('Your interview is booked.').waitFor();
    await page.getByRole('heading', { name: 'Your booking' }).waitFor();
    await page.getByText(`${firstTime}–`).first().waitFor();
    await expectAccessible(page);
    // and moves it to another day (the UID stays, the SEQUENCE rises)
    await page.getByRole('button', { name: 'Reschedule' }).click();
    await page.getByRole('heading', { name: 'Choose a new time' }).waitFor();
    await nextFreeDay(page, 2);
    await page
      .getByRole('group', { name: /Start time on/ })
      .getByRole('radio')
      .first()
      .check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Move my interview to this time' }).click();
    await page.getByText('Your interview has moved.').waitFor();
    await page.getByText('1', { exact: true }).waitFor(); // changes left
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the invitation (.ics)' }).click();
    const ics = await readFile((await (await download).path())!, 'utf8');
    const calendar = new ICAL.Component(ICAL.parse(ics));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.sequence).toBe(1);
    const {
      rows: [booking],
    } = await db.query(
      `SELECT b.id, b.starts_at FROM panel_bookings b JOIN panel_interviews iv ON iv.id = b.interview_id WHERE iv.candidate_id = $1 AND b.status = 'booked'`,
      [me.id],
    );
    expect(event.uid).toBe(`${booking.id}@${new URL(page.url()).hostname}`);
    expect(event.startDate.toJSDate().toISOString()).toBe(booking.starts_at.toISOString());

    // An assessor sees the booked panel with the candidate's portfolio.
    const p2 = await newPage(browser);
    await signIn(p2, member2);
    await p2.getByRole('link', { name: 'Panels' }).click();
    await p2
      .getByRole('row', { name: /panel Candidate/ })
      .getByRole('link')
      .click();
    await p2.getByRole('heading', { name: "Candidate's CPAA portfolio" }).waitFor();
    await p2.getByText('The scoring form opens when the interview starts.').waitFor();
    await p2.getByText('Evidence per criterion (1)').click();
    await p2.getByText('Layered prompt-injection defences').waitFor();
    await expectAccessible(p2);
    await p2.context().close();

    // The interview takes place.
    await db.query(
      `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
      [booking.id],
    );

    // The reviewer home lists the panel in the assessor's workload, with its start.
    const p2home = await newPage(browser);
    await signIn(p2home, member2);
    await p2home.getByRole('heading', { name: 'My workload' }).waitFor();
    await p2home.getByRole('row', { name: /CPAA panel — panel Candidate.*Interview started: submit your scores/ }).waitFor();
    await expectAccessible(p2home);
    await p2home.context().close();

    const p2scores = await newPage(browser);
    await scorePanelWithDraft(p2scores, member2);
    await p2scores.context().close();
    const p3 = await newPage(browser);
    await scorePanel(p3, member3, '3 Exceeded');
    await p3.context().close();
    const cp = await newPage(browser);
    await scorePanel(cp, chair, '2 Met');
    // after scoring, the chair sees the others' scores and records the decision
    await cp.getByRole('columnheader', { name: /assessor2 Candidate/ }).waitFor();
    await cp.getByLabel('Summary for the record').fill('Consistent first-hand evidence across all eight domains.');
    await cp.getByRole('button', { name: 'Record the panel decision' }).click();
    await cp.getByText('Panel decision: pass.').waitFor();
    await expectAccessible(cp);
    await cp.context().close();

    // The candidate sees the decision and, once the worker has issued it, the certificate.
    await waitFor(
      async () => {
        await page.reload();
        await page.getByText('The panel has passed your CPAA interview.').waitFor();
        return (await page.getByText(/Your CPAA certificate number is/).count()) > 0;
      },
      'the CPAA certificate',
      40,
    );
    await page.getByRole('table', { name: 'Panel result per domain' }).waitFor();
    await expectAccessible(page);
    // The certification body sees the panel on its board.
    const adminPage = await newPage(browser);
    await signIn(adminPage, readState().admin);
    await adminPage.getByRole('link', { name: /CPAA panels/ }).click();
    await adminPage.getByRole('heading', { name: 'Bookings' }).waitFor();
    await adminPage.getByRole('row', { name: /panel Candidate .*assessor1 Candidate.*Decided/ }).waitFor();
    await expectAccessible(adminPage);
    await adminPage.context().close();

    await page.getByRole('link', { name: 'See your certificates' }).click();
    await page.getByRole('heading', { name: 'My certificates' }).waitFor();
    await page.getByText(/CPAA/).first().waitFor();
    await page.context().close();
  }, 300_000);
});
