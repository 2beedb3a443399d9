// The demo storyline's press release in a real browser: the party press officer writes "Funding to counter human
// trafficking at risk", cites the June oral answer (found with the search box) and the May written answer (by
// reference), has the notes to editors drafted, and schedules it under embargo. Until the embargo ends nobody sees
// it; then the public page shows the release, ENDS, the drafted notes and citation blocks identical to the record.
// A later correction of the May answer adds a notice and leaves the quotation as it was. Axe checks each page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { loadActor } from '../auth/auth.plugin.ts';
import { DEMO_PASSWORD } from '../demo/demo-accounts.ts';
import { accessibilityProblems, browserUnavailable, startBrowser, type RunningBrowser } from '../testing/chromium.ts';
import { createDemoApp, FIXED_NOW, referenceOf, type DemoApp } from '../testing/demo-app.ts';
import { buildApp } from '../web/app.ts';
import { approveDraft, submitDraft, writeAnswerDraft } from '../workflow/answer-draft.commands.ts';
import { publishDraft } from '../workflow/publish.commands.ts';

const skip = browserUnavailable();
const PRESS_OFFICER = 'press@social-democrats.wexbridge.example';
const APPROVER = 'approver@mayor.wexbridge.example';
const HEADLINE = 'Funding to counter human trafficking at risk';
// The embargo: 9am the day after the fixed "now" (Wednesday 25 November 2026, noon).
const EMBARGO_DATE = '2026-11-26';
const EMBARGO = new Date('2026-11-26T09:00:00Z');

let demo: DemoApp;
let app: FastifyInstance;
let clock = FIXED_NOW;
let running: RunningBrowser;

/** Progress lines when PRESS_RELEASE_TEST_DEBUG is set: on a loaded machine, shows which step is slow. */
const step = (what: string) => {
  if (process.env.PRESS_RELEASE_TEST_DEBUG) console.error(`${new Date().toISOString()} ${what}`);
};

before(async () => {
  if (skip) return;
  step('loading the demo');
  demo = await createDemoApp();
  // The same demo record behind an app whose clock the test moves on.
  app = await buildApp({ db: demo.t.db, mode: demo.t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => clock });
  running = await startBrowser(app);
});

after(async () => {
  if (skip) return;
  await running.close();
  await app.close();
  await demo.close();
});

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const paragraphs = (text: string) => text.split(/\n\s*\n/).map((p) => squash(p)).filter(Boolean);

async function expectNoAxeProblems(page: Page) {
  step(`axe on ${page.url()}`);
  assert.deepEqual(await accessibilityProblems(page), [], `axe on ${page.url()}`);
}

/** Axe runs in the page, so a page without JavaScript is checked in a second, scripted context at the same address. */
async function expectNoAxeProblemsAt(url: string) {
  const context = await running.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await expectNoAxeProblems(page);
  await context.close();
}

/** Each citation block's parts as the page shows them. */
async function blocksOn(page: Page) {
  const blocks = page.getByTestId('citation-block');
  const found = [];
  for (let i = 0; i < (await blocks.count()); i++) {
    const block = blocks.nth(i);
    found.push({
      questionFrom: squash(await block.getByTestId('citation-question-from').textContent()),
      question: (await block.getByTestId('citation-question').locator('p').allTextContents()).map(squash),
      answerBy: squash(await block.getByTestId('citation-answer-by').textContent()),
      answer: (await block.getByTestId('citation-answer').locator('p').allTextContents()).map(squash),
      links: await block.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      corrected: await block.getByTestId('citation-corrected').count(),
    });
  }
  return found;
}

/** What the record holds for a cited question: its text, asker, and the answer version's text and answerer. */
async function fromRecord(reference: string, version: number) {
  const [year, number] = reference.split('/').map(Number);
  const row = await demo.t.db
    .selectFrom('questions as q')
    .innerJoin('people as asker', 'asker.id', 'q.asker_id')
    .innerJoin('answer_versions as v', 'v.question_id', 'q.id')
    .innerJoin('people as answerer', 'answerer.id', 'v.answered_by_id')
    .select(['q.body as question', 'asker.name as asker', 'v.body as answer', 'answerer.name as answerer'])
    .where('q.reference_year', '=', year!)
    .where('q.reference_number', '=', number!)
    .where('v.version', '=', version)
    .executeTakeFirstOrThrow();
  return row;
}

