// Press release commands against a real database: what is saved, what is refused (with nothing saved), when a release
// is visible, and that a citation can only ever show the published answer text it points at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { buildApp } from '../web/app.ts';
import { withdrawQuestion } from '../workflow/member.commands.ts';
import { publishDraft } from '../workflow/publish.commands.ts';
import { acceptedQuestion, auditActions, createWorld, draftAnswer, expectRefusal, publishedAnswer, run, tabledQuestion, type World } from '../workflow/test-factories.ts';
import { createRelease, publishRelease, scheduleRelease, unpublishRelease, updateRelease } from './press-release.commands.ts';
import { publishedReleaseEntries, publicReleases, releaseAtAddress, releasesByMember, releasesCitingQuestion } from './press-release.queries.ts';
import { londonDate } from '../calendar/london-time.ts';
import { addDays } from '../calendar/iso-date.ts';

let t: TestDatabase;
let w: World;
let app: FastifyInstance;
let answered: { questionId: number; reference: string; answerVersionId: number };
let memberSlug: string;
let mayorSlug: string;

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, new Date());
  app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' } });
  const q = await acceptedQuestion(t.db, w, { title: 'Bus reliability' });
  const { answerVersionId } = await publishedAnswer(t.db, w, q.questionId, { body: 'Reliability has improved: 98.2% of scheduled journeys ran last month.' });
  answered = { ...q, answerVersionId };
  memberSlug = (await t.db.selectFrom('people').select('slug').where('id', '=', w.memberPersonId).executeTakeFirstOrThrow()).slug;
  mayorSlug = (await t.db.selectFrom('people').select('slug').where('id', '=', w.mayorId).executeTakeFirstOrThrow()).slug;
});

after(async () => {
  await app.close();
  await t.close();
});

const releaseCount = async () => Number((await t.db.selectFrom('press_releases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

const base = (extra: Record<string, unknown> = {}) => ({ headline: 'Buses run on time', body: 'The *Mayor* says so.', ...extra });

test('a member writes a release citing a published answer: saved as a draft, notes drafted, audited, not public', async () => {
  const { releaseId, slug } = await run(t.db, (trx) =>
    createRelease(trx, w.actors.member, base({ citations: [{ reference: answered.reference }], quotes: [{ person: memberSlug, text: 'Good news.' }] })),
  );
  const row = await t.db.selectFrom('press_releases').selectAll().where('id', '=', releaseId).executeTakeFirstOrThrow();
  assert.equal(row.state, 'draft');
  assert.equal(row.author_id, w.memberPersonId);
  assert.match(row.notes_to_editors, /gave the following written answer to a question, asked in .*:\n\n\[citation 1\]$/);
  const citation = await t.db.selectFrom('press_release_citations').selectAll().where('press_release_id', '=', releaseId).executeTakeFirstOrThrow();
  assert.equal(citation.answer_version_id, answered.answerVersionId);
  assert.equal(citation.kind, 'written');
  const categories = await t.db.selectFrom('press_release_categories').innerJoin('press_categories', 'press_categories.id', 'category_id').select('name').where('press_release_id', '=', releaseId).execute();
  assert.deepEqual(categories.map((c) => c.name), ['Uncategorised']);
  assert.deepEqual(await auditActions(t.db, 'press_release', releaseId), ['press_release.created']);
  assert.equal(await releaseAtAddress(t.db, slug, new Date()), null, 'a draft has no public page');
});

test('bad input is refused with a message naming the problem, and nothing is saved', async () => {
  const tabled = await tabledQuestion(t.db, w, { title: 'Not yet accepted' });
  const unanswered = await acceptedQuestion(t.db, w, { title: 'Not yet answered' });
  const toWithdraw = await acceptedQuestion(t.db, w, { title: 'To be withdrawn' });
  await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId: toWithdraw.questionId }));
  const tabledRef = await t.db.selectFrom('questions').select(['reference_number']).where('id', '=', tabled).executeTakeFirstOrThrow();
  assert.equal(tabledRef.reference_number, null, 'a tabled question has no reference to cite');
  const before_ = await releaseCount();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['unknown reference', base({ citations: [{ reference: '1999/0001' }] }), /There is no published question 1999\/0001/],
    ['not a reference', base({ citations: [{ reference: 'the May one' }] }), /is not a question reference/],
    ['unanswered', base({ citations: [{ reference: unanswered.reference }] }), /has not been answered yet/],
    ['withdrawn', base({ citations: [{ reference: toWithdraw.reference }] }), /was withdrawn/],
    ['missing version', base({ citations: [{ reference: answered.reference, version: 9 }] }), /has no published answer version 9/],
    ['quote from the Mayor', base({ quotes: [{ person: mayorSlug, text: 'I said it.' }] }), /is not a member of the Assembly/],
    ['quote from nobody', base({ quotes: [{ person: 'nobody-at-all', text: 'Hello' }] }), /there is no member/],
    ['pasted citation text', base({ citations: [{ reference: answered.reference, text: 'My own version of the answer' }] }), /has a problem/],
    ['pasted quotation field', base({ citationText: 'My own version' }), /has a problem/],
    ['no headline', { body: 'x' }, /Enter a headline/],
    ['script in the body', base({ body: 'Read this <script>alert(1)</script>' }), /The body contains a script, which is not allowed/],
    ['raw HTML in the body', base({ body: '<img src=x onerror=alert(1)>' }), /The body contains HTML \(<img>\), which is not allowed/],
    ['a javascript: link', base({ body: '[click](javascript:alert(1))' }), /The link “javascript:alert\(1\)” is not allowed/],
    ['cited twice', base({ citations: [{ reference: answered.reference }, { reference: answered.reference }] }), /cited twice/],
  ];
  for (const [what, input, message] of cases) {
    const error = await expectRefusal(t.db, 'validation_failed', (trx) => createRelease(trx, w.actors.member, input));
    assert.match(error.message, message, what);
  }
  const withTwo = await expectRefusal(t.db, 'validation_failed', (trx) =>
    createRelease(trx, w.actors.member, base({ citations: [{ reference: unanswered.reference }, { reference: toWithdraw.reference }] })),
  );
  assert.deepEqual(Object.keys(withTwo.fields ?? {}).sort(), ['citations.0', 'citations.1'], 'every bad citation is named at once');
  await expectRefusal(t.db, 'forbidden', (trx) => createRelease(trx, w.actors.clerk, base()));
  assert.equal(await releaseCount(), before_, 'nothing was saved');
});

