// Tests for the public status of a question and its wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addDays, formatIsoDate } from '../calendar/iso-date.ts';
import {
  PUBLIC_STATUSES,
  publicStatus,
  publicStatusLabel,
  type PublicStatusInput,
  type QuestionState,
} from './public-status.ts';

const due = '2009-06-22'; // Monday, three working days after the 17 June 2009 MQT

function question(overrides: Partial<PublicStatusInput> = {}): PublicStatusInput {
  return {
    state: 'accepted',
    hasHoldingAnswer: false,
    hasSubstantiveAnswer: false,
    dueOn: due,
    firstSubstantiveAnswerOn: null,
    holdingSince: null,
    today: '2009-06-18',
    ...overrides,
  };
}

test('drafts, tabled and rejected questions are never public', () => {
  for (const state of ['draft', 'tabled', 'rejected'] as const) {
    assert.equal(publicStatus(question({ state })), null);
    assert.equal(publicStatus(question({ state, hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: due, today: '2010-01-01' })), null);
  }
});

test('withdrawn: no lateness, even long past the deadline', () => {
  const expected = { status: 'withdrawn', lateness: null, workingDaysLate: 0, holdingForWorkingDays: null, label: 'Withdrawn' };
  assert.deepEqual(publicStatus(question({ state: 'withdrawn' })), expected);
  assert.deepEqual(publicStatus(question({ state: 'withdrawn', today: '2009-12-01', hasHoldingAnswer: true, holdingSince: due })), expected);
});

test('awaiting answer, before and on the due day', () => {
  const expected = { status: 'awaiting_answer', lateness: 'not_yet_due', workingDaysLate: 0, holdingForWorkingDays: null, label: 'Awaiting answer' };
  assert.deepEqual(publicStatus(question({ today: '2009-06-17' })), expected);
  assert.deepEqual(publicStatus(question({ today: due })), expected);
});

test('awaiting answer, overdue, with the count of working days', () => {
  assert.deepEqual(publicStatus(question({ today: '2009-06-23' })), {
    status: 'awaiting_answer',
    lateness: 'overdue',
    workingDaysLate: 1,
    holdingForWorkingDays: null,
    label: 'Awaiting answer (overdue, 1 working day)',
  });
  assert.equal(publicStatus(question({ today: '2009-06-26' }))?.label, 'Awaiting answer (overdue, 4 working days)');
  assert.equal(publicStatus(question({ today: '2009-06-27' }))?.label, 'Awaiting answer (overdue, 4 working days)');
});

test('awaiting answer, late only by a weekend, has no "0 working days"', () => {
  const view = publicStatus(question({ dueOn: '2009-06-19', today: '2009-06-20' }));
  assert.equal(view?.lateness, 'overdue');
  assert.equal(view?.workingDaysLate, 0);
  assert.equal(view?.label, 'Awaiting answer (overdue)');
});

test('awaiting answer, very overdue after 20 working days', () => {
  assert.equal(publicStatus(question({ today: '2009-07-20' }))?.label, 'Awaiting answer (overdue, 20 working days)');
  const view = publicStatus(question({ today: '2009-07-21' }));
  assert.equal(view?.lateness, 'very_overdue');
  assert.equal(view?.label, 'Awaiting answer (very overdue, 21 working days)');
});

test('a holding answer does not stop the clock', () => {
  const view = publicStatus(question({ hasHoldingAnswer: true, holdingSince: '2009-06-19', today: '2009-07-08' }));
  assert.deepEqual(view, {
    status: 'holding_answer',
    lateness: 'overdue',
    workingDaysLate: 12,
    holdingForWorkingDays: 13,
    label: 'Holding answer (overdue, 12 working days)',
  });
  const veryLate = publicStatus(question({ hasHoldingAnswer: true, holdingSince: '2009-06-19', today: '2009-09-01' }));
  assert.equal(veryLate?.label, 'Holding answer (very overdue, 50 working days)');
});

