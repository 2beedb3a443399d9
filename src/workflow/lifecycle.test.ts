import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { DraftState, QuestionState, UserRole } from '../db/schema.ts';
import {
  ACTIONS,
  ANSWER_KINDS,
  decide,
  DRAFT_ACTIONS,
  DRAFT_STATES,
  QUESTION_STATES,
  rolesFor,
  subjectOf,
  USER_ROLES,
  type Facts,
  type MeetingFacts,
  type WorkflowAction,
} from './lifecycle.ts';

// The brief, restated independently of lifecycle.ts: who may act, from which states, to which state.
type Spec = {
  roles: UserRole[];
  questionStates: QuestionState[] | 'any';
  draftStates?: Partial<Record<UserRole, DraftState[]>>;
  to: QuestionState | DraftState | 'same question state' | 'same draft state';
};
const WRITERS: UserRole[] = ['officer', 'approver'];
const SPEC: Record<WorkflowAction, Spec> = {
  createDraft: { roles: ['member', 'staff'], questionStates: 'any', to: 'draft' },
  editDraft: { roles: ['member', 'staff'], questionStates: ['draft'], to: 'draft' },
  table: { roles: ['member', 'staff'], questionStates: ['draft'], to: 'tabled' },
  withdraw: { roles: ['member', 'staff'], questionStates: ['tabled', 'accepted'], to: 'withdrawn' },
  accept: { roles: ['clerk'], questionStates: ['tabled'], to: 'accepted' },
  reject: { roles: ['clerk'], questionStates: ['tabled'], to: 'rejected' },
  clerkEdit: { roles: ['clerk'], questionStates: ['tabled', 'accepted'], to: 'same question state' },
  move: { roles: ['clerk'], questionStates: ['tabled', 'accepted'], to: 'same question state' },
  markAsked: { roles: ['clerk'], questionStates: ['accepted'], to: 'same question state' },
  allocate: { roles: ['approver'], questionStates: ['accepted'], to: 'same question state' },
  transfer: { roles: ['approver'], questionStates: ['accepted'], to: 'same question state' },
  writeAnswerDraft: { roles: WRITERS, questionStates: ['accepted'], to: 'drafting' },
  editAnswerDraft: {
    roles: WRITERS,
    questionStates: ['accepted'],
    draftStates: { officer: ['drafting', 'returned'], approver: ['drafting', 'returned', 'submitted'] },
    to: 'same draft state',
  },
  submitDraft: {
    roles: WRITERS,
    questionStates: ['accepted'],
    draftStates: { officer: ['drafting', 'returned'], approver: ['drafting', 'returned'] },
    to: 'submitted',
  },
  returnDraft: { roles: ['approver'], questionStates: ['accepted'], draftStates: { approver: ['submitted'] }, to: 'returned' },
  approveDraft: { roles: ['approver'], questionStates: ['accepted'], draftStates: { approver: ['submitted'] }, to: 'approved' },
  publishDraft: { roles: ['approver'], questionStates: ['accepted'], draftStates: { approver: ['approved'] }, to: 'published' },
  abandonDraft: {
    roles: WRITERS,
    questionStates: ['accepted', 'withdrawn'],
    draftStates: { officer: ['drafting', 'submitted', 'returned', 'approved'], approver: ['drafting', 'submitted', 'returned', 'approved'] },
    to: 'abandoned',
  },
};

/** A meeting later today: its day has come, it has not started, its cut-off is still ahead. */
const OPEN: MeetingFacts = { cancelled: false, started: false, tablingCutoffPassed: false, dayReached: true };

const BASE: Facts = {
  role: 'member',
  questionState: 'draft',
  ownsQuestion: true,
  meeting: OPEN,
  targetMeeting: null,
  tablingLimitReached: false,
  asked: false,
  answeredOrally: false,
  hasPublishedSubstantive: false,
  onOrderPaper: false,
  hasCurrentAllocation: true,
  inAllocatedBody: true,
  transferToSameBody: false,
  hasOpenDraft: false,
  draftState: null,
  draftKind: 'substantive',
};

/** Facts under which the action's own conditions all hold, leaving role and states to decide. */
function favourable(action: WorkflowAction, overrides: Partial<Facts> = {}): Facts {
  const extra: Partial<Facts> = {};
  if (action === 'move') extra.targetMeeting = OPEN;
  if (action === 'allocate') extra.hasCurrentAllocation = false;
  return { ...BASE, ...extra, ...overrides };
}

