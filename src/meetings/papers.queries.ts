// Reads a meeting's public record, live: its questions in order with their exchanges and answers, who attended,
// and which of the separately published papers (Priority Order Paper, Mayor's report) are out. Only public
// questions (accepted or withdrawn, with a reference) and published answer versions ever leave this module.
import type { Db } from '../db/database.ts';
import type { AnswerKind, AttendanceCapacity, MeetingState, MeetingType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { latenessRules, oralExchangeOf, publicQuestions, selectSummary, toSummary, type QuestionSummary } from '../questions/question.queries.ts';

export interface PublicAnswer {
  version: number;
  kind: AnswerKind;
  delivery: 'written' | 'oral';
  text: string;
  answeredBy: { slug: string; name: string; label: string };
  publishedAt: Date;
}

export type Exchange = Awaited<ReturnType<typeof oralExchangeOf>>;

export interface RecordQuestion {
  question: QuestionSummary;
  /** The question's text. */
  text: string;
  /** The answer on the record now: the latest substantive answer or correction, else the latest holding answer. */
  answer: PublicAnswer | null;
  /** Asked on the Mayor's report: a stream of its own at the meeting. */
  onMayorsReport: boolean;
}

export interface RecordOral extends RecordQuestion {
  /** Position on the published Priority Order Paper; null when there is none. */
  position: number | null;
  exchange: Exchange;
}

export interface MeetingRecord {
  meeting: {
    id: number;
    slug: string;
    title: string;
    type: MeetingType;
    meetsOn: string;
    startsAt: Date;
    endsAt: Date | null;
    place: string;
    tablingCutoffAt: Date;
    mayorsReportDueOn: string | null;
    state: MeetingState;
  };
  /** The meeting has started (or is recorded as held). */
  held: boolean;
  oral: RecordOral[];
  written: RecordQuestion[];
  attendance: { slug: string; name: string; capacity: AttendanceCapacity }[];
  papers: { orderPaperPublished: boolean; mayorsReport: { title: string; publishedAt: Date } | null };
  nextMeeting: { slug: string; title: string; meetsOn: string } | null;
}

const CAPACITY_ORDER: Record<AttendanceCapacity, number> = { mayor: 0, deputy_mayor: 1, commissioner: 2, member: 3, officer: 4, guest: 5 };

/** The answer to show for a question: the latest substantive answer or correction, else the latest holding answer. */
export function currentAnswer<T extends { version: number; kind: AnswerKind }>(versions: readonly T[]): T | null {
  const latest = (kinds: readonly AnswerKind[]) =>
    versions.filter((v) => kinds.includes(v.kind)).reduce<T | null>((best, v) => (best === null || v.version > best.version ? v : best), null);
  return latest(['substantive', 'correction']) ?? latest(['holding']);
}

export async function meetingRecord(db: Db, slug: string, now: Date, today: string): Promise<MeetingRecord> {
  const meeting = await db
    .selectFrom('meetings')
    .select(['id', 'slug', 'title', 'meeting_type', 'meets_on', 'starts_at', 'ends_at', 'place', 'tabling_cutoff_at', 'mayors_report_due_on', 'state', 'assembly_id'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!meeting) throw new AppError('not_found', 'There is no meeting at that address.');

  const rules = await latenessRules(db);
  const rows = await selectSummary(publicQuestions(db).where('questions.meeting_id', '=', meeting.id))
    .orderBy('questions.reference_year')
    .orderBy('questions.reference_number')
    .execute();
  const questions = rows.map((r) => toSummary(r, today, rules));
  const ids = questions.map((q) => q.id);
  const extras =
    ids.length === 0 ? [] : await publicQuestions(db).select(['questions.id', 'questions.body', 'questions.on_mayors_report']).where('questions.id', 'in', ids).execute();
  const texts = new Map(extras.map((r) => [r.id, r.body] as const));
  const onReport = new Set(extras.filter((r) => r.on_mayors_report).map((r) => r.id));
  const versions =
    ids.length === 0
      ? []
      : await db
          .selectFrom('answer_versions')
          .innerJoin('people', 'people.id', 'answer_versions.answered_by_id')
          .select([
            'answer_versions.question_id',
            'answer_versions.version',
            'answer_versions.kind',
            'answer_versions.delivery',
            'answer_versions.body',
            'answer_versions.published_at',
            'answer_versions.answered_by_label',
            'people.slug as answered_by_slug',
            'people.name as answered_by_name',
          ])
          .where('answer_versions.question_id', 'in', ids)
          .where('answer_versions.published_at', '<=', now)
          .orderBy('answer_versions.question_id')
          .orderBy('answer_versions.version')
          .execute();
  const answerOf = (questionId: number): PublicAnswer | null => {
    const v = currentAnswer(versions.filter((a) => a.question_id === questionId));
    return v
      ? {
          version: v.version,
          kind: v.kind,
          delivery: v.delivery,
          text: v.body,
          answeredBy: { slug: v.answered_by_slug, name: v.answered_by_name, label: v.answered_by_label },
          publishedAt: v.published_at,
        }
      : null;
  };

  // The order the questions are taken in is public once the Priority Order Paper is published.
  const entries = await db
    .selectFrom('order_paper_entries')
    .select(['question_id', 'position', 'published_at'])
    .where('meeting_id', '=', meeting.id)
    .execute();
  const orderPaperPublished = entries.some((e) => e.published_at !== null && e.published_at <= now);
  const positions = new Map(orderPaperPublished ? entries.map((e) => [e.question_id, e.position]) : []);
  const onPaper = (id: number) => positions.get(id) ?? Number.MAX_SAFE_INTEGER;
  const oralQuestions = questions.filter((q) => q.type === 'oral').sort((a, b) => onPaper(a.id) - onPaper(b.id) || a.year - b.year || a.number - b.number);
  const oral: RecordOral[] = [];
  for (const q of oralQuestions) {
    oral.push({
      question: q,
      text: texts.get(q.id) ?? '',
      answer: answerOf(q.id),
      onMayorsReport: onReport.has(q.id),
      position: positions.get(q.id) ?? null,
      exchange: await oralExchangeOf(db, q.id),
    });
  }
  const written = questions
    .filter((q) => q.type === 'written')
    .map((q) => ({ question: q, text: texts.get(q.id) ?? '', answer: answerOf(q.id), onMayorsReport: onReport.has(q.id) }));

  const attendance = (
    await db
      .selectFrom('meeting_attendance')
      .innerJoin('people', 'people.id', 'meeting_attendance.person_id')
      .select(['people.slug', 'people.name', 'meeting_attendance.capacity'])
      .where('meeting_attendance.meeting_id', '=', meeting.id)
      .execute()
  ).sort((a, b) => CAPACITY_ORDER[a.capacity] - CAPACITY_ORDER[b.capacity] || a.name.localeCompare(b.name, 'en-GB'));

  const report = await db
    .selectFrom('meeting_papers')
    .select(['title', 'published_at'])
    .where('meeting_id', '=', meeting.id)
    .where('kind', '=', 'mayors_report')
    .where('published_at', '<=', now)
    .executeTakeFirst();
  const next = await db
    .selectFrom('meetings')
    .select(['slug', 'title', 'meets_on'])
    .where('assembly_id', '=', meeting.assembly_id)
    .where('meets_on', '>', meeting.meets_on)
    .where('state', '<>', 'cancelled')
    .orderBy('meets_on')
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();

  return {
    meeting: {
      id: meeting.id,
      slug: meeting.slug,
      title: meeting.title,
      type: meeting.meeting_type,
      meetsOn: meeting.meets_on,
      startsAt: meeting.starts_at,
      endsAt: meeting.ends_at,
      place: meeting.place,
      tablingCutoffAt: meeting.tabling_cutoff_at,
      mayorsReportDueOn: meeting.mayors_report_due_on,
      state: meeting.state,
    },
    held: meeting.state === 'held' || (meeting.state !== 'cancelled' && now.getTime() >= meeting.starts_at.getTime()),
    oral,
    written,
    attendance,
    papers: { orderPaperPublished, mayorsReport: report?.published_at ? { title: report.title, publishedAt: report.published_at } : null },
    nextMeeting: next ? { slug: next.slug, title: next.title, meetsOn: next.meets_on } : null,
  };
}
