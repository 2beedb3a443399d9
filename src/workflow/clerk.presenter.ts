// What the clerk's API returns: every field listed by hand, so a new column never leaks; and labels for the clerk's pages.
import type { QuestionState, QuestionType } from '../db/schema.ts';
import type { ClerkMeetingQuestion } from './clerk-meetings.queries.ts';
import type { TabledQuestion } from './clerk.queries.ts';
import type { AskedQuestion } from './clerk.commands.ts';
import type { ClerkQuestion } from './clerk-review.queries.ts';

export const questionTypeNames: Record<QuestionType, string> = {
  written: 'Written',
  oral: 'Oral',
  supplementary: 'Supplementary',
};

export const questionStateNames: Record<QuestionState, string> = {
  draft: 'Draft',
  tabled: 'Tabled',
  accepted: 'Accepted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

/** A question waiting in the clerk's queue. */
export function presentQueuedQuestion(q: TabledQuestion) {
  return {
    id: q.id,
    state: 'tabled' as const,
    type: q.type,
    title: q.title,
    body: q.body,
    asker: { id: q.asker.id, slug: q.asker.slug, name: q.asker.name },
    meeting: { id: q.meeting.id, slug: q.meeting.slug, title: q.meeting.title, date: q.meeting.meetsOn },
    tabledAt: iso(q.tabledAt),
    topicIds: [...q.topicIds],
  };
}

/** A question after the clerk acted on it: its state, reference and where it stands. */
export function presentClerkQuestion(q: ClerkQuestion) {
  return {
    id: q.id,
    reference: q.reference,
    state: q.state,
    type: q.type,
    title: q.title,
    body: q.body,
    asker: { id: q.asker.id, slug: q.asker.slug, name: q.asker.name },
    meeting: { id: q.meeting.id, slug: q.meeting.slug, title: q.meeting.title, date: q.meeting.meetsOn },
    topics: q.topics.map((t) => ({ id: t.id, name: t.name })),
    followUpOf: q.followUpOf ? { id: q.followUpOf.id, reference: q.followUpOf.reference, title: q.followUpOf.title } : null,
    tabledAt: iso(q.tabledAt),
    decidedAt: iso(q.decidedAt),
    rejectionReason: q.rejectionReason,
    askedOn: q.askedOn,
    dueOn: q.dueOn,
    notReached: q.notReached,
    withdrawnAt: iso(q.withdrawnAt),
  };
}

/** A question just marked as asked at its meeting. */
export function presentAskedQuestion(a: AskedQuestion) {
  return {
    id: a.questionId,
    reference: a.reference,
    askedOn: a.askedOn,
    dueOn: a.dueOn,
    notReached: a.notReached,
  };
}

/** How an accepted question stands on the clerk's meeting page. */
export function askedStatus(q: ClerkMeetingQuestion): string {
  if (q.askedOn === null) return 'Waiting to be marked as asked';
  if (q.type === 'oral' && !q.notReached) return 'Answered at the meeting';
  return q.type === 'oral' ? 'Not reached: answer in writing' : 'Asked: answer in writing';
}
