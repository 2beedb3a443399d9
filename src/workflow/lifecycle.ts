// The question lifecycle as pure rules: who may do what to a question or a draft answer, in which state, and what follows.
import type { AnswerKind, DraftState, QuestionState, UserRole } from '../db/schema.ts';

export const QUESTION_STATES = ['draft', 'tabled', 'rejected', 'accepted', 'withdrawn'] as const satisfies readonly QuestionState[];
export const DRAFT_STATES = ['drafting', 'submitted', 'returned', 'approved', 'published', 'abandoned'] as const satisfies readonly DraftState[];
export const ANSWER_KINDS = ['holding', 'substantive', 'correction'] as const satisfies readonly AnswerKind[];
export const USER_ROLES = ['member', 'staff', 'press_officer', 'clerk', 'officer', 'approver', 'admin'] as const satisfies readonly UserRole[];

/** Drafts still in someone's hands: a question has at most one at a time. */
export const OPEN_DRAFT_STATES = ['drafting', 'submitted', 'returned', 'approved'] as const satisfies readonly DraftState[];

export const QUESTION_ACTIONS = ['createDraft', 'editDraft', 'table', 'withdraw', 'accept', 'reject', 'clerkEdit', 'move', 'markAsked', 'allocate', 'transfer'] as const;
export const DRAFT_ACTIONS = ['writeAnswerDraft', 'editAnswerDraft', 'submitDraft', 'returnDraft', 'approveDraft', 'publishDraft', 'abandonDraft'] as const;
export const ACTIONS = [...QUESTION_ACTIONS, ...DRAFT_ACTIONS] as const;

export type QuestionAction = (typeof QUESTION_ACTIONS)[number];
export type DraftAction = (typeof DRAFT_ACTIONS)[number];
export type WorkflowAction = QuestionAction | DraftAction;

/** A meeting as the rules see it, at the moment of the action. */
export interface MeetingFacts {
  cancelled: boolean;
  /** Held, or its start time has passed: too late to table questions for it or move questions to it. */
  started: boolean;
  tablingCutoffPassed: boolean;
  /** Today (in London) is the meeting day or later. */
  dayReached: boolean;
}

/** Everything the rules need to know, gathered by the caller. Fields an action does not use are ignored. */
export interface Facts {
  role: UserRole;
  /** Null before the question exists (createDraft). */
  questionState: QuestionState | null;
  /** The actor is the asking member, or staff acting for them. */
  ownsQuestion: boolean;
  /** The question's meeting (for createDraft and editDraft: the meeting chosen). */
  meeting: MeetingFacts | null;
  /** move: the meeting the question would go to. */
  targetMeeting: MeetingFacts | null;
  /** table: the member already has as many questions of this type for the meeting as the assembly allows. */
  tablingLimitReached: boolean;
  /** asked_on is set: the question was put at its meeting. */
  asked: boolean;
  /** An oral question reached at its meeting: answered there, in person. */
  answeredOrally: boolean;
  /** A substantive answer (or a correction of one) has been published. */
  hasPublishedSubstantive: boolean;
  onOrderPaper: boolean;
  hasCurrentAllocation: boolean;
  /** The actor is an officer of the answering body the question is currently allocated to. */
  inAllocatedBody: boolean;
  /** transfer: the chosen body is the one it is already allocated to. */
  transferToSameBody: boolean;
  /** The question has a draft answer in drafting, submitted, returned or approved. */
  hasOpenDraft: boolean;
  /** Null for writeAnswerDraft (the draft does not exist yet). */
  draftState: DraftState | null;
  /** The kind of the draft acted on, or for writeAnswerDraft the kind being written. */
  draftKind: AnswerKind | null;
}

export type RefusalCode = 'forbidden' | 'conflict';
export type Decision = { ok: true; to: QuestionState | DraftState } | { ok: false; code: RefusalCode; message: string };

/** Which record an action changes: the question itself, or one of its draft answers. */
export function subjectOf(action: WorkflowAction): 'question' | 'answer_draft' {
  return (DRAFT_ACTIONS as readonly string[]).includes(action) ? 'answer_draft' : 'question';
}

const MEMBER_SIDE: readonly UserRole[] = ['member', 'staff'];
const CLERK: readonly UserRole[] = ['clerk'];
const APPROVER: readonly UserRole[] = ['approver'];
const ANSWER_WRITERS: readonly UserRole[] = ['officer', 'approver'];