function allowedBySpec(action: WorkflowAction, role: UserRole, qs: QuestionState | null, ds: DraftState | null): boolean {
  const spec = SPEC[action];
  if (!spec.roles.includes(role)) return false;
  if (spec.questionStates !== 'any' && (qs === null || !spec.questionStates.includes(qs))) return false;
  if (spec.draftStates) return ds !== null && (spec.draftStates[role] ?? []).includes(ds);
  return true;
}

function expectedTo(action: WorkflowAction, qs: QuestionState | null, ds: DraftState | null) {
  const to = SPEC[action].to;
  if (to === 'same question state') return qs;
  if (to === 'same draft state') return ds;
  return to;
}

const refused = (decision: ReturnType<typeof decide>) => {
  assert.equal(decision.ok, false, 'expected a refusal');
  if (decision.ok) throw new Error('unreachable');
  return decision;
};

describe('the rule table, exhaustively', () => {
  test('every action x role x question state x draft state is allowed exactly when the brief says', () => {
    let checked = 0;
    for (const action of ACTIONS) {
      for (const role of USER_ROLES) {
        for (const qs of [null, ...QUESTION_STATES]) {
          for (const ds of [null, ...DRAFT_STATES]) {
            const decision = decide(action, favourable(action, { role, questionState: qs, draftState: ds }));
            const expected = allowedBySpec(action, role, qs, ds);
            const where = `${action} by ${role}, question ${qs ?? 'none'}, draft ${ds ?? 'none'}`;
            assert.equal(decision.ok, expected, `${where}: ${decision.ok ? 'allowed' : decision.message}`);
            if (decision.ok) {
              assert.equal(decision.to, expectedTo(action, qs, ds), where);
            } else {
              assert.equal(decision.code, SPEC[action].roles.includes(role) ? 'conflict' : 'forbidden', where);
            }
            checked++;
          }
        }
      }
    }
    assert.equal(checked, ACTIONS.length * USER_ROLES.length * 6 * 7);
  });

  test('admins and press officers take no part in the lifecycle', () => {
    for (const action of ACTIONS) {
      for (const role of ['admin', 'press_officer'] as const) {
        assert.equal(rolesFor(action).includes(role), false, action);
      }
    }
  });

  test('draft actions act on answer drafts, the rest on questions', () => {
    for (const action of ACTIONS) assert.equal(subjectOf(action), (DRAFT_ACTIONS as readonly string[]).includes(action) ? 'answer_draft' : 'question');
  });
});

describe('who, beyond the role', () => {
  for (const action of ['editDraft', 'table', 'withdraw'] as const) {
    for (const role of ['member', 'staff'] as const) {
      test(`${action}: a ${role} not acting for the asker is forbidden`, () => {
        const qs = action === 'withdraw' ? 'tabled' : 'draft';
        const d = refused(decide(action, favourable(action, { role, questionState: qs, ownsQuestion: false })));
        assert.equal(d.code, 'forbidden');
        assert.match(d.message, /your own questions/);
      });
    }
  }

  test('createDraft needs no ownership: the question is the member’s by making it', () => {
    assert.equal(decide('createDraft', favourable('createDraft', { ownsQuestion: false, questionState: null })).ok, true);
  });

  for (const action of ['writeAnswerDraft', 'editAnswerDraft', 'submitDraft', 'abandonDraft'] as const) {
    test(`${action}: an officer of another body is forbidden, an approver is not`, () => {
      const facts = favourable(action, { questionState: 'accepted', draftState: 'drafting', inAllocatedBody: false });
      const other = refused(decide(action, { ...facts, role: 'officer' }));
      assert.equal(other.code, 'forbidden');
      assert.equal(other.message, 'This question is allocated to another answering body.');
      const unallocated = refused(decide(action, { ...facts, role: 'officer', hasCurrentAllocation: false }));
      assert.equal(unallocated.message, 'This question has not been allocated to your answering body yet.');
      assert.equal(decide(action, { ...facts, role: 'approver' }).ok, true);
    });
  }

  test('role refusals name who may act', () => {
    assert.equal(refused(decide('accept', favourable('accept', { role: 'member', questionState: 'tabled' }))).message, 'Only the clerk can accept questions.');
    assert.equal(
      refused(decide('approveDraft', favourable('approveDraft', { role: 'officer', questionState: 'accepted', draftState: 'submitted' }))).message,
      "Only the Mayor's office can approve answers.",
    );
  });
});

