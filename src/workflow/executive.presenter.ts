// What the executive's API returns, field by field (internal: the Mayor's office and officers only), and what the
// work pages offer each role: the actions open to them on a question and its drafts.
import type { Actor } from '../auth/actor.ts';
import type { DraftState } from '../db/schema.ts';
import type { SubmittedDraft, UnallocatedQuestion } from './executive.queries.ts';
import type { QueueRow } from './executive-work.queries.ts';
import type { QuestionWorkflow } from './question-workflow.queries.ts';

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function presentUnallocated(q: UnallocatedQuestion) {
  return {
    id: q.id,
    reference: q.reference,
    title: q.title,
    type: q.type,
    meeting: { id: q.meeting.id, title: q.meeting.title, meetsOn: q.meeting.meetsOn },
    askedOn: q.askedOn,
    dueOn: q.dueOn,
  };
}

export function presentSubmittedDraft(d: SubmittedDraft) {
  return {
    draftId: d.draftId,
    kind: d.kind,
    body: d.body,
    correctionNote: d.correctionNote,
    author: d.author ? { id: d.author.id, name: d.author.name } : null,
    submittedAt: iso(d.updatedAt),
    question: { id: d.question.id, reference: d.question.reference, title: d.question.title, dueOn: d.question.dueOn },
  };
}

export function presentQueueRow(row: QueueRow) {
  return {
    questionId: row.questionId,
    reference: row.reference,
    title: row.title,
    type: row.type,
    dueOn: row.dueOn,
    overdue: row.overdue,
    lateness: row.lateness ? { band: row.lateness.band, workingDaysLate: row.lateness.workingDaysLate } : null,
    answeringBody: row.answeringBody ? { id: row.answeringBody.id, name: row.answeringBody.name } : null,
    officer: row.officer ? { id: row.officer.id, name: row.officer.name } : null,
    allocatedAt: iso(row.allocatedAt),
    holdingAnswer: row.holdingAnswer ? { publishedOn: row.holdingAnswer.publishedOn, forWorkingDays: row.holdingAnswer.forWorkingDays } : null,
    openDraft: row.openDraft ? { id: row.openDraft.id, state: row.openDraft.state, kind: row.openDraft.kind } : null,
  };
}

type WorkflowDraft = QuestionWorkflow['drafts'][number];
type WorkflowVersion = QuestionWorkflow['versions'][number];

function presentVersion(v: WorkflowVersion) {
  return {
    id: v.id,
    version: v.version,
    kind: v.kind,
    delivery: v.delivery,
    body: v.body,
    answeredBy: v.answeredByLabel,
    publishedAt: iso(v.publishedAt),
  };
}

export function presentDraft(d: WorkflowDraft, versions: readonly WorkflowVersion[]) {
  const published = d.publishedVersionId === null ? undefined : versions.find((v) => v.id === d.publishedVersionId);
  const corrects = d.correctsVersionId === null ? undefined : versions.find((v) => v.id === d.correctsVersionId);
  return {
    id: d.id,
    kind: d.kind,
    state: d.state,
    body: d.body,
    correctionNote: d.correctionNote,
    corrects: corrects ? { id: corrects.id, version: corrects.version } : null,
    author: d.author,
    approvedBy: d.approvedBy,
    approvedAt: iso(d.approvedAt),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    comments: d.comments.map((c) => ({ id: c.id, author: c.author, body: c.body, createdAt: iso(c.createdAt) })),
    publishedVersion: published ? presentVersion(published) : null,
  };
}

export function presentWorkflow(w: QuestionWorkflow) {
  const q = w.question;
  return {
    question: {
      id: q.id,
      reference: q.reference,
      title: q.title,
      body: q.body,
      type: q.type,
      state: q.state,
      asker: { id: q.asker.id, name: q.asker.name },
      meeting: { id: q.meeting.id, title: q.meeting.title, meetsOn: q.meeting.meetsOn },
      askedOn: q.askedOn,
      dueOn: q.dueOn,
      answeringBodyId: q.answeringBodyId,
    },
    allocations: w.allocations.map((a) => ({
      id: a.id,
      answeringBody: { id: a.answeringBody.id, name: a.answeringBody.name },
      officer: a.officer ? { id: a.officer.id, name: a.officer.name } : null,
      allocatedBy: a.allocatedBy,
      allocatedAt: iso(a.allocatedAt),
      endedAt: iso(a.endedAt),
      transferReason: a.transferReason,
    })),
    drafts: w.drafts.map((d) => presentDraft(d, w.versions)),
    versions: w.versions.map(presentVersion),
    // Audit details stay out: they hold internal ids, and the fields above already say what happened.
    history: w.history.map((h) => ({ occurredAt: iso(h.occurredAt), actor: h.actor, action: h.action, fromState: h.fromState, toState: h.toState })),
  };
}

/** The draft as the API returns it after an action on it. */
export function presentDraftOf(w: QuestionWorkflow, draftId: number) {
  const draft = w.drafts.find((d) => d.id === draftId);
  if (!draft) throw new Error(`draft ${draftId} is not part of question ${w.question.id}`);
  return presentDraft(draft, w.versions);
}

const OPEN: readonly DraftState[] = ['drafting', 'submitted', 'returned', 'approved'];

export interface DraftActions {
  edit: boolean;
  submit: boolean;
  return: boolean;
  approve: boolean;
  publish: boolean;
  abandon: boolean;
}

/**
 * Which forms to show whom. This mirrors the rule table in lifecycle.ts so pages offer only what would be allowed;
 * the commands still decide, and a form shown by mistake is refused there.
 */
export function actionsFor(actor: Actor, w: QuestionWorkflow) {
  const approver = actor.role === 'approver';
  // An officer only reaches the page when the question is allocated to their body.
  const writer = approver || actor.role === 'officer';
  const accepted = w.question.state === 'accepted';
  const allocated = w.allocations.some((a) => a.endedAt === null);
  const openDraft = w.drafts.find((d) => OPEN.includes(d.state));
  const answered = w.versions.some((v) => v.kind !== 'holding');
  const drafts: Record<number, DraftActions> = {};
  for (const d of w.drafts) {
    const open = OPEN.includes(d.state);
    const live = accepted && open;
    drafts[d.id] = {
      edit: live && writer && (d.state === 'drafting' || d.state === 'returned' || (approver && d.state === 'submitted')),
      submit: live && writer && (d.state === 'drafting' || d.state === 'returned'),
      return: live && approver && d.state === 'submitted',
      approve: live && approver && d.state === 'submitted',
      publish: live && approver && d.state === 'approved',
      // A withdrawn question's leftover draft can still be set aside.
      abandon: open && writer && (accepted || w.question.state === 'withdrawn'),
    };
  }
  return {
    allocate: approver && accepted && !allocated,
    transfer: approver && accepted && allocated,
    write: writer && accepted && openDraft === undefined,
    /** The kinds of answer that may be written now. */
    kinds: answered ? (['correction'] as const) : (['holding', 'substantive'] as const),
    drafts,
  };
}
