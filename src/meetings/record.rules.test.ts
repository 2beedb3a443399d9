import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttendanceCapacity, QuestionState, QuestionType } from '../db/schema.ts';
import {
  attendanceCapacity,
  attendanceChange,
  nextSupplementaryNumber,
  oralAnswerText,
  RECORD_ACTIONS,
  recordRefusal,
  supplementaryTitle,
  TITLE_LIMIT,
  type RecordFacts,
} from './record.rules.ts';

test('a supplementary is titled "<title> (Supplementary) [n]"', () => {
  assert.equal(supplementaryTitle('Funding for the Human Trafficking Unit', 1), 'Funding for the Human Trafficking Unit (Supplementary) [1]');
  assert.equal(supplementaryTitle('  Fares ', 12), 'Fares (Supplementary) [12]');
  assert.throws(() => supplementaryTitle('Fares', 0), RangeError);
  assert.throws(() => supplementaryTitle('Fares', 1.5), RangeError);
});

test('a long title is shortened so the numbered suffix always fits the title limit', () => {
  for (const n of [1, 9, 10, 123]) {
    const title = supplementaryTitle('x'.repeat(TITLE_LIMIT), n);
    assert.equal([...title].length, TITLE_LIMIT);
    assert.ok(title.endsWith(`… (Supplementary) [${n}]`));
  }
  const exact = 'y'.repeat(TITLE_LIMIT - ' (Supplementary) [1]'.length);
  assert.equal(supplementaryTitle(exact, 1), `${exact} (Supplementary) [1]`);
  // Characters, not UTF-16 units, as PostgreSQL counts them.
  const emoji = supplementaryTitle('🚌'.repeat(TITLE_LIMIT), 2);
  assert.equal([...emoji].length, TITLE_LIMIT);
});

test('supplementaries are numbered after the highest number used', () => {
  assert.equal(nextSupplementaryNumber([]), 1);
  assert.equal(nextSupplementaryNumber([1, 2]), 3);
  assert.equal(nextSupplementaryNumber([2, 1, 5]), 6);
});

test('an executive office outranks a seat in the assembly; nothing held, no seat', () => {
  assert.equal(attendanceCapacity([]), null);
  assert.equal(attendanceCapacity([{ role: 'member', inAssembly: true }]), 'member');
  assert.equal(attendanceCapacity([{ role: 'member', inAssembly: false }]), null);
  assert.equal(attendanceCapacity([{ role: 'leader', inAssembly: true }]), null);
  assert.equal(attendanceCapacity([{ role: 'member', inAssembly: true }, { role: 'mayor', inAssembly: false }]), 'mayor');
  assert.equal(attendanceCapacity([{ role: 'commissioner', inAssembly: false }, { role: 'deputy_mayor', inAssembly: false }]), 'deputy_mayor');
});

test('attendance changes are who joins and who leaves', () => {
  assert.deepEqual(attendanceChange([1, 2, 3], [3, 4, 2]), { added: [4], removed: [1] });
  assert.deepEqual(attendanceChange([], []), { added: [], removed: [] });
  assert.deepEqual(attendanceChange([5], [5]), { added: [], removed: [] });
});

test('the oral answer is what those answering for the executive said, in order', () => {
  const turn = (position: number, capacity: AttendanceCapacity, text: string) => ({ position, capacity, text });
  assert.equal(
    oralAnswerText([turn(3, 'mayor', 'Second.'), turn(1, 'member', 'Question?'), turn(2, 'mayor', 'First.'), turn(4, 'deputy_mayor', 'Third.'), turn(5, 'guest', 'Aside.')]),
    'First.\n\nSecond.\n\nThird.',
  );
  assert.equal(oralAnswerText([turn(1, 'member', 'Question?')]), '');
});

const TYPES: QuestionType[] = ['oral', 'written', 'supplementary'];
const STATES: QuestionState[] = ['draft', 'tabled', 'rejected', 'accepted', 'withdrawn'];
const bools = [false, true];

function* everyFacts(): Generator<RecordFacts> {
  for (const cancelled of bools)
    for (const started of bools) {
      yield { meeting: { cancelled, started }, question: null };
      for (const type of TYPES)
        for (const state of STATES)
          for (const ofMeeting of bools)
            for (const asked of bools)
              for (const notReached of bools)
                for (const exchangePublished of bools)
                  for (const hasTurns of bools) yield { meeting: { cancelled, started }, question: { type, state, ofMeeting, asked, notReached, exchangePublished, hasTurns } };
    }
}

test('every recording action, over every combination of facts, follows the written rules', () => {
  let checked = 0;
  for (const facts of everyFacts()) {
    for (const action of RECORD_ACTIONS) {
      const refusal = recordRefusal(action, facts);
      checked++;
      const { meeting, question: q } = facts;
      // Nothing is recorded for a meeting that is cancelled or has not been held.
      if (meeting.cancelled || !meeting.started) {
        assert.equal(refusal?.code, 'conflict', `${action} ${JSON.stringify(facts)}`);
        assert.match(refusal?.message ?? '', meeting.cancelled ? /cancelled/ : /not been held/);
        continue;
      }
      if (action === 'recordAttendance') {
        assert.equal(refusal, null);
        continue;
      }
      const usable = q !== null && q.ofMeeting && q.state === 'accepted';
      if (!usable) {
        assert.equal(refusal?.code, 'validation_failed', `${action} ${JSON.stringify(facts)}`);
        continue;
      }
      let allowed: boolean;
      switch (action) {
        case 'addTurn':
        case 'removeTurn':
          allowed = q.type !== 'written' && !q.notReached && !q.exchangePublished;
          break;
        case 'addSupplementary':
          allowed = q.type === 'oral' && !q.notReached && !q.exchangePublished;
          break;
        case 'publishOralAnswer':
          allowed = q.type === 'oral' && !q.exchangePublished && q.asked && !q.notReached && q.hasTurns;
          break;
        case 'markNotReached':
          allowed = !q.hasTurns;
          break;
      }
      assert.equal(refusal === null, allowed, `${action} ${JSON.stringify(facts)}: ${refusal?.message}`);
      if (refusal?.code === 'validation_failed') assert.ok(refusal.field, 'a validation refusal names its field');
    }
  }
  assert.ok(checked > 5000, `${checked} combinations`);
});

test('the refusals say why, in words a clerk understands', () => {
  const held = { cancelled: false, started: true };
  const q = { type: 'oral' as const, state: 'accepted' as const, ofMeeting: true, asked: true, notReached: false, exchangePublished: false, hasTurns: true };
  assert.equal(recordRefusal('addSupplementary', { meeting: held, question: { ...q, type: 'written' } })?.field, 'oralQuestionId');
  assert.match(recordRefusal('addSupplementary', { meeting: held, question: null })?.message ?? '', /oral question/);
  assert.match(recordRefusal('addTurn', { meeting: held, question: { ...q, notReached: true } })?.message ?? '', /not reached/);
  assert.match(recordRefusal('addTurn', { meeting: held, question: { ...q, exchangePublished: true } })?.message ?? '', /published/);
  assert.match(recordRefusal('publishOralAnswer', { meeting: held, question: { ...q, hasTurns: false } })?.message ?? '', /Record what was said/);
  assert.equal(recordRefusal('markNotReached', { meeting: held, question: q })?.field, 'notReachedQuestionIds');
});