test('the database has nowhere to put pasted citation text, and refuses a version of another question', async () => {
  const { releaseId } = await run(t.db, (trx) => createRelease(trx, w.actors.member, base()));
  await assert.rejects(
    sql`INSERT INTO press_release_citations (press_release_id, position, question_id, answer_version_id, kind, quoted_text) VALUES (${releaseId}, 1, ${answered.questionId}, ${answered.answerVersionId}, 'written', 'pasted')`.execute(t.db),
    /quoted_text/,
  );
  const other = await acceptedQuestion(t.db, w, { title: 'Another question' });
  await assert.rejects(
    t.db.insertInto('press_release_citations').values({ press_release_id: releaseId, position: 1, question_id: other.questionId, answer_version_id: answered.answerVersionId, kind: 'written' }).execute(),
    /press_release_citations_version_of_question/,
  );
});

test('scheduled: invisible everywhere until the embargo, then public with no job; unpublished: a tombstone', async () => {
  const now = new Date();
  const { releaseId, slug } = await run(t.db, (trx) => createRelease(trx, w.actors.member, base({ headline: 'Embargoed news', citations: [{ reference: answered.reference }] }), { now }));
  const tomorrow = addDays(londonDate(now), 1);
  await expectRefusal(t.db, 'validation_failed', (trx) => scheduleRelease(trx, w.actors.member, releaseId, { embargoDate: addDays(londonDate(now), -1), embargoTime: '09:00' }, { now }));
  await expectRefusal(t.db, 'validation_failed', (trx) => scheduleRelease(trx, w.actors.member, releaseId, { embargoDate: tomorrow, embargoTime: '25:00' }, { now }));
  const { embargoUntil } = await run(t.db, (trx) => scheduleRelease(trx, w.actors.member, releaseId, { embargoDate: tomorrow, embargoTime: '09:30' }, { now }));
  const justBefore = new Date(embargoUntil.getTime() - 1);
  const at = embargoUntil;
  const seen = async (when: Date) => ({
    page: (await releaseAtAddress(t.db, slug, when))?.kind ?? null,
    list: (await publicReleases(t.db, when, {}, { offset: 0, limit: 100 })).items.some((r) => r.id === releaseId),
    citing: (await releasesCitingQuestion(t.db, answered.questionId, when)).some((r) => r.id === releaseId),
    member: (await releasesByMember(t.db, w.memberPersonId, when)).some((r) => r.id === releaseId),
    sitemap: (await publishedReleaseEntries(t.db, when)).some((e) => e.path === `/press-releases/${slug}`),
  });
  assert.deepEqual(await seen(justBefore), { page: null, list: false, citing: false, member: false, sitemap: false });
  assert.deepEqual(await seen(at), { page: 'public', list: true, citing: true, member: true, sitemap: true });
  // Once public it is part of the record: no more edits, no more scheduling.
  await expectRefusal(t.db, 'conflict', (trx) => updateRelease(trx, w.actors.member, releaseId, { headline: 'Changed' }, { now: at }));
  await expectRefusal(t.db, 'conflict', (trx) => publishRelease(trx, w.actors.member, releaseId, { now: at }));
  // Another member cannot touch it: to them it is not there.
  await expectRefusal(t.db, 'not_found', (trx) => unpublishRelease(trx, w.actors.otherMember, releaseId, {}, { now: at }));
  await run(t.db, (trx) => unpublishRelease(trx, w.actors.staff, releaseId, { reason: 'Superseded' }, { now: at }));
  assert.deepEqual(await seen(new Date(at.getTime() + 1000)), { page: 'tombstone', list: false, citing: false, member: false, sitemap: false });
  assert.deepEqual(await auditActions(t.db, 'press_release', releaseId), ['press_release.created', 'press_release.scheduled', 'press_release.unpublished']);
});

