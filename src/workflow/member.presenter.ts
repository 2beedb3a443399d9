// What a member (or their staff) is shown of their own questions, in pages and in the API: each field listed by
// name, so a new column never leaks; plus the view models of the question form.
import { formatDate, formatLongDate, formatTime, londonDate } from '../calendar/london-time.ts';
import type { QuestionState } from '../db/schema.ts';
import { questionPath } from '../questions/question.presenter.ts';
import { publicStatus, type PublicStatusView } from '../questions/public-status.ts';
import type { LatenessRules } from '../questions/question.queries.ts';
import type { MeetingChoice, QuestionExtras } from './member-page.queries.ts';
import type { MemberQuestion } from './member.queries.ts';
import type { SimilarQuestion } from './similar.queries.ts';

const STATE_LABELS: Record<QuestionState, string> = {
  draft: 'Draft',
  tabled: 'Tabled',
  rejected: 'Rejected',
  accepted: 'Accepted',
  withdrawn: 'Withdrawn',
};

const STATE_TAGS: Record<QuestionState, string> = {
  draft: 'govuk-tag--grey',
  tabled: 'govuk-tag--light-blue',
  rejected: 'govuk-tag--red',
  accepted: 'govuk-tag--green',
  withdrawn: 'govuk-tag--grey',
};

/** What the public sees of an accepted question (awaiting, holding, answered, and how late); null before that. */
export function publicStatusOf(q: MemberQuestion, today: string, rules: LatenessRules): PublicStatusView | null {
  if (q.state !== 'accepted') return null;
  const first = (kinds: readonly string[]) => {
    const dates = q.answers.filter((a) => kinds.includes(a.kind)).map((a) => londonDate(a.publishedAt));
    return dates.length === 0 ? null : dates.reduce((a, b) => (a < b ? a : b));
  };
  const holdingSince = first(['holding']);
  const answeredOn = first(['substantive', 'correction']);
  return publicStatus({
    state: q.state,
    hasHoldingAnswer: holdingSince !== null,
    hasSubstantiveAnswer: answeredOn !== null,
    dueOn: q.dueOn,
    firstSubstantiveAnswerOn: answeredOn,
    holdingSince,
    today,
    overdueAfterWorkingDays: rules.overdueAfterWorkingDays,
    veryOverdueAfterWorkingDays: rules.veryOverdueAfterWorkingDays,
  });
}

/** Answered: substantively in writing, or in person at the meeting. Such a question can no longer be withdrawn. */
export function isAnswered(q: MemberQuestion): boolean {
  return q.answers.some((a) => a.kind !== 'holding') || (q.type === 'oral' && q.askedOn !== null && !q.notReached);
}

/** What the member may do next, by state (the commands still decide; these only choose which buttons to show). */
export function actionsFor(q: MemberQuestion, now: Date) {
  const cutoffPassed = now.getTime() >= new Date(q.meeting.tablingCutoffAt).getTime();
  return {
    edit: q.state === 'draft',
    table: q.state === 'draft' && !cutoffPassed,
    tablingCutoffPassed: q.state === 'draft' && cutoffPassed,
    withdraw: (q.state === 'tabled' || q.state === 'accepted') && !isAnswered(q),
  };
}

/** A question as the member's pages show it. */
export function memberQuestionView(q: MemberQuestion, today: string, rules: LatenessRules, now: Date) {
  return {
    id: q.id,
    path: `/work/questions/${q.id}`,
    reference: q.reference,
    publicPath: q.reference !== null && (q.state === 'accepted' || q.state === 'withdrawn') ? `/questions/${q.reference}` : null,
    title: q.title,
    body: q.body,
    type: q.type,
    state: q.state,
    stateLabel: STATE_LABELS[q.state],
    stateTag: STATE_TAGS[q.state],
    publicStatus: publicStatusOf(q, today, rules),
    meeting: q.meeting,
    tabledOn: q.tabledAt ? londonDate(q.tabledAt) : null,
    decidedOn: q.decidedAt ? londonDate(q.decidedAt) : null,
    rejectionReason: q.state === 'rejected' ? q.rejectionReason : null,
    askedOn: q.askedOn,
    dueOn: q.dueOn,
    overdue: q.overdue,
    notReached: q.notReached,
    withdrawnOn: q.withdrawnAt ? londonDate(q.withdrawnAt) : null,
    answers: q.answers.map((a) => ({
      version: a.version,
      kind: a.kind,
      delivery: a.delivery,
      body: a.body,
      answeredByLabel: a.answeredByLabel,
      publishedOn: londonDate(a.publishedAt),
      correctionNote: a.correctionNote,
    })),
    actions: actionsFor(q, now),
  };
}