describe('states, in words', () => {
  test('a withdrawn question’s draft cannot be approved, and the refusal says why', () => {
    const d = refused(decide('approveDraft', favourable('approveDraft', { role: 'approver', questionState: 'withdrawn', draftState: 'submitted' })));
    assert.equal(d.code, 'conflict');
    assert.equal(d.message, 'This question has been withdrawn, so its answer cannot be approved.');
  });

  test('a withdrawn question cannot be accepted', () => {
    const d = refused(decide('accept', favourable('accept', { role: 'clerk', questionState: 'withdrawn' })));
    assert.equal(d.message, 'This question has been withdrawn, so it cannot be accepted.');
  });

  test('a published draft cannot be published again', () => {
    const d = refused(decide('publishDraft', favourable('publishDraft', { role: 'approver', questionState: 'accepted', draftState: 'published' })));
    assert.equal(d.message, 'This draft answer has already been published, so it cannot be published.');
  });

  test('an officer cannot edit a draft once it is waiting for approval', () => {
    const d = refused(decide('editAnswerDraft', favourable('editAnswerDraft', { role: 'officer', questionState: 'accepted', draftState: 'submitted' })));
    assert.equal(d.message, 'This draft answer is waiting for approval, so it cannot be edited.');
  });

  test('rejected questions and published or abandoned drafts are final', () => {
    for (const action of ACTIONS) {
      if (action === 'createDraft') continue;
      for (const role of USER_ROLES) {
        assert.equal(decide(action, favourable(action, { role, questionState: 'rejected', draftState: 'drafting' })).ok, false, `${action} ${role}`);
        if (action === 'writeAnswerDraft') continue;
        for (const ds of ['published', 'abandoned'] as const) {
          if (subjectOf(action) !== 'answer_draft') continue;
          assert.equal(decide(action, favourable(action, { role, questionState: 'accepted', draftState: ds })).ok, false, `${action} ${role} ${ds}`);
        }
      }
    }
  });
});

