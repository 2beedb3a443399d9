import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { rejectQuestion } from './clerk.commands.ts';
import { significantWords, similarQuestions, similarQuestionsQuery } from './similar.queries.ts';
import { acceptedQuestion, createWorld, draftQuestion, publishedAnswer, run, tabledQuestion, type World } from './test-factories.ts';

let t: TestDatabase;
let w: World;
const now = new Date();
let answered: { questionId: number; reference: string };

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  answered = await acceptedQuestion(t.db, w, { title: 'Funding for the human trafficking unit' });
  await publishedAnswer(t.db, w, answered.questionId);
});
after(async () => {
  await t.close();
});

const references = async (title: string, body = '') => (await similarQuestions(t.db, { title, body })).map((q) => q.reference);

describe('significantWords', () => {
  test('keeps letters and digits, drops short and common words and repeats', () => {
    assert.deepEqual(significantWords('Will the Mayor fund the "trafficking" unit?', 'Unit & funding | 2010!'), ['fund', 'trafficking', 'unit', 'funding', '2010']);
    assert.deepEqual(significantWords("'); DROP TABLE questions; --"), ['drop', 'table', 'questions']);
    assert.deepEqual(significantWords('🚌🚌 !&|():* <->'), []);
  });

  test('bounds the words however long the text', () => {
    const words = significantWords(Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' '));
    assert.ok(words.length <= 24);
    assert.deepEqual(significantWords('x'.repeat(10_000)), []);
  });
});

describe('similarQuestions', () => {
  test('finds an answered question by words of its title, with its reference and the day it was answered', async () => {
    const found = await similarQuestions(t.db, { title: 'Trafficking unit', body: '' });
    assert.equal(found[0]?.reference, answered.reference);
    assert.equal(found[0]?.title, 'Funding for the human trafficking unit');
    assert.match(found[0]?.answeredOn ?? '', /^\d{4}-\d{2}-\d{2}$/);
    // Stemming: "funded" finds "funding"; the body is searched too.
    assert.deepEqual(await references('', 'Is the unit funded?'), [answered.reference]);
  });

  test('never shows drafts, tabled, rejected, unanswered or holding-only questions', async () => {
    const title = 'Ferry timetable changes';
    await draftQuestion(t.db, w, { title });
    await tabledQuestion(t.db, w, { title });
    const rejected = await tabledQuestion(t.db, w, { title });
    await run(t.db, (trx) => rejectQuestion(trx, w.actors.clerk, { questionId: rejected, reason: 'Not a matter for the Mayor.' }));
    await acceptedQuestion(t.db, w, { title });
    const holding = await acceptedQuestion(t.db, w, { title });
    await publishedAnswer(t.db, w, holding.questionId, { kind: 'holding' });
    assert.deepEqual(await references('ferry timetable'), []);
    const substantive = await acceptedQuestion(t.db, w, { title });
    await publishedAnswer(t.db, w, substantive.questionId);
    assert.deepEqual(await references('ferry timetable'), [substantive.reference]);
  });

  test('ranks closer matches first and shows at most five', async () => {
    for (let i = 0; i < 6; i++) {
      const q = await acceptedQuestion(t.db, w, { title: `Library opening hours ${i}` });
      await publishedAnswer(t.db, w, q.questionId);
    }
    const best = await acceptedQuestion(t.db, w, { title: 'Library opening hours on Sundays in winter' });
    await publishedAnswer(t.db, w, best.questionId);
    const found = await references('Sunday library opening in winter');
    assert.equal(found.length, 5);
    assert.equal(found[0], best.reference);
  });

  test('hostile text never raises an error', async () => {
    const cases = [
      '',
      '   ',
      "'",
      '"quoted" \'single\'',
      '&|!():*<->',
      'trafficking & | ! ( ) : * <-> unit',
      "'); DROP TABLE questions; --",
      'a:* & b:A | !c',
      '🚌🚓👮‍♀️ emoji 🏳️‍🌈',
      '\u0000\u0007\uD800 lone surrogate',
      'the and for', // stop words only
      'x'.repeat(10_000),
      'trafficking '.repeat(1_000),
      Array.from({ length: 2_000 }, (_, i) => `w${i}`).join(' '),
    ];
    for (const text of cases) {
      await similarQuestions(t.db, { title: text, body: text });
    }
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 2_000 }), async (title, body) => {
        const found = await similarQuestions(t.db, { title, body });
        assert.ok(found.length <= 5);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('&', '|', '!', '(', ')', ':', '*', "'", '"', '\\', '<->', 'unit', 'fund', ' ', '🚌', 'DROP'), { maxLength: 60 }), async (parts) => {
        await similarQuestions(t.db, { title: parts.join(''), body: parts.join(' ') });
      }),
      { numRuns: 60 },
    );
  });

  test('the search uses the GIN index on the question text once there is a record to search', async () => {
    // A record of a few thousand answered questions, added and analysed inside a transaction that is rolled back.
    const rolledBack = new Error('roll back');
    const outcome = await t.db
      .transaction()
      .execute(async (trx) => {
        await sql`
          INSERT INTO questions (reference_year, reference_number, question_type, state, title, body, asker_id, meeting_id)
          SELECT 2199, n, 'written', 'accepted', 'Street lighting in ward ' || n, 'How many street lights are broken in ward ' || n || '?',
                 ${w.memberPersonId}, ${w.meetings.held.id}
          FROM generate_series(1, 3000) AS n`.execute(trx);
        await sql`
          INSERT INTO answer_versions (question_id, version, kind, body, answered_by_id, answered_by_label, published_at)
          SELECT id, 1, 'substantive', 'Officers are repairing them.', ${w.mayorId}, 'Mayor', now()
          FROM questions WHERE reference_year = 2199`.execute(trx);
        await sql`ANALYZE questions, answer_versions`.execute(trx);
        const plan = await similarQuestionsQuery(trx, ['trafficking', 'unit']).explain();
        throw Object.assign(rolledBack, { plan: plan.map((row) => Object.values(row).join('\n')).join('\n') });
      })
      .catch((error: unknown) => error);
    assert.equal(outcome, rolledBack);
    const plan = (outcome as Error & { plan: string }).plan;
    assert.match(plan, /Bitmap Index Scan on questions_text_search/, plan);
  });
});