interface ActionRule {
  roles: readonly UserRole[];
  /** Who may act, said as a sentence for the refusal. */
  onlyWho: string;
  /** Past participle for "so it cannot be ...". */
  verb: string;
  /** Question states the action applies in; null when the question does not exist yet. */
  questionStates: readonly QuestionState[] | null;
  /** Draft states the action applies in (draft actions other than writeAnswerDraft). */
  draftStates?: readonly DraftState[];
}

const RULES: Record<WorkflowAction, ActionRule> = {
  createDraft: { roles: MEMBER_SIDE, onlyWho: 'Only members, and staff acting for them, can draft questions.', verb: 'drafted', questionStates: null },
  editDraft: { roles: MEMBER_SIDE, onlyWho: 'Only the member who is asking, or their staff, can edit a draft question.', verb: 'edited', questionStates: ['draft'] },
  table: { roles: MEMBER_SIDE, onlyWho: 'Only the member who is asking, or their staff, can table a question.', verb: 'tabled', questionStates: ['draft'] },
  withdraw: { roles: MEMBER_SIDE, onlyWho: 'Only the member who asked a question, or their staff, can withdraw it.', verb: 'withdrawn', questionStates: ['tabled', 'accepted'] },
  accept: { roles: CLERK, onlyWho: 'Only the clerk can accept questions.', verb: 'accepted', questionStates: ['tabled'] },
  reject: { roles: CLERK, onlyWho: 'Only the clerk can reject questions.', verb: 'rejected', questionStates: ['tabled'] },
  clerkEdit: { roles: CLERK, onlyWho: "Only the clerk can correct a tabled question's title and topics.", verb: 'edited by the clerk', questionStates: ['tabled', 'accepted'] },
  move: { roles: CLERK, onlyWho: 'Only the clerk can move questions to another meeting.', verb: 'moved to another meeting', questionStates: ['tabled', 'accepted'] },
  markAsked: { roles: CLERK, onlyWho: 'Only the clerk can mark questions as asked.', verb: 'marked as asked', questionStates: ['accepted'] },
  allocate: { roles: APPROVER, onlyWho: "Only the Mayor's office can allocate questions.", verb: 'allocated', questionStates: ['accepted'] },
  transfer: { roles: APPROVER, onlyWho: "Only the Mayor's office can transfer questions.", verb: 'transferred', questionStates: ['accepted'] },
  writeAnswerDraft: {
    roles: ANSWER_WRITERS,
    onlyWho: "Only officers of the answering body and the Mayor's office can draft answers.",
    verb: 'drafted',
    questionStates: ['accepted'],
  },
  editAnswerDraft: {
    roles: ANSWER_WRITERS,
    onlyWho: "Only officers of the answering body and the Mayor's office can edit draft answers.",
    verb: 'edited',
    questionStates: ['accepted'],
    draftStates: ['drafting', 'returned', 'submitted'],
  },
  submitDraft: {
    roles: ANSWER_WRITERS,
    onlyWho: "Only officers of the answering body and the Mayor's office can submit draft answers.",
    verb: 'submitted for approval',
    questionStates: ['accepted'],
    draftStates: ['drafting', 'returned'],
  },
  returnDraft: { roles: APPROVER, onlyWho: "Only the Mayor's office can return draft answers.", verb: 'returned', questionStates: ['accepted'], draftStates: ['submitted'] },
  approveDraft: { roles: APPROVER, onlyWho: "Only the Mayor's office can approve answers.", verb: 'approved', questionStates: ['accepted'], draftStates: ['submitted'] },
  publishDraft: { roles: APPROVER, onlyWho: "Only the Mayor's office can publish answers.", verb: 'published', questionStates: ['accepted'], draftStates: ['approved'] },
  abandonDraft: {
    roles: ANSWER_WRITERS,
    onlyWho: "Only officers of the answering body and the Mayor's office can abandon draft answers.",
    verb: 'abandoned',
    // A withdrawn question's leftover draft can still be abandoned.
    questionStates: ['accepted', 'withdrawn'],
    draftStates: ['drafting', 'submitted', 'returned', 'approved'],
  },
};