describe("each action's own conditions", () => {
  const member = (action: WorkflowAction, overrides: Partial<Facts>) => decide(action, favourable(action, { role: 'member', ...overrides }));

  test('createDraft: only for a meeting still to come', () => {
    assert.equal(member('createDraft', { questionState: null }).ok, true);
    assert.match(refused(member('createDraft', { meeting: { ...OPEN, cancelled: true } })).message, /cancelled/);
    assert.match(refused(member('createDraft', { meeting: { ...OPEN, started: true } })).message, /already taken place/);
    assert.equal(refused(member('createDraft', { meeting: null })).code, 'conflict');
    // After the cut-off a draft can still be written (for a later meeting, once moved).
    assert.equal(member('createDraft', { meeting: { ...OPEN, tablingCutoffPassed: true } }).ok, true);
  });

  test('editDraft: in place at any time; a new meeting must be still to come', () => {
    assert.equal(member('editDraft', { meeting: { ...OPEN, started: true }, targetMeeting: null }).ok, true);
    assert.match(refused(member('editDraft', { targetMeeting: { ...OPEN, started: true } })).message, /already taken place/);
    assert.equal(member('editDraft', { targetMeeting: OPEN }).ok, true);
  });

  test('table: before the cut-off, for a meeting still to come, within the cap', () => {
    assert.equal(member('table', {}).ok, true);
    assert.equal(
      refused(member('table', { meeting: { ...OPEN, tablingCutoffPassed: true } })).message,
      "The tabling cut-off for this question's meeting has passed, so it cannot be tabled; choose a later meeting.",
    );
    assert.match(refused(member('table', { meeting: { ...OPEN, cancelled: true } })).message, /cancelled/);
    assert.match(refused(member('table', { meeting: { ...OPEN, started: true, tablingCutoffPassed: true } })).message, /already taken place/);
    assert.match(refused(member('table', { tablingLimitReached: true })).message, /as many questions/);
  });

  test('withdraw: until answered; a holding answer does not count', () => {
    for (const qs of ['tabled', 'accepted'] as const) assert.equal(member('withdraw', { questionState: qs }).ok, true);
    assert.equal(
      refused(member('withdraw', { questionState: 'accepted', hasPublishedSubstantive: true })).message,
      'This question has been answered, so it cannot be withdrawn.',
    );
    assert.equal(refused(member('withdraw', { questionState: 'accepted', answeredOrally: true, asked: true })).code, 'conflict');
    assert.equal(refused(member('withdraw', { questionState: 'draft' })).message, 'This question is still a draft, so it cannot be withdrawn.');
  });

  const clerk = (action: WorkflowAction, overrides: Partial<Facts>) => decide(action, favourable(action, { role: 'clerk', questionState: 'accepted', ...overrides }));

  test('move: not once asked or on the order paper, and only to a meeting still to come', () => {
    assert.equal(clerk('move', {}).ok, true);
    assert.equal(clerk('move', { questionState: 'tabled' }).ok, true);
    assert.match(refused(clerk('move', { asked: true })).message, /already been asked/);
    assert.match(refused(clerk('move', { onOrderPaper: true })).message, /Priority Order Paper/);
    assert.match(refused(clerk('move', { targetMeeting: { ...OPEN, started: true } })).message, /already taken place/);
    assert.match(refused(clerk('move', { targetMeeting: { ...OPEN, cancelled: true } })).message, /cancelled/);
    assert.equal(refused(clerk('move', { targetMeeting: null })).code, 'conflict');
  });

  test('markAsked: once, on or after the meeting day, not for a cancelled meeting', () => {
    assert.equal(clerk('markAsked', {}).ok, true);
    assert.match(refused(clerk('markAsked', { asked: true })).message, /already been marked/);
    assert.match(refused(clerk('markAsked', { meeting: { ...OPEN, dayReached: false } })).message, /not happened yet/);
    assert.match(refused(clerk('markAsked', { meeting: { ...OPEN, cancelled: true } })).message, /cancelled/);
    assert.equal(refused(clerk('markAsked', { meeting: null })).code, 'conflict');
  });

  test('clerkEdit, accept and reject have no conditions beyond the state', () => {
    assert.equal(clerk('clerkEdit', { asked: true, hasPublishedSubstantive: true, onOrderPaper: true }).ok, true);
    assert.equal(clerk('accept', { questionState: 'tabled', meeting: null }).ok, true);
    assert.equal(clerk('reject', { questionState: 'tabled', meeting: null }).ok, true);
  });

  const approver = (action: WorkflowAction, overrides: Partial<Facts>) =>
    decide(action, favourable(action, { role: 'approver', questionState: 'accepted', ...overrides }));

  test('allocate once; then transfer, to a different body', () => {
    assert.equal(approver('allocate', { hasCurrentAllocation: false }).ok, true);
    assert.match(refused(approver('allocate', { hasCurrentAllocation: true })).message, /transfer it instead/);
    assert.equal(approver('transfer', { hasCurrentAllocation: true }).ok, true);
    assert.match(refused(approver('transfer', { hasCurrentAllocation: false })).message, /allocate it instead/);
    assert.equal(refused(approver('transfer', { transferToSameBody: true })).message, 'This question is already allocated to that answering body.');
  });

  test('writeAnswerDraft: one open draft at a time, and a kind that fits the record', () => {
    assert.equal(approver('writeAnswerDraft', { draftKind: 'holding' }).ok, true);
    assert.equal(approver('writeAnswerDraft', { draftKind: 'substantive' }).ok, true);
    assert.match(refused(approver('writeAnswerDraft', { hasOpenDraft: true })).message, /already has a draft answer in progress/);
    assert.match(refused(approver('writeAnswerDraft', { draftKind: 'correction' })).message, /no published substantive answer/);
    assert.equal(approver('writeAnswerDraft', { draftKind: 'correction', hasPublishedSubstantive: true }).ok, true);
    for (const kind of ['holding', 'substantive'] as const) {
      assert.match(refused(approver('writeAnswerDraft', { draftKind: kind, hasPublishedSubstantive: true })).message, /write a correction instead/);
      assert.match(refused(approver('writeAnswerDraft', { draftKind: kind, answeredOrally: true })).message, /answered in person/);
    }
    assert.equal(refused(approver('writeAnswerDraft', { draftKind: null })).code, 'conflict');
  });

  test('approveDraft and publishDraft check the kind against the record again', () => {
    for (const [action, ds] of [
      ['approveDraft', 'submitted'],
      ['publishDraft', 'approved'],
    ] as const) {
      assert.equal(approver(action, { draftState: ds, draftKind: 'substantive' }).ok, true);
      assert.equal(refused(approver(action, { draftState: ds, draftKind: 'substantive', hasPublishedSubstantive: true })).code, 'conflict');
      assert.equal(refused(approver(action, { draftState: ds, draftKind: 'holding', hasPublishedSubstantive: true })).code, 'conflict');
      assert.equal(refused(approver(action, { draftState: ds, draftKind: 'correction' })).code, 'conflict');
      assert.equal(approver(action, { draftState: ds, draftKind: 'correction', hasPublishedSubstantive: true }).ok, true);
    }
  });

  test('a leftover draft of a withdrawn question can still be abandoned, by its body or the Mayor’s office', () => {
    assert.equal(approver('abandonDraft', { questionState: 'withdrawn', draftState: 'approved' }).ok, true);
    assert.equal(decide('abandonDraft', favourable('abandonDraft', { role: 'officer', questionState: 'withdrawn', draftState: 'drafting' })).ok, true);
  });
});

