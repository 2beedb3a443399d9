// A Mayor's Question Time from end to end in a real browser, everyone signing in through the pages: the clerk
// schedules the meeting (and is warned, with nothing saved, when a second one would be too close), members of two
// party groups table oral questions, the clerk accepts them, compiles and publishes the Priority Order Paper, and
// after the meeting day records it: who attended, two questions reached with what was said and a supplementary
// each, one not reached. Anonymous visitors with JavaScript off then see exactly that on the meeting page and its
// papers; the question not reached is due in writing counting from the meeting day.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { currentTotp, newTotpSecret } from '../auth/totp.ts';
import { addDays } from '../calendar/iso-date.ts';
import { formatDate, formatLongDate, londonDateTime } from '../calendar/london-time.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { hashPassword } from '../users/password-hash.ts';
import { buildApp } from '../web/app.ts';
import { createWorld, type World } from '../workflow/test-factories.ts';
import { partyGroup, type TestGroup } from './order-paper.test-factories.ts';

const skip = browserUnavailable();
const PASSWORD = 'meeting day passphrase 9';
const MEETS_ON = '2027-06-16';
let clock = londonDateTime('2027-03-01', '09:00');
let t: TestDatabase;
let w: World;
let app: FastifyInstance;
let running: RunningBrowser;
let alpha: TestGroup;
let beta: TestGroup;
const clerkSecret = newTotpSecret();

before(async () => {
  if (skip) return;
  t = await createTestDatabase();
  w = await createWorld(t.db, clock);
  // Two party groups of different sizes, each member with an account of their own.
  alpha = await partyGroup(t.db, w, 'Alpha Group', 2);
  beta = await partyGroup(t.db, w, 'Beta Group', 1);
  await t.db.updateTable('users').set({ password_hash: await hashPassword(PASSWORD) }).execute();
  // The clerk enrolled in two-factor earlier.
  await t.db.updateTable('users').set({ totp_secret: clerkSecret, totp_enabled_at: clock }).where('id', '=', w.actors.clerk.userId).execute();
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
  running = await startBrowser(app);
});

after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await t.close();
});