const QUESTION_STATE_PHRASES: Record<QuestionState, string> = {
  draft: 'is still a draft',
  tabled: 'is waiting for the clerk to accept or reject it',
  rejected: 'has been rejected',
  accepted: 'has been accepted',
  withdrawn: 'has been withdrawn',
};

const DRAFT_STATE_PHRASES: Record<DraftState, string> = {
  drafting: 'is still being drafted',
  submitted: 'is waiting for approval',
  returned: 'has been returned to its author',
  approved: 'has been approved',
  published: 'has already been published',
  abandoned: 'has been abandoned',
};

const refuse = (code: RefusalCode, message: string): Decision => ({ ok: false, code, message });
const conflict = (message: string): Decision => refuse('conflict', message);

/** Who may act on this question at all: ownership for members, the allocated body for officers. */
function actorRefusal(action: WorkflowAction, facts: Facts): Decision | null {
  const rule = RULES[action];
  if (!rule.roles.includes(facts.role)) return refuse('forbidden', rule.onlyWho);
  if (MEMBER_SIDE.includes(facts.role) && action !== 'createDraft' && !facts.ownsQuestion) {
    return refuse('forbidden', `You can only act on your own questions, so this question cannot be ${rule.verb} by you.`);
  }
  if (facts.role === 'officer' && !facts.inAllocatedBody) {
    return refuse(
      'forbidden',
      facts.hasCurrentAllocation
        ? 'This question is allocated to another answering body.'
        : 'This question has not been allocated to your answering body yet.',
    );
  }
  return null;
}

function stateRefusal(action: WorkflowAction, facts: Facts): Decision | null {
  const rule = RULES[action];
  const subject = subjectOf(action) === 'question' ? 'it' : 'its answer';
  if (rule.questionStates === null) return null;
  if (facts.questionState === null) return refuse('conflict', 'This question does not exist yet.');
  if (!rule.questionStates.includes(facts.questionState)) {
    return conflict(`This question ${QUESTION_STATE_PHRASES[facts.questionState]}, so ${subject} cannot be ${rule.verb}.`);
  }
  if (rule.draftStates) {
    if (facts.draftState === null) return conflict('There is no draft answer to act on.');
    if (!rule.draftStates.includes(facts.draftState)) {
      return conflict(`This draft answer ${DRAFT_STATE_PHRASES[facts.draftState]}, so it cannot be ${rule.verb}.`);
    }
  }
  return null;
}

function meetingRefusal(meeting: MeetingFacts | null, what: string): Decision | null {
  if (meeting === null) return conflict('The meeting could not be found.');
  if (meeting.cancelled) return conflict(`That meeting has been cancelled, so ${what}.`);
  if (meeting.started) return conflict(`That meeting has already taken place, so ${what}.`);
  return null;
}

/** The answer kinds that may still be written, approved or published, given what is already on the record. */
function kindRefusal(kind: AnswerKind | null, facts: Facts, verb: string): Decision | null {
  switch (kind) {
    case null:
      return conflict('Say what kind of answer this is: holding, substantive or correction.');
    case 'holding':
    case 'substantive':
      if (facts.answeredOrally) return conflict(`This question was answered in person at its meeting, so a ${kind} answer cannot be ${verb}.`);
      if (facts.hasPublishedSubstantive) {
        return conflict(`This question already has a substantive answer, so a ${kind} answer cannot be ${verb}; write a correction instead.`);
      }
      return null;
    case 'correction':
      if (!facts.hasPublishedSubstantive) return conflict(`This question has no published substantive answer, so a correction cannot be ${verb}.`);
      return null;
  }
}