test('taking a release off the schedule before its embargo makes it a draft again (it was never public)', async () => {
  const now = new Date();
  const { releaseId, slug } = await run(t.db, (trx) => createRelease(trx, w.actors.pressOfficer, base({ headline: 'Never seen', author: memberSlug }), { now }));
  await run(t.db, (trx) => scheduleRelease(trx, w.actors.pressOfficer, releaseId, { embargoDate: addDays(londonDate(now), 2), embargoTime: '10:00' }, { now }));
  const { state } = await run(t.db, (trx) => unpublishRelease(trx, w.actors.pressOfficer, releaseId, {}, { now }));
  assert.equal(state, 'draft');
  assert.equal(await releaseAtAddress(t.db, slug, new Date(now.getTime() + 10 * 86_400_000)), null);
  await run(t.db, (trx) => publishRelease(trx, w.actors.pressOfficer, releaseId, { now }));
  assert.equal((await releaseAtAddress(t.db, slug, now))?.kind, 'public');
  assert.deepEqual(await auditActions(t.db, 'press_release', releaseId), ['press_release.created', 'press_release.scheduled', 'press_release.unscheduled', 'press_release.published']);
});

/** The text of the rendered citation answer: each paragraph's text, unescaped. */
function answerParagraphs(html: string): string[] {
  const block = /<div data-testid="citation-answer">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...block.matchAll(/<p class="govuk-body">([\s\S]*?)<\/p>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}
const paragraphsOf = (text: string) => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

test('a citation block always shows exactly the published text of the version it cites (fast-check), even after a correction', async () => {
  const wordy = fc.stringMatching(/^[A-Za-z0-9£%&<>"' .,;:!?()-]{1,60}$/).filter((s) => s.trim().length > 0);
  const answerText = fc.array(wordy, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('\n\n'));
  let run_ = 0;
  await fc.assert(
    fc.asyncProperty(answerText, async (text) => {
      run_ += 1;
      const q = await acceptedQuestion(t.db, w, { title: `Property question ${run_}` });
      const { answerVersionId } = await publishedAnswer(t.db, w, q.questionId, { body: text });
      const published = await t.db.selectFrom('answer_versions').select('body').where('id', '=', answerVersionId).executeTakeFirstOrThrow();
      const { releaseId, slug } = await run(t.db, (trx) => createRelease(trx, w.actors.member, base({ headline: `Property ${run_}`, citations: [{ reference: q.reference }] })));
      await run(t.db, (trx) => publishRelease(trx, w.actors.member, releaseId));
      const page = await app.inject({ url: `/press-releases/${slug}` });
      assert.equal(page.statusCode, 200);
      assert.deepEqual(answerParagraphs(page.body), paragraphsOf(published.body));
      const json = (await app.inject({ url: `/api/v1/press-releases/${slug}` })).json<{ citations: { answer: { text: string } }[] }>();
      assert.equal(json.citations[0]?.answer.text, published.body);
    }),
    { numRuns: 6 },
  );
  // A later correction: the quotation stays as cited, and a notice links to the correction.
  const q = await acceptedQuestion(t.db, w, { title: 'Corrected later' });
  await publishedAnswer(t.db, w, q.questionId, { body: 'The figure was 98.2%.' });
  const { releaseId, slug } = await run(t.db, (trx) => createRelease(trx, w.actors.member, base({ headline: 'Corrected later', citations: [{ reference: q.reference }] })));
  await run(t.db, (trx) => publishRelease(trx, w.actors.member, releaseId));
  const draftId = await draftAnswer(t.db, w, q.questionId, { kind: 'correction', body: 'The figure was 92.8%.' });
  await run(t.db, (trx) => publishDraft(trx, w.actors.approver, { draftId }));
  const page = await app.inject({ url: `/press-releases/${slug}` });
  assert.deepEqual(answerParagraphs(page.body), ['The figure was 98.2%.']);
  assert.match(page.body, /data-testid="citation-corrected"/);
  assert.match(page.body, new RegExp(`href="/questions/${q.reference}#version-2"`));
});