test('a press officer writes, cites, schedules; the release appears only after its embargo, quoting the record word for word', { skip }, async () => {
  const base = running.baseUrl;
  const june = await referenceOf(demo.t, 'Funding for the Human Trafficking Unit');
  const may = await referenceOf(demo.t, 'Trafficking of women');

  // ---- The press officer signs in and writes the release. ----
  step('signing in');
  const context = await running.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email address').fill(PRESS_OFFICER);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.goto(`${base}/work/press-releases`);
  await expectNoAxeProblems(page);
  await page.getByRole('button', { name: 'Write a press release' }).click();
  await page.waitForURL(/\/work\/press-releases\/new$/);
  await expectNoAxeProblems(page);

  await page.getByLabel('By').selectOption('hannah-okoye');
  step('composing');
  await page.getByLabel('Headline').fill(HEADLINE);
  await page.getByLabel('Body').fill(
    "Wexbridge's only police unit dedicated to fighting human trafficking could close next year.\n\nThe Mayor has confirmed that its funding beyond 2009/10 is **not secured**.",
  );
  await page.getByLabel('Member quoted').first().selectOption('hannah-okoye');
  await page.getByLabel('What they said').first().fill('This unit finds women and children who are being bought and sold. Its future must be secured.');
  // The June oral answer, found with the search box; the May written answer by its reference.
  await page.getByLabel('Find an answered question').fill('Human Trafficking Unit funding');
  await page.getByRole('button', { name: 'Search the record' }).click();
  await page.getByRole('button', { name: `Cite ${june}` }).click();
  assert.equal(await page.getByLabel('Questions cited').inputValue(), june);
  await page.getByLabel('Questions cited').fill(`${june}\n${may}`);
  await page.getByRole('button', { name: 'Draft notes from the citations' }).click();
  step('drafting notes');
  const notes = await page.getByLabel('Notes to editors').inputValue();
  assert.deepEqual(paragraphs(notes), [
    "The Mayor gave the following oral answer to a question put by Hannah Okoye at Mayor's Question Time on Wednesday the 17th of June 2009:",
    '[citation 1]',
    'The Mayor also gave the following written answer to a previous question, asked in May 2009:',
    '[citation 2]',
  ]);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Your press release was saved as a draft.').waitFor();
  const releaseUrl = page.url();
  await expectNoAxeProblems(page);

  // ---- An embargo in the past is refused; one tomorrow morning is set. ----
  step('scheduling');
  await page.getByLabel('Embargo date').fill('2026-11-24');
  await page.getByLabel('Embargo time').fill('09:00');
  await page.getByRole('button', { name: 'Schedule' }).click();
  assert.match(squash(await page.locator('.govuk-error-summary').textContent()), /The embargo must be in the future/);
  await page.getByLabel('Embargo date').fill(EMBARGO_DATE);
  await page.getByLabel('Embargo time').fill('09:00');
  await page.getByRole('button', { name: 'Schedule' }).click();
  await page.getByText('The release is scheduled.').waitFor();
  assert.equal(squash(await page.getByTestId('release-state').textContent()), 'Scheduled');
  assert.match(squash(await page.getByTestId('embargo').textContent()), /Embargoed until Thursday 26 November 2026, 9:00am/);
  await context.close();

  const release = await demo.t.db.selectFrom('press_releases').select(['slug', 'state', 'embargo_until']).where('headline', '=', HEADLINE).orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.equal(release.state, 'scheduled');
  assert.equal(release.embargo_until?.toISOString(), EMBARGO.toISOString());
  assert.match(releaseUrl, /\/work\/press-releases\/\d+$/);

  // ---- Before the embargo: nothing anywhere, for a visitor without JavaScript. ----
  step('before the embargo');
  const visitor = await running.browser.newContext({ javaScriptEnabled: false });
  const anon = await visitor.newPage();
  anon.setDefaultTimeout(15_000);
  clock = new Date(EMBARGO.getTime() - 60_000);
  const early = await anon.goto(`${base}/press-releases/${release.slug}`);
  assert.equal(early?.status(), 404);
  await anon.goto(`${base}/press-releases`);
  assert.equal(await anon.locator(`a[href="/press-releases/${release.slug}"]`).count(), 0);
  const apiEarly = await anon.goto(`${base}/api/v1/press-releases/${release.slug}`);
  assert.equal(apiEarly?.status(), 404);
  const feedEarly = await (await anon.request.get(`${base}/feeds/press-releases/members/hannah-okoye.atom`)).text();
  assert.doesNotMatch(feedEarly, new RegExp(release.slug));

  // ---- The embargo ends: the release is public, with no job having run. ----
  step('after the embargo');
  clock = new Date(EMBARGO.getTime() + 1000);
  await anon.goto(`${base}/press-releases`);
  await anon.locator(`a[href="/press-releases/${release.slug}"]`).click();
  await anon.waitForURL(new RegExp(`/press-releases/${release.slug}$`));
  assert.equal(squash(await anon.locator('h1').textContent()), HEADLINE);
  assert.match(squash(await anon.getByTestId('release-meta').textContent()), /26 November 2026, by Hannah Okoye, Social Democrat Group/);
  assert.match(squash(await anon.getByTestId('release-body').textContent()), /its funding beyond 2009\/10 is not secured\./);
  assert.equal(await anon.getByTestId('release-body').locator('strong').count(), 1);
  assert.equal(squash(await anon.getByTestId('release-quote').textContent()), 'Hannah Okoye commented: “This unit finds women and children who are being bought and sold. Its future must be secured.”');
  assert.equal(squash(await anon.getByTestId('release-ends').textContent()), 'ENDS');
  const notesText = (await anon.getByTestId('notes-to-editors').locator(':scope > p').allTextContents()).map(squash);
  assert.deepEqual(notesText, [
    "The Mayor gave the following oral answer to a question put by Hannah Okoye at Mayor's Question Time on Wednesday the 17th of June 2009:",
    'The Mayor also gave the following written answer to a previous question, asked in May 2009:',
  ]);
  assert.equal(await anon.getByRole('link', { name: 'To top' }).getAttribute('href'), '#top');

  // The blocks are the record, word for word.
  step('checking blocks');
  const juneRecord = await fromRecord(june, 1);
  const mayRecord = await fromRecord(may, 1);
  const blocks = await blocksOn(anon);
  assert.equal(blocks.length, 2);
  for (const [block, record, reference] of [[blocks[0]!, juneRecord, june], [blocks[1]!, mayRecord, may]] as const) {
    assert.equal(block.questionFrom, `Question From ${record.asker}`);
    assert.deepEqual(block.question, paragraphs(record.question));
    assert.equal(block.answerBy, `Answer by ${record.answerer}`);
    assert.deepEqual(block.answer, paragraphs(record.answer));
    assert.ok(block.links.includes(`/questions/${reference}`), `${reference} links to its question page`);
    assert.equal(block.corrected, 0);
  }
  assert.ok(blocks[0]!.links.includes('/meetings/mqt-2009-06-17'), 'the oral answer names its meeting');

  // Each cited question's page links back to the release.
  const publicPath = new URL(anon.url()).pathname;
  for (const reference of [june, may]) {
    await anon.goto(`${base}/questions/${reference}`);
    const citedIn = anon.locator('#cited-in-press-releases + *');
    assert.ok((await citedIn.locator(`a[href="${publicPath}"]`).count()) >= 1, `${reference} lists the release under "Cited in press releases"`);
  }
  await anon.goto(`${base}${publicPath}`);
  await expectNoAxeProblemsAt(anon.url());
  await expectNoAxeProblemsAt(`${base}/press-releases`);

  // ---- Later, the May answer is corrected: a notice links to the correction; the quotation stays as cited. ----
  step('correcting');
  const approver = await demo.t.db.selectFrom('users').select('id').where('email', '=', APPROVER).executeTakeFirstOrThrow();
  const approverActor = (await loadActor(demo.t.db, approver.id))!;
  const [year, number] = may.split('/').map(Number);
  const question = await demo.t.db.selectFrom('questions').select('id').where('reference_year', '=', year!).where('reference_number', '=', number!).executeTakeFirstOrThrow();
  clock = new Date(EMBARGO.getTime() + 2 * 86_400_000);
  const options = { now: clock };
  await demo.t.db.transaction().execute(async (trx) => {
    const { draftId } = await writeAnswerDraft(
      trx,
      approverActor,
      { questionId: question.id, kind: 'correction', body: `${mayRecord.answer}\n\nThe Home Office has since confirmed a further £50,000 for 2009/10.`, correctionNote: 'The Home Office added to its final payment.' },
      options,
    );
    await submitDraft(trx, approverActor, { draftId }, options);
    await approveDraft(trx, approverActor, { draftId }, options);
    await publishDraft(trx, approverActor, { draftId }, options);
  });
  await anon.reload();
  const after_ = await blocksOn(anon);
  assert.deepEqual(after_[1]!.answer, paragraphs(mayRecord.answer), 'the quotation is unchanged');
  assert.equal(after_[1]!.corrected, 1);
  assert.ok(after_[1]!.links.includes(`/questions/${may}#version-2`), 'the notice links to the correction');
  assert.equal(after_[0]!.corrected, 0);
  await expectNoAxeProblemsAt(anon.url());
  await visitor.close();
});
