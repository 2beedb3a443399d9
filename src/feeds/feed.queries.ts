// What the Atom feeds list: published answers (and, for some feeds, questions not yet answered), newest first,
// over the public record only (the same rules as questions/question.queries.ts: accepted or withdrawn, referenced).
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { PUBLIC_QUESTION_STATES } from '../questions/question.queries.ts';

/** How many entries a feed carries: readers poll, so the newest are enough. */
export const FEED_SIZE = 50;

export interface FeedEntry {
  /** Unique per entry: the answer version, or the question itself. */
  key: string;
  year: number;
  number: number;
  title: string;
  askerName: string;
  askerSlug: string;
  questionText: string;
  updated: Date;
  answer: { version: number; kind: 'holding' | 'substantive' | 'correction'; text: string; answeredBy: string; role: string } | null;
}

type QuestionFilter = (eb: ExpressionBuilder<Database, 'questions'>) => Expression<SqlBool>;

function publicOnly(eb: ExpressionBuilder<Database, 'questions'>) {
  return eb.and([
    eb('questions.state', 'in', PUBLIC_QUESTION_STATES),
    eb('questions.question_type', '<>', 'supplementary'),
    eb('questions.reference_number', 'is not', null),
  ]);
}

/** Published answer versions of public questions passing the filter, newest first. */
export async function answerEntries(db: Db, filter: QuestionFilter | null, limit = FEED_SIZE): Promise<FeedEntry[]> {
  const rows = await db
    .selectFrom('answer_versions')
    .innerJoin('questions', 'questions.id', 'answer_versions.question_id')
    .innerJoin('people as asker', 'asker.id', 'questions.asker_id')
    .innerJoin('people as answerer', 'answerer.id', 'answer_versions.answered_by_id')
    .where((eb) => (filter ? eb.and([publicOnly(eb), filter(eb)]) : publicOnly(eb)))
    .select([
      'answer_versions.id',
      'answer_versions.version',
      'answer_versions.kind',
      'answer_versions.body as answer_text',
      'answer_versions.answered_by_label',
      'answer_versions.published_at',
      'answerer.name as answerer_name',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.body',
      'asker.name as asker_name',
      'asker.slug as asker_slug',
    ])
    .orderBy('answer_versions.published_at', 'desc')
    .orderBy('answer_versions.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) =>
    entryOf(r, `answer-${r.id}`, r.published_at, { version: r.version, kind: r.kind, text: r.answer_text, answeredBy: r.answerer_name, role: r.answered_by_label }),
  );
}

/** Public questions passing the filter that have no published answer yet, newest first (by when they were accepted). */
export async function unansweredEntries(db: Db, filter: QuestionFilter, limit = FEED_SIZE): Promise<FeedEntry[]> {
  const rows = await db
    .selectFrom('questions')
    .innerJoin('people as asker', 'asker.id', 'questions.asker_id')
    // A left join: imported questions may belong to no meeting.
    .leftJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .where((eb) =>
      eb.and([
        publicOnly(eb),
        filter(eb),
        eb.not(eb.exists(eb.selectFrom('answer_versions').select('answer_versions.id').whereRef('answer_versions.question_id', '=', 'questions.id'))),
      ]),
    )
    .select((eb) => [
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.body',
      'asker.name as asker_name',
      'asker.slug as asker_slug',
      // When it became public: accepted, else tabled, else the meeting's start, else when it was recorded.
      eb.fn.coalesce('questions.decided_at', 'questions.tabled_at', 'meetings.starts_at', 'questions.created_at').as('public_at'),
    ])
    .orderBy('public_at', 'desc')
    .orderBy('questions.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => entryOf(r, `question-${r.id}`, r.public_at, null));
}

/** Answers, and questions still unanswered, merged newest first. */
export async function answerAndQuestionEntries(db: Db, filter: QuestionFilter, limit = FEED_SIZE): Promise<FeedEntry[]> {
  const [answers, questions] = await Promise.all([answerEntries(db, filter, limit), unansweredEntries(db, filter, limit)]);
  return [...answers, ...questions].sort((a, b) => b.updated.getTime() - a.updated.getTime() || b.key.localeCompare(a.key)).slice(0, limit);
}

// Filters ----------------------------------------------------------------------------------------------------------

export const askedBy = (personId: number): QuestionFilter => (eb) => eb('questions.asker_id', '=', personId);

export const answeredByBody = (organisationId: number): QuestionFilter => (eb) => eb('questions.answering_body_id', '=', organisationId);

export const onTopic = (topicId: number): QuestionFilter => (eb) =>
  eb.exists(
    eb.selectFrom('question_topics').select('question_topics.question_id').whereRef('question_topics.question_id', '=', 'questions.id').where('question_topics.topic_id', '=', topicId),
  );

/** Asked while the asker was a member of the group on the meeting day: the rule the group's page counts by. */
export const askedFromGroup = (organisationId: number): QuestionFilter => (eb) =>
  eb.exists(
    eb
      .selectFrom('memberships')
      .innerJoin('meetings as group_meeting', 'group_meeting.id', 'questions.meeting_id')
      .select('memberships.id')
      .whereRef('memberships.person_id', '=', 'questions.asker_id')
      .where('memberships.organisation_id', '=', organisationId)
      .where('memberships.role', '=', 'member')
      .whereRef('memberships.start_date', '<=', 'group_meeting.meets_on')
      .where((e) => e.or([e('memberships.end_date', 'is', null), e('memberships.end_date', '>=', e.ref('group_meeting.meets_on'))])),
  );

// Look-ups for the feed's subject --------------------------------------------------------------------------------

export async function findPerson(db: Db, slug: string) {
  return db.selectFrom('people').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

export async function findOrganisation(db: Db, slug: string, kinds: readonly ('party_group' | 'executive' | 'functional_body' | 'other')[]) {
  return db.selectFrom('organisations').select(['id', 'slug', 'name']).where('slug', '=', slug).where('classification', 'in', kinds).executeTakeFirst();
}

export async function findTopic(db: Db, slug: string) {
  return db.selectFrom('topics').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
}

/** The question's part of a feed entry, the same for answers and unanswered questions. */
function entryOf(
  r: { reference_year: number | null; reference_number: number | null; title: string; body: string; asker_name: string; asker_slug: string },
  key: string,
  at: Date | string,
  answer: FeedEntry['answer'],
): FeedEntry {
  return {
    key,
    year: r.reference_year ?? 0,
    number: r.reference_number ?? 0,
    title: r.title,
    askerName: r.asker_name,
    askerSlug: r.asker_slug,
    questionText: r.body,
    updated: new Date(at),
    answer,
  };
}