test('holding answer before the deadline, and how long it has held', () => {
  assert.deepEqual(publicStatus(question({ hasHoldingAnswer: true, holdingSince: '2009-06-18', today: '2009-06-18' })), {
    status: 'holding_answer',
    lateness: 'not_yet_due',
    workingDaysLate: 0,
    holdingForWorkingDays: 0,
    label: 'Holding answer',
  });
  // Over Christmas 2010: only Wed 29 and Thu 30 December count.
  assert.equal(publicStatus(question({ dueOn: '2010-12-30', hasHoldingAnswer: true, holdingSince: '2010-12-24', today: '2010-12-30' }))?.holdingForWorkingDays, 2);
  // Date unknown, or (bad data) in the future.
  assert.equal(publicStatus(question({ hasHoldingAnswer: true, holdingSince: null }))?.holdingForWorkingDays, null);
  assert.equal(publicStatus(question({ hasHoldingAnswer: true, holdingSince: '2009-06-25', today: '2009-06-18' }))?.holdingForWorkingDays, 0);
});

test('answered on time', () => {
  const expected = { status: 'answered', lateness: 'on_time', workingDaysLate: 0, holdingForWorkingDays: null, label: 'Answered' };
  assert.deepEqual(publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: due, today: '2010-01-01' })), expected);
  assert.deepEqual(publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: '2009-06-17' })), expected);
  // A holding answer followed by a substantive one in time.
  assert.deepEqual(
    publicStatus(question({ hasHoldingAnswer: true, holdingSince: '2009-06-18', hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: due, today: '2009-12-01' })),
    expected,
  );
});

test('answered late, counted up to the answer and not to today', () => {
  assert.deepEqual(publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: '2009-06-25', today: '2010-06-01' })), {
    status: 'answered',
    lateness: 'overdue',
    workingDaysLate: 3,
    holdingForWorkingDays: null,
    label: 'Answered late (3 working days)',
  });
  assert.equal(publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: '2009-06-23' }))?.label, 'Answered late (1 working day)');
  assert.equal(publicStatus(question({ dueOn: '2009-06-19', hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: '2009-06-21' }))?.label, 'Answered late');
  const veryLate = publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: '2009-07-27', hasHoldingAnswer: true, holdingSince: '2009-06-19' }));
  assert.equal(veryLate?.lateness, 'very_overdue');
  assert.equal(veryLate?.label, 'Answered very late (25 working days)');
  assert.equal(veryLate?.holdingForWorkingDays, null);
});

test('no deadline, or no answer date: lateness is not claimed', () => {
  assert.deepEqual(publicStatus(question({ dueOn: null, today: '2010-01-01' })), {
    status: 'awaiting_answer',
    lateness: null,
    workingDaysLate: 0,
    holdingForWorkingDays: null,
    label: 'Awaiting answer',
  });
  assert.equal(publicStatus(question({ dueOn: null, hasHoldingAnswer: true, holdingSince: '2009-06-19', today: '2009-06-23' }))?.holdingForWorkingDays, 2);
  assert.deepEqual(publicStatus(question({ hasSubstantiveAnswer: true, firstSubstantiveAnswerOn: null, today: '2010-01-01' })), {
    status: 'answered',
    lateness: null,
    workingDaysLate: 0,
    holdingForWorkingDays: null,
    label: 'Answered',
  });
});

test('assembly thresholds are applied, and undefined ones fall back to the defaults', () => {
  const rules = { overdueAfterWorkingDays: 2, veryOverdueAfterWorkingDays: 5 };
  assert.equal(publicStatus(question({ today: '2009-06-24', ...rules }))?.label, 'Awaiting answer');
  assert.equal(publicStatus(question({ today: '2009-06-25', ...rules }))?.label, 'Awaiting answer (overdue, 3 working days)');
  assert.equal(publicStatus(question({ today: '2009-06-30', ...rules }))?.label, 'Awaiting answer (very overdue, 6 working days)');
  assert.equal(
    publicStatus(question({ today: '2009-06-23', overdueAfterWorkingDays: undefined, veryOverdueAfterWorkingDays: undefined }))?.lateness,
    'overdue',
  );
  assert.throws(() => publicStatus(question({ today: '2009-06-23', overdueAfterWorkingDays: -1 })), RangeError);
});

