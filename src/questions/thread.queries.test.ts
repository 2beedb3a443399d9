// Follow-up threading over a real database: the triggers keep question_references as text and answers change,
// and the page queries keep only what the parser confirms.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { acceptedQuestion, createWorld, publishedAnswer, type World } from '../workflow/test-factories.ts';
import { deadlineSummary, questionTimeline } from './timeline.ts';
import { parseReference } from './reference.ts';
import { citedInAnswersTo, followedUpBy, publicReferencesAmong } from './thread.queries.ts';

let t: TestDatabase;
let w: World;
before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, new Date('2027-03-01T12:00:00Z'));
});
after(async () => {
  await t.close();
});

test('text and answers citing a question thread to it; edits and loose matches are followed correctly', async () => {
  const original = await acceptedQuestion(t.db, w, { title: 'Original question' });
  const parts = parseReference(original.reference)!;
  const target = { id: original.questionId, ...parts };
  const [, number] = original.reference.split('/');

  const followUp = await acceptedQuestion(t.db, w, { title: 'A follow-up' });
  await t.db.updateTable('questions').set({ body: `Further to question ${Number(number)}/${parts.year}, what has changed?` }).where('id', '=', followUp.questionId).execute();
  const answered = await acceptedQuestion(t.db, w, { title: 'Answered elsewhere' });
  await publishedAnswer(t.db, w, answered.questionId, { body: `As I said in my answer to MQ ${original.reference}, nothing has changed.` });
  // A row the loose SQL match could produce but the parser rejects (a date-like path): never shown.
  const decoy = await acceptedQuestion(t.db, w, { title: 'Decoy' });
  await t.db.updateTable('questions').set({ body: `See /files/${original.reference}/notes.` }).where('id', '=', decoy.questionId).execute();
  await t.db.insertInto('question_references').values({ cited_year: parts.year, cited_number: parts.number, citing_question_id: decoy.questionId, source: 'question' }).onConflict((oc) => oc.doNothing()).execute();

  assert.deepEqual((await followedUpBy(t.db, target)).map((l) => l.reference), [followUp.reference]);
  assert.deepEqual((await citedInAnswersTo(t.db, target)).map((l) => l.reference), [answered.reference]);
  const stored = await t.db.selectFrom('question_references').selectAll().where('citing_question_id', '=', followUp.questionId).execute();
  assert.deepEqual(stored.map((r) => [r.cited_year, r.cited_number, r.source]), [[parts.year, parts.number, 'question']]);

  // The member's text is corrected to cite nothing: the thread forgets it.
  await t.db.updateTable('questions').set({ body: 'What has changed?' }).where('id', '=', followUp.questionId).execute();
  assert.deepEqual(await followedUpBy(t.db, target), []);
  // A question marked as a follow-up counts without citing it in the text.
  await t.db.updateTable('questions').set({ follow_up_of_id: original.questionId }).where('id', '=', followUp.questionId).execute();
  assert.deepEqual((await followedUpBy(t.db, target)).map((l) => l.reference), [followUp.reference]);

  const known = await publicReferencesAmong(t.db, [parts, { year: 1999, number: 9999 }]);
  assert.deepEqual([...known.keys()], [original.reference]);
});

test('the timeline runs oldest first and the deadline verdict reads the status', () => {
  const timeline = questionTimeline({
    type: 'written',
    tabledAt: new Date('2009-05-11T10:00:00Z'),
    decidedAt: new Date('2009-05-12T14:00:00Z'),
    askedOn: '2009-05-20',
    notReached: false,
    withdrawnAt: null,
    versions: [
      { version: 2, kind: 'substantive', delivery: 'written', published_at: new Date('2009-05-29T15:00:00Z') },
      { version: 1, kind: 'holding', delivery: 'written', published_at: new Date('2009-05-22T15:00:00Z') },
      { version: 3, kind: 'correction', delivery: 'written', published_at: new Date('2009-06-02T15:00:00Z') },
    ],
  });
  assert.deepEqual(timeline.map((e) => [e.event, e.on]), [
    ['tabled', '2009-05-11'],
    ['accepted', '2009-05-12'],
    ['asked', '2009-05-20'],
    ['holding_answer', '2009-05-22'],
    ['answered', '2009-05-29'],
    ['corrected', '2009-06-02'],
  ]);
  const base = { holdingForWorkingDays: null, label: '' };
  assert.equal(deadlineSummary('2009-05-26', { ...base, status: 'answered', lateness: 'on_time', workingDaysLate: 0 }).met, true);
  assert.deepEqual(deadlineSummary('2009-05-26', { ...base, status: 'answered', lateness: 'overdue', workingDaysLate: 3 }), {
    dueOn: '2009-05-26',
    met: false,
    workingDaysLate: 3,
    text: 'Deadline missed: answered 3 working days late.',
  });
  assert.equal(deadlineSummary('2009-05-26', { ...base, status: 'holding_answer', lateness: 'very_overdue', workingDaysLate: 25 }).text, 'Deadline missed: overdue by 25 working days.');
  assert.equal(deadlineSummary('2009-05-26', { ...base, status: 'awaiting_answer', lateness: 'not_yet_due', workingDaysLate: 0 }).met, null);
  assert.equal(deadlineSummary(null, { ...base, status: 'answered', lateness: null, workingDaysLate: 0 }).met, null);
});