describe('properties over arbitrary facts', () => {
  const meetingArb: fc.Arbitrary<MeetingFacts | null> = fc.option(
    fc.record({ cancelled: fc.boolean(), started: fc.boolean(), tablingCutoffPassed: fc.boolean(), dayReached: fc.boolean() }),
  );
  const factsArb: fc.Arbitrary<Facts> = fc.record({
    role: fc.constantFrom(...USER_ROLES),
    questionState: fc.option(fc.constantFrom(...QUESTION_STATES)),
    ownsQuestion: fc.boolean(),
    meeting: meetingArb,
    targetMeeting: meetingArb,
    tablingLimitReached: fc.boolean(),
    asked: fc.boolean(),
    answeredOrally: fc.boolean(),
    hasPublishedSubstantive: fc.boolean(),
    onOrderPaper: fc.boolean(),
    hasCurrentAllocation: fc.boolean(),
    inAllocatedBody: fc.boolean(),
    transferToSameBody: fc.boolean(),
    hasOpenDraft: fc.boolean(),
    draftState: fc.option(fc.constantFrom(...DRAFT_STATES)),
    draftKind: fc.option(fc.constantFrom(...ANSWER_KINDS)),
  });

  test('decide is total, pure, and its refusals are sentences; forbidden means the actor, conflict the record', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), factsArb, (action, facts) => {
        const frozen = Object.freeze({ ...facts });
        const decision = decide(action, frozen);
        assert.deepEqual(decide(action, frozen), decision);
        const roleOk = rolesFor(action).includes(facts.role);
        const tieOk =
          (!['member', 'staff'].includes(facts.role) || action === 'createDraft' || facts.ownsQuestion) &&
          (facts.role !== 'officer' || facts.inAllocatedBody);
        if (decision.ok) {
          assert.ok(roleOk && tieOk);
        } else {
          assert.match(decision.message, /^[A-Z].*\.$/);
          assert.equal(decision.code, roleOk && tieOk ? 'conflict' : 'forbidden');
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('nothing can be done to a question once withdrawn, except abandoning a leftover draft', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), factsArb, (action, facts) => {
        if (action === 'createDraft' || action === 'abandonDraft') return;
        assert.equal(decide(action, { ...facts, questionState: 'withdrawn' }).ok, false);
      }),
      { numRuns: 2000 },
    );
  });

  test('a question with a published substantive answer can never get another substantive or holding answer', () => {
    fc.assert(
      fc.property(fc.constantFrom('writeAnswerDraft', 'approveDraft', 'publishDraft' as const), factsArb, fc.constantFrom('holding', 'substantive' as const), (action, facts, kind) => {
        assert.equal(decide(action, { ...facts, hasPublishedSubstantive: true, draftKind: kind }).ok, false);
      }),
      { numRuns: 2000 },
    );
  });
});
