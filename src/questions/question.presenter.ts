// The public shape of a question: every field listed by hand, so a new column never leaks.
import { answerChanges, type ChangePart } from './answer-diff.ts';
import { formatDate, londonDate } from '../calendar/london-time.ts';
import type { PublicStatusView } from './public-status.ts';
import { formatReference } from './reference.ts';
import type { answerVersionsOf, findPublicQuestion, oralExchangeOf, QuestionSummary, topicsOf } from './question.queries.ts';
import type { ThreadLink } from './thread.queries.ts';
import type { DeadlineSummary, TimelineEntry } from './timeline.ts';

type Detail = NonNullable<Awaited<ReturnType<typeof findPublicQuestion>>>;
type Versions = Awaited<ReturnType<typeof answerVersionsOf>>;
type Exchange = Awaited<ReturnType<typeof oralExchangeOf>>;
type Topics = Awaited<ReturnType<typeof topicsOf>>;

export interface QuestionExtras {
  thread: { followsUp: ThreadLink[]; followedUpBy: ThreadLink[]; citedInAnswersTo: ThreadLink[] };
  related: ThreadLink[];
  timeline: TimelineEntry[];
  deadline: DeadlineSummary;
}

export function questionPath(year: number, number: number): string {
  return `/questions/${formatReference(year, number)}`;
}

export function presentStatus(status: PublicStatusView) {
  return {
    status: status.status,
    label: status.label,
    lateness: status.lateness,
    workingDaysLate: status.workingDaysLate,
    holdingForWorkingDays: status.holdingForWorkingDays,
  };
}

export function presentQuestionSummary(q: QuestionSummary, publicUrl: string) {
  return {
    reference: q.reference,
    url: `${publicUrl}${questionPath(q.year, q.number)}`,
    title: q.title,
    type: q.type,
    notReached: q.notReached,
    asker: { slug: q.askerSlug, name: q.askerName },
    meeting: q.meetingSlug !== null && q.meetingDate !== null ? { slug: q.meetingSlug, date: q.meetingDate } : null,
    tabledOn: q.tabledOn,
    askedOn: q.askedOn,
    dueOn: q.dueOn,
    ...presentStatus(q.status),
  };
}

function correctionChanges(v: Versions[number], versions: Versions): ChangePart[] | null {
  if (v.corrects_version_id === null) return null;
  const original = versions.find((o) => o.id === v.corrects_version_id);
  return original ? answerChanges(original.body, v.body) : null;
}

export function presentQuestion(
  detail: Detail,
  parts: { status: PublicStatusView; versions: Versions; exchange: Exchange; topics: Topics; askerGroup: { slug: string; name: string } | undefined } & QuestionExtras,
  publicUrl: string,
) {
  const year = detail.reference_year ?? 0;
  const number = detail.reference_number ?? 0;
  const link = (l: ThreadLink) => ({ reference: l.reference, title: l.title, url: `${publicUrl}${questionPath(l.year, l.number)}` });
  const tabledOn = detail.tabled_at ? londonDate(detail.tabled_at) : null;
  return {
    reference: formatReference(year, number),
    url: `${publicUrl}${questionPath(year, number)}`,
    title: detail.title,
    text: detail.body,
    type: detail.question_type,
    notReached: detail.not_reached,
    asker: { slug: detail.asker_slug, name: detail.asker_name, partyGroup: parts.askerGroup ?? null },
    askedOf: detail.asked_of_name,
    // Which body is drafting is the executive's internal business (the allocation); it is public once it has answered.
    answeringBody: detail.body_slug && parts.versions.length > 0 ? { slug: detail.body_slug, name: detail.body_name } : null,
    meeting: detail.meeting_slug !== null && detail.meeting_title !== null && detail.meets_on !== null ? { slug: detail.meeting_slug, title: detail.meeting_title, date: detail.meets_on } : null,
    tabledOn,
    askedOn: detail.asked_on,
    dueOn: detail.due_on,
    withdrawnOn: detail.withdrawn_at ? londonDate(detail.withdrawn_at) : null,
    ...presentStatus(parts.status),
    topics: parts.topics.map((t) => ({ slug: t.slug, name: t.name })),
    answers: parts.versions.map((v) => ({
      version: v.version,
      kind: v.kind,
      delivery: v.delivery,
      text: v.body,
      answeredBy: { slug: v.answered_by_slug, name: v.answered_by_name, role: v.answered_by_label },
      publishedAt: v.published_at.toISOString(),
      corrects: v.corrects_version_id === null ? null : (parts.versions.find((o) => o.id === v.corrects_version_id)?.version ?? null),
      correctionNote: v.correction_note,
      /** For a correction: what it changed in the version it corrects, word by word. */
      changes: correctionChanges(v, parts.versions),
    })),
    transcript: parts.exchange.turns.map((t) => ({ speaker: { slug: t.speaker_slug, name: t.speaker_name }, text: t.body })),
    supplementaries: parts.exchange.supplementaries.map((s) => ({
      number: s.supplementary_number,
      title: s.title,
      asker: { slug: s.asker_slug, name: s.asker_name },
      transcript: s.turns.map((t) => ({ speaker: { slug: t.speaker_slug, name: t.speaker_name }, text: t.body })),
    })),
    deadline: { dueOn: parts.deadline.dueOn, met: parts.deadline.met, workingDaysLate: parts.deadline.workingDaysLate, text: parts.deadline.text },
    timeline: parts.timeline.map((e) => ({ event: e.event, on: e.on, label: e.label, version: e.version })),
    /** Questions this one follows up: the one it was marked as following, then those its text cites. */
    followsUp: parts.thread.followsUp.map(link),
    followedUpBy: parts.thread.followedUpBy.map(link),
    citedInAnswersTo: parts.thread.citedInAnswersTo.map(link),
    related: parts.related.map(link),
    citation: citationOf(formatReference(year, number), detail.title, tabledOn ?? detail.meets_on ?? detail.asked_on ?? `${year}-01-01`, `${publicUrl}${questionPath(year, number)}`),
  };
}

export type PublicQuestion = ReturnType<typeof presentQuestion>;

/** A plain citation to copy: reference, title, date and permanent address. */
export function citationOf(reference: string, title: string, on: string, url: string): string {
  return `Question ${reference}, “${title}”, ${formatDate(on)}. ${url}`;
}