/** The action-specific conditions, once the actor and states are right. */
function guardRefusal(action: WorkflowAction, facts: Facts): Decision | null {
  switch (action) {
    case 'createDraft':
      return meetingRefusal(facts.meeting, 'questions cannot be drafted for it');
    case 'editDraft':
      // Editing in place is fine after the meeting; choosing a meeting needs one that is still to come.
      return facts.targetMeeting === null ? null : meetingRefusal(facts.targetMeeting, 'questions cannot be put down for it');
    case 'table': {
      const meeting = meetingRefusal(facts.meeting, 'this question cannot be tabled for it; choose a later meeting');
      if (meeting) return meeting;
      if (facts.meeting?.tablingCutoffPassed) {
        return conflict("The tabling cut-off for this question's meeting has passed, so it cannot be tabled; choose a later meeting.");
      }
      if (facts.tablingLimitReached) {
        return conflict('You have already tabled as many questions of this type for that meeting as the assembly allows, so this one cannot be tabled.');
      }
      return null;
    }
    case 'withdraw':
      if (facts.hasPublishedSubstantive || facts.answeredOrally) return conflict('This question has been answered, so it cannot be withdrawn.');
      return null;
    case 'accept':
    case 'reject':
    case 'clerkEdit':
      return null;
    case 'move':
      if (facts.asked) return conflict('This question has already been asked at its meeting, so it cannot be moved.');
      if (facts.onOrderPaper) return conflict('This question is on the Priority Order Paper, so it cannot be moved until it is taken off.');
      return meetingRefusal(facts.targetMeeting, 'questions cannot be moved to it');
    case 'markAsked':
      if (facts.asked) return conflict('This question has already been marked as asked.');
      if (facts.meeting === null) return conflict('The meeting could not be found.');
      if (facts.meeting.cancelled) return conflict("This question's meeting was cancelled, so it cannot be marked as asked; move it to another meeting.");
      if (!facts.meeting.dayReached) return conflict("This question's meeting has not happened yet, so it cannot be marked as asked.");
      return null;
    case 'allocate':
      if (facts.hasCurrentAllocation) return conflict('This question is already allocated, so it cannot be allocated again; transfer it instead.');
      return null;
    case 'transfer':
      if (!facts.hasCurrentAllocation) return conflict('This question has not been allocated yet, so it cannot be transferred; allocate it instead.');
      if (facts.transferToSameBody) return conflict('This question is already allocated to that answering body.');
      return null;
    case 'writeAnswerDraft':
      if (facts.hasOpenDraft) return conflict('This question already has a draft answer in progress; work on that one instead.');
      return kindRefusal(facts.draftKind, facts, 'drafted');
    case 'approveDraft':
      return kindRefusal(facts.draftKind, facts, 'approved');
    case 'publishDraft':
      return kindRefusal(facts.draftKind, facts, 'published');
    case 'editAnswerDraft':
      // Officers hand a draft over when they submit it; from then on only the Mayor's office touches the text.
      if (facts.role === 'officer' && facts.draftState === 'submitted') {
        return conflict('This draft answer is waiting for approval, so it cannot be edited.');
      }
      return null;
    case 'submitDraft':
    case 'returnDraft':
    case 'abandonDraft':
      return null;
  }
}

/** The state an allowed action leads to. */
export function resultingState(action: WorkflowAction, facts: Pick<Facts, 'questionState' | 'draftState'>): QuestionState | DraftState {
  switch (action) {
    case 'createDraft':
    case 'editDraft':
      return 'draft';
    case 'table':
      return 'tabled';
    case 'withdraw':
      return 'withdrawn';
    case 'accept':
      return 'accepted';
    case 'reject':
      return 'rejected';
    case 'clerkEdit':
    case 'move':
    case 'markAsked':
    case 'allocate':
    case 'transfer':
      return facts.questionState ?? 'draft';
    case 'writeAnswerDraft':
      return 'drafting';
    case 'editAnswerDraft':
      return facts.draftState ?? 'drafting';
    case 'submitDraft':
      return 'submitted';
    case 'returnDraft':
      return 'returned';
    case 'approveDraft':
      return 'approved';
    case 'publishDraft':
      return 'published';
    case 'abandonDraft':
      return 'abandoned';
  }
}

/**
 * Whether an actor may take an action now, and the state it leads to. Checks run in a fixed order so the
 * refusal names the first thing in the way: the actor's role, then their tie to the question (owner, or
 * officer of the allocated body), then the question's and draft's states, then the action's own conditions.
 */
export function decide(action: WorkflowAction, facts: Facts): Decision {
  const refusal = actorRefusal(action, facts) ?? stateRefusal(action, facts) ?? guardRefusal(action, facts);
  return refusal ?? { ok: true, to: resultingState(action, facts) };
}

/** The rule table, read-only, for pages that explain who can do what. */
export function rolesFor(action: WorkflowAction): readonly UserRole[] {
  return RULES[action].roles;
}

export function questionStatesFor(action: WorkflowAction): readonly QuestionState[] | null {
  return RULES[action].questionStates;
}

export function draftStatesFor(action: WorkflowAction): readonly DraftState[] | null {
  return RULES[action].draftStates ?? null;
}