async function signIn(email: string, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await running.browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${running.baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

/** The clerk, through the sign-in form and the second factor, at the current clock. */
async function signInClerk() {
  const { context, page } = await signIn(w.actors.clerk.email);
  await page.waitForURL(/\/sign-in\/two-factor/);
  await page.getByLabel('Security code').fill(currentTotp(clerkSecret, clock));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/work\/clerk/);
  return { context, page };
}

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const mainText = async (page: Page) => squash(await page.locator('#main-content').textContent());

async function expectNoAxeProblems(page: Page) {
  assert.deepEqual(await accessibilityProblems(page), [], `axe on ${page.url()}`);
}

test('schedule an MQT, table and order its questions, record the meeting; the public pages and papers show exactly that', { skip }, async () => {
  const base = running.baseUrl;
  const meetingCount = async () => Number((await t.db.selectFrom('meetings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  // ---- The clerk schedules the MQT; a second one two weeks later breaks the 28-day rule and is not saved. ----
  const { context: clerkContext, page: clerk } = await signInClerk();
  const fillSchedule = async (day: string) => {
    await clerk.goto(`${base}/work/clerk/calendar/new`);
    await clerk.getByLabel('Day').first().fill(day);
    await clerk.getByLabel('Month').first().fill('6');
    await clerk.getByLabel('Year').first().fill('2027');
    await clerk.getByLabel('Place').fill('The Chamber, City Hall');
  };
  await fillSchedule('16');
  await clerk.getByRole('button', { name: 'Schedule the meeting' }).click();
  await clerk.waitForURL(/\/work\/clerk\/calendar$/);
  assert.match(squash(await clerk.locator('.govuk-notification-banner').textContent()), /was scheduled/);
  const meeting = await t.db.selectFrom('meetings').select(['id', 'slug', 'meeting_type', 'meets_on']).where('slug', '=', `mqt-${MEETS_ON}`).executeTakeFirstOrThrow();
  assert.deepEqual([meeting.meeting_type, meeting.meets_on], ['mqt', MEETS_ON]);

  const countBefore = await meetingCount();
  await fillSchedule('30');
  await clerk.getByRole('button', { name: 'Schedule the meeting' }).click();
  assert.match(squash(await clerk.locator('#schedule-warnings').textContent()), /MQTs must be at least 28 days apart: the previous MQT is on Wednesday 16 June 2027, 14 days before/);
  assert.match(await mainText(clerk), /Nothing has been saved yet/);
  assert.equal(await meetingCount(), countBefore, 'nothing is saved until the warning is confirmed');
  // The clerk thinks better of it and leaves the form unconfirmed.
  await clerk.goto(`${base}/work/clerk/calendar`);
  assert.equal(await meetingCount(), countBefore);
  assert.equal(await t.db.selectFrom('meetings').select('id').where('meets_on', '=', '2027-06-30').executeTakeFirst(), undefined);

  // ---- Members of two party groups table oral questions for it. ----
  const askers = [
    { actor: alpha.members[0]!, group: 'Alpha', title: 'Riverside cycle bridge', body: 'When will the riverside cycle bridge reopen to the public?' },
    { actor: beta.members[0]!, group: 'Beta', title: 'Affordable homes at Millbrook', body: 'How many affordable homes will be built at Millbrook this year?' },
    { actor: alpha.members[1]!, group: 'Alpha', title: 'Air quality near schools', body: 'What is the Mayor doing about air quality near primary schools?' },
  ];
  for (const a of askers) {
    const { context, page } = await signIn(a.actor.email);
    await page.waitForURL(/\/work\/questions$/);
    await page.goto(`${base}/work/questions/new`);
    await page.getByLabel('Meeting').selectOption(String(meeting.id));
    await page.getByLabel('Oral', { exact: true }).check();
    await page.getByLabel('Title').fill(a.title);
    await page.getByLabel('Question', { exact: true }).fill(a.body);
    await page.getByRole('button', { name: 'Save and table' }).click();
    await page.getByText('Your question was saved and tabled').waitFor();
    await context.close();
  }
  const tabled = await t.db.selectFrom('questions').select(['title', 'state', 'question_type', 'meeting_id']).where('meeting_id', '=', meeting.id).orderBy('id').execute();
  assert.deepEqual(tabled, askers.map((a) => ({ title: a.title, state: 'tabled', question_type: 'oral', meeting_id: meeting.id })));

  // ---- The clerk accepts them, then compiles and publishes the Priority Order Paper. ----
  for (const a of askers) {
    await clerk.goto(`${base}/work/clerk?meeting=${meeting.id}`);
    await clerk.getByRole('link', { name: a.title }).click();
    await clerk.getByRole('button', { name: 'Accept question' }).click();
    await clerk.getByText(/Accepted as \d{4}\/\d{4}/).first().waitFor();
  }
  await clerk.goto(`${base}/work/clerk/meetings/${meeting.id}/order-paper`);
  await clerk.getByRole('button', { name: 'Compile the order paper' }).click();
  assert.match(squash(await clerk.locator('.govuk-notification-banner').textContent()), /compiled in the default order: 3 questions/);
  await clerk.getByRole('button', { name: 'Publish the order paper' }).click();
  assert.match(squash(await clerk.locator('.govuk-notification-banner').textContent()), /Priority Order Paper is published/);
  await clerkContext.close();

  // The published paper, read as the public reads it: the order the meeting will take.
  const visitorContext = await running.browser.newContext({ javaScriptEnabled: false });
  const visitor = await visitorContext.newPage();
  visitor.setDefaultTimeout(15_000);
  assert.equal((await visitor.goto(`${base}/meetings/${meeting.slug}/order-paper`))?.status(), 200);
  const rows = async () => {
    const out: string[][] = [];
    for (const row of await visitor.locator('#order-paper tbody tr').all()) out.push((await row.locator('td').allTextContents()).map(squash));
    return out;
  };
  const published = await rows();
  assert.equal(published.length, 3);
  assert.deepEqual(published.map((r) => r[0]), ['1', '2', '3']);
  const order = published.map((r) => {
    const asked = askers.find((a) => a.title === r[2]);
    assert.ok(asked, `order paper row ${r.join(' | ')}`);
    assert.deepEqual([r[3], r[4]], [asked.actor.displayName, asked.group]);
    assert.match(r[1]!, /^\d{4}\/\d{4}$/);
    return { ...asked, reference: r[1]!, id: 0 };
  });
  for (const q of order) q.id = (await t.db.selectFrom('questions').select('id').where('title', '=', q.title).executeTakeFirstOrThrow()).id;
  const [q1, q2, q3] = order as [(typeof order)[0], (typeof order)[0], (typeof order)[0]];

  // ---- The meeting day has passed: the clerk records the meeting. ----
  clock = londonDateTime(addDays(MEETS_ON, 1), '09:00');
  const { context: recordContext, page: rec } = await signInClerk();
  const recordPage = `${base}/work/clerk/meetings/${meeting.id}/record`;
  await rec.goto(recordPage);
  const mayor = await t.db.selectFrom('people').select(['id', 'name']).where('id', '=', w.mayorId).executeTakeFirstOrThrow();
  const other = (q: (typeof order)[0]) => order.find((o) => o.actor.personId !== q.actor.personId && o !== q)!.actor;
  for (const personId of [mayor.id, ...order.map((q) => q.actor.personId!)]) {
    await rec.locator(`input[name=personIds][value="${personId}"]`).check();
  }
  await rec.getByRole('button', { name: 'Save attendance' }).click();
  assert.match(squash(await rec.locator('.govuk-notification-banner').textContent()), /attendance was saved: 4 added/);

  const addTurn = async (form: string, speakerId: number, text: string) => {
    await rec.locator(`${form} select[name=speakerId]`).selectOption(String(speakerId));
    await rec.locator(`${form} textarea[name=text]`).fill(text);
    await rec.locator(form).getByRole('button', { name: 'Add to the transcript' }).click();
    await rec.getByText(`${text}`, { exact: false }).first().waitFor();
  };
  const said = new Map<number, { question: string; answer: string; supplementary: string; supplementaryAnswer: string; supplementaryAsker: string }>();
  for (const q of [q1, q2]) {
    const lines = {
      question: `${q.body} I ask on behalf of my constituents.`,
      answer: `On ${q.title.toLowerCase()}, the work starts this summer.`,
      supplementary: `Will the ${q.title.toLowerCase()} work be finished by Christmas?`,
      supplementaryAnswer: `Yes, the ${q.title.toLowerCase()} work will be finished by December.`,
      supplementaryAsker: other(q).displayName,
    };
    said.set(q.id, lines);
    await addTurn(`#turn-${q.id}`, q.actor.personId!, lines.question);
    await addTurn(`#turn-${q.id}`, mayor.id, lines.answer);
    const supForm = `#new-supplementary-${q.id}`;
    await rec.locator(`${supForm} select[name=askerId]`).selectOption(String(other(q).personId));
    await rec.locator(`${supForm} textarea[name=text]`).fill(lines.supplementary);
    await rec.locator(supForm).getByRole('button', { name: 'Add the supplementary' }).click();
    assert.match(squash(await rec.locator('.govuk-notification-banner').textContent()), new RegExp(`Recorded “${q.title} \\(Supplementary\\) \\[1\\]”`));
    const supplementaryTurnForm = rec.locator(`#question-${q.id} .app-paper__supplementary form[id^="turn-"]`);
    const formId = await supplementaryTurnForm.getAttribute('id');
    await addTurn(`#${formId}`, mayor.id, lines.supplementaryAnswer);
  }
  await expectNoAxeProblems(rec);

  await rec.locator(`input[name="reached-${q1.id}"][value=yes]`).check();
  await rec.locator(`input[name="reached-${q2.id}"][value=yes]`).check();
  await rec.locator(`input[name="reached-${q3.id}"][value=no]`).check();
  await rec.getByRole('button', { name: 'Mark as asked' }).click();
  const due = statutoryDeadline(MEETS_ON);
  assert.match(squash(await rec.locator('.govuk-notification-banner').textContent()), new RegExp(`3 questions were marked as asked\\. Written answers are due by the end of ${formatLongDate(due)}\\.`));
  for (const q of [q1, q2]) {
    await rec.locator(`#publish-${q.id}`).getByRole('button', { name: 'Publish the oral answer' }).click();
    assert.match(squash(await rec.locator('.govuk-notification-banner').textContent()), new RegExp(`oral answer by ${mayor.name} was published`));
  }
  assert.match(squash(await rec.locator(`#question-${q3.id}`).textContent()), new RegExp(`Not reached \\(Oral\\): answered in writing, due by the end of ${formatLongDate(due)}`));
  await expectNoAxeProblems(rec);
  await recordContext.close();

  // ---- Anonymous, JavaScript off: the meeting page. ----
  assert.equal((await visitor.goto(`${base}/meetings/${meeting.slug}`))?.status(), 200);
  assert.match(await mainText(visitor), /3 questions asked: 2 answered orally, 0 answered in writing on time, 0 answered late, 1 still awaiting an answer\./);
  const sections = visitor.locator('section[aria-labelledby^="oral-"]');
  assert.equal(await sections.count(), 3);
  for (const [i, q] of order.entries()) {
    const heading = squash(await sections.nth(i).locator('h3').first().textContent());
    assert.equal(heading, `${i + 1}. ${q.reference}: ${q.title}${q === q3 ? ' (Oral)' : ''}`);
  }
  for (const [i, q] of [q1, q2].entries()) {
    const lines = said.get(q.id)!;
    const text = squash(await sections.nth(i).textContent());
    const turns = (await sections.nth(i).locator(':scope > .app-turn').allTextContents()).map(squash);
    assert.deepEqual(turns, [`${q.actor.displayName}: ${lines.question}`, `${mayor.name}: ${lines.answer}`]);
    const sup = sections.nth(i).locator('.app-paper__supplementary');
    assert.equal(await sup.count(), 1, 'one supplementary');
    assert.equal(squash(await sup.locator('h4').textContent()), `${q.title} (Supplementary) [1]`);
    assert.match(squash(await sup.textContent()), new RegExp(`Asked by ${lines.supplementaryAsker}`));
    assert.deepEqual((await sup.locator('.app-turn').allTextContents()).map(squash), [`${lines.supplementaryAsker}: ${lines.supplementary}`, `${mayor.name}: ${lines.supplementaryAnswer}`]);
    assert.doesNotMatch(text, /Not reached/);
  }
  const notReached = squash(await sections.nth(2).textContent());
  assert.match(notReached, new RegExp(`Not reached at the meeting, so answered in writing: due by the end of ${formatLongDate(due)}\\.`));
  assert.equal(await sections.nth(2).locator('.app-turn, .app-paper__supplementary').count(), 0, 'nothing was said on the question not reached');

  // The Priority Order Paper is as published.
  await visitor.goto(`${base}/meetings/${meeting.slug}/order-paper`);
  assert.deepEqual(await rows(), published);

  // The all questions list: the question not reached is "(Oral)" and due from the meeting day.
  await visitor.goto(`${base}/meetings/${meeting.slug}/questions`);
  const questionRows = visitor.locator('table').first().locator('tbody tr');
  assert.equal(await questionRows.count(), 3);
  for (const [i, q] of order.entries()) {
    const cells = (await questionRows.nth(i).locator('td').allTextContents()).map(squash);
    assert.deepEqual(cells.slice(0, 2), [String(i + 1), q.reference]);
    assert.equal(squash(await questionRows.nth(i).locator('td strong').textContent()), `${q.title}${q === q3 ? ' (Oral)' : ''}`);
    assert.ok(cells[2]!.endsWith(q.body), cells[2]);
    assert.equal(cells[3], q.actor.displayName);
    if (q === q3) assert.match(cells[4]!, new RegExp(`Due by ${formatDate(due)}`));
    else assert.doesNotMatch(cells[4]!, /Due by/);
  }
  assert.match(await mainText(visitor), /There are no written questions for this meeting/);

  // The answered questions paper: the two oral answers, nothing for the question not reached yet.
  await visitor.goto(`${base}/meetings/${meeting.slug}/answers`);
  const answers = visitor.locator('section.app-paper__item');
  assert.equal(await answers.count(), 2);
  for (const [i, q] of [q1, q2].entries()) {
    const text = squash(await answers.nth(i).textContent());
    assert.ok(text.startsWith(`${q.reference}: ${q.title} Question from ${q.actor.displayName}`), text);
    assert.match(text, new RegExp(`Oral answer by ${mayor.name}`));
    assert.ok(text.includes(said.get(q.id)!.answer), text);
  }
  assert.ok(!(await mainText(visitor)).includes(q3.reference));

  // The transcript: who was present, the two exchanges, the question not reached.
  await visitor.goto(`${base}/meetings/${meeting.slug}/transcript`);
  const transcript = await mainText(visitor);
  for (const name of [mayor.name, ...order.map((q) => q.actor.displayName)]) assert.ok(transcript.includes(name), `${name} is present`);
  const exchanges = visitor.locator('section.app-paper__item');
  assert.equal(await exchanges.count(), 2);
  for (const [i, q] of [q1, q2].entries()) {
    const lines = said.get(q.id)!;
    assert.equal(squash(await exchanges.nth(i).locator('h2').textContent()), `${i + 1}. ${q.reference}: ${q.title}`);
    assert.deepEqual((await exchanges.nth(i).locator('.app-turn').allTextContents()).map(squash), [
      `${q.actor.displayName}: ${lines.question}`,
      `${mayor.name}: ${lines.answer}`,
      `${lines.supplementaryAsker}: ${lines.supplementary}`,
      `${mayor.name}: ${lines.supplementaryAnswer}`,
    ]);
    assert.equal(squash(await exchanges.nth(i).locator('.app-paper__supplementary h3').textContent()), `${q.title} (Supplementary) [1]`);
  }
  assert.match(transcript, /Questions not reached/);
  assert.deepEqual((await visitor.locator('.app-paper ul.govuk-list--bullet li').allTextContents()).map(squash), [`${q3.reference}: ${q3.title} (Oral), asked by ${q3.actor.displayName}`]);
  await visitorContext.close();

  // The public meeting page passes axe with JavaScript on.
  const axeContext = await running.browser.newContext();
  const axePage = await axeContext.newPage();
  await axePage.goto(`${base}/meetings/${meeting.slug}`);
  await expectNoAxeProblems(axePage);
  await axeContext.close();
});