test('PUBLIC_STATUSES and their labels', () => {
  assert.deepEqual([...PUBLIC_STATUSES], ['awaiting_answer', 'holding_answer', 'answered', 'withdrawn']);
  assert.deepEqual(PUBLIC_STATUSES.map(publicStatusLabel), ['Awaiting answer', 'Holding answer', 'Answered', 'Withdrawn']);
});

test('an unknown state (from bad data) is an error, not a silent status', () => {
  assert.throws(() => publicStatus(question({ state: 'archived' as unknown as QuestionState })), TypeError);
});

test('property: status, lateness and label agree for any public question', () => {
  const day = fc
    .date({ min: new Date(Date.UTC(2001, 0, 1)), max: new Date(Date.UTC(2034, 0, 1)), noInvalidDate: true })
    .map((d) => formatIsoDate(d));
  const input = fc.record({
    state: fc.constantFrom<QuestionState>('draft', 'tabled', 'rejected', 'accepted', 'withdrawn'),
    hasHoldingAnswer: fc.boolean(),
    hasSubstantiveAnswer: fc.boolean(),
    dueOn: fc.option(day),
    firstSubstantiveAnswerOn: fc.option(fc.integer({ min: -10, max: 60 })),
    holdingSince: fc.option(fc.integer({ min: -10, max: 60 })),
    today: fc.integer({ min: -10, max: 120 }),
  });
  fc.assert(
    fc.property(day, input, (base, raw) => {
      const on = (offset: number | null) => (offset === null ? null : addDays(base, offset));
      const q: PublicStatusInput = {
        ...raw,
        firstSubstantiveAnswerOn: on(raw.firstSubstantiveAnswerOn),
        holdingSince: on(raw.holdingSince),
        today: addDays(base, raw.today),
      };
      const view = publicStatus(q);
      if (q.state === 'draft' || q.state === 'tabled' || q.state === 'rejected') {
        assert.equal(view, null);
        return;
      }
      assert.ok(view);
      assert.ok(PUBLIC_STATUSES.includes(view.status));
      assert.ok(view.label.startsWith(publicStatusLabel(view.status)));
      assert.ok(view.workingDaysLate >= 0);
      const flagged = view.lateness === 'overdue' || view.lateness === 'very_overdue';
      assert.equal(view.label === publicStatusLabel(view.status), !flagged);
      assert.equal(view.label.includes('very'), view.lateness === 'very_overdue');
      if (view.workingDaysLate > 0 && flagged) assert.ok(view.label.includes(`${view.workingDaysLate} working day`));
      if (q.state === 'withdrawn') {
        assert.equal(view.status, 'withdrawn');
        assert.equal(view.lateness, null);
        return;
      }
      assert.equal(view.status, q.hasSubstantiveAnswer ? 'answered' : q.hasHoldingAnswer ? 'holding_answer' : 'awaiting_answer');
      assert.equal(view.holdingForWorkingDays !== null, view.status === 'holding_answer' && q.holdingSince !== null);
      if (view.status === 'answered') assert.notEqual(view.lateness, 'not_yet_due');
      else assert.notEqual(view.lateness, 'on_time');
      // The clock runs the same with or without a holding answer.
      if (!q.hasSubstantiveAnswer) {
        const other = publicStatus({ ...q, hasHoldingAnswer: !q.hasHoldingAnswer });
        assert.equal(other?.lateness, view.lateness);
        assert.equal(other?.workingDaysLate, view.workingDaysLate);
      }
    }),
    { numRuns: 500 },
  );
});