/** The facts about a question, as rows of the GOV.UK summary list on its page. */
export function summaryRows(view: ReturnType<typeof memberQuestionView>, extras: QuestionExtras) {
  const rows: { key: { text: string }; value: { text: string } }[] = [];
  const row = (key: string, value: string) => rows.push({ key: { text: key }, value: { text: value } });
  row('Reference', view.reference ?? 'Given when the clerk accepts it');
  row('Type', `${view.type === 'oral' ? 'Oral' : 'Written'}${view.notReached ? ' (not reached at the meeting; answered in writing)' : ''}`);
  row('Meeting', `${view.meeting.title}, ${formatLongDate(view.meeting.meetsOn)}`);
  row('Tabling cut-off', `${formatTime(view.meeting.tablingCutoffAt)} on ${formatDate(londonDate(view.meeting.tablingCutoffAt))}`);
  row('Topics', extras.topics.length > 0 ? extras.topics.map((t) => t.name).join(', ') : 'None');
  if (extras.followsUp) row('Follows up', `${extras.followsUp.reference}: ${extras.followsUp.title}`);
  if (view.tabledOn) row('Tabled', formatDate(view.tabledOn));
  if (view.decidedOn) row(view.state === 'rejected' ? 'Rejected' : 'Accepted', formatDate(view.decidedOn));
  if (view.askedOn) row('Asked at the meeting', formatDate(view.askedOn));
  row('Answer due', view.dueOn ? `By the end of ${formatLongDate(view.dueOn)}${view.overdue ? ' (overdue)' : ''}` : 'Set when the question is asked at its meeting');
  return rows;
}

/** The JSON form of a member's question. */
export function presentMemberQuestion(q: MemberQuestion, extras: QuestionExtras | null, context: { publicUrl: string; today: string; rules: LatenessRules }) {
  const status = publicStatusOf(q, context.today, context.rules);
  return {
    id: q.id,
    reference: q.reference,
    url: `${context.publicUrl}/api/v1/work/questions/${q.id}`,
    publicUrl:
      q.reference !== null && (q.state === 'accepted' || q.state === 'withdrawn') ? `${context.publicUrl}/questions/${q.reference}` : null,
    title: q.title,
    text: q.body,
    type: q.type,
    state: q.state,
    publicStatus: status ? { status: status.status, label: status.label, lateness: status.lateness, workingDaysLate: status.workingDaysLate } : null,
    meeting: { id: q.meeting.id, slug: q.meeting.slug, title: q.meeting.title, date: q.meeting.meetsOn, tablingCutoffAt: q.meeting.tablingCutoffAt.toISOString() },
    ...(extras
      ? {
          topics: extras.topics.map((t) => ({ id: t.id, name: t.name })),
          followsUp: extras.followsUp ? { id: extras.followsUp.id, reference: extras.followsUp.reference, title: extras.followsUp.title } : null,
          withdrawalReason: q.state === 'withdrawn' ? extras.withdrawalReason : null,
        }
      : {}),
    tabledAt: q.tabledAt?.toISOString() ?? null,
    decidedAt: q.decidedAt?.toISOString() ?? null,
    rejectionReason: q.state === 'rejected' ? q.rejectionReason : null,
    askedOn: q.askedOn,
    dueOn: q.dueOn,
    overdue: q.overdue,
    notReached: q.notReached,
    withdrawnAt: q.withdrawnAt?.toISOString() ?? null,
    answers: q.answers.map((a) => ({
      version: a.version,
      kind: a.kind,
      delivery: a.delivery,
      text: a.body,
      answeredBy: a.answeredByLabel,
      publishedAt: a.publishedAt.toISOString(),
      correctionNote: a.correctionNote,
    })),
  };
}

/** An answered question like the one being drafted, with a link to its public page. */
export function presentSimilar(q: SimilarQuestion, publicUrl: string) {
  const path = questionPath(q.year, q.number);
  return { reference: q.reference, title: q.title, answeredOn: q.answeredOn, path, url: `${publicUrl}${path}` };
}

/** The values the question form shows: what was typed, kept as typed, so a failed save loses nothing. */
export interface DraftFormValues {
  meetingId: string;
  questionType: string;
  title: string;
  body: string;
  topicIds: string[];
  followUpReference: string;
}

export function meetingItems(meetings: readonly MeetingChoice[], selected: string) {
  return [
    { value: '', text: 'Choose a meeting', selected: selected === '' },
    ...meetings.map((m) => ({
      value: String(m.id),
      text: `${m.title}, ${formatDate(m.meetsOn)} – ${m.cutoffPassed ? 'tabling cut-off passed' : `table by ${formatTime(m.tablingCutoffAt)} on ${formatDate(londonDate(m.tablingCutoffAt))}`}`,
      selected: String(m.id) === selected,
    })),
  ];
}

export function typeItems(selected: string) {
  return [
    { value: 'written', text: 'Written', hint: { text: 'Answered in writing' }, checked: selected === 'written' },
    { value: 'oral', text: 'Oral', hint: { text: "Asked in person at Mayor's Question Time" }, checked: selected === 'oral' },
  ];
}

export function topicItems(topics: readonly { id: number; name: string }[], selected: readonly string[]) {
  return topics.map((t) => ({ value: String(t.id), text: t.name, checked: selected.includes(String(t.id)) }));
}
