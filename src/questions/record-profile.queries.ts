// The questions behind a member, party group, answering body or topic page: one query, then figures in code.
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import { presentQuestionSummary } from './question.presenter.ts';
import { latenessRules, publicQuestions, selectSummary, toSummary, type QuestionSummary } from './question.queries.ts';
import { chartBars, presentPromptness, promptnessOf, questionsByYear, type Promptness } from './promptness.ts';

export type ProfileFilter =
  | { kind: 'member'; personId: number }
  /** Asked while the asker was a member of the group (on the meeting day). */
  | { kind: 'group'; organisationId: number }
  /** Counted once the body has published an answer: which body drafts is internal until then. */
  | { kind: 'body'; organisationId: number }
  | { kind: 'topic'; topicId: number };

export const LATEST_LIMIT = 10;

function filtered(db: Db, filter: ProfileFilter) {
  const base = publicQuestions(db);
  switch (filter.kind) {
    case 'member':
      return base.where('questions.asker_id', '=', filter.personId);
    case 'group':
      return base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('memberships')
            .select('memberships.id')
            .whereRef('memberships.person_id', '=', 'questions.asker_id')
            .where('memberships.organisation_id', '=', filter.organisationId)
            .where('memberships.role', '=', 'member')
            .whereRef('memberships.start_date', '<=', 'meetings.meets_on')
            .where((e) => e.or([e('memberships.end_date', 'is', null), e('memberships.end_date', '>=', e.ref('meetings.meets_on'))])),
        ),
      );
    case 'body':
      return base
        .where('questions.answering_body_id', '=', filter.organisationId)
        .where((eb) => eb.exists(eb.selectFrom('answer_versions').select('answer_versions.id').whereRef('answer_versions.question_id', '=', 'questions.id')));
    case 'topic':
      return base.where((eb) =>
        eb.exists(
          eb
            .selectFrom('question_topics')
            .select('question_topics.question_id')
            .whereRef('question_topics.question_id', '=', 'questions.id')
            .where('question_topics.topic_id', '=', filter.topicId),
        ),
      );
  }
}

export interface RecordProfile {
  questions: QuestionSummary[];
  byYear: { year: number; count: number; percent: number }[];
  promptness: Promptness;
  latest: QuestionSummary[];
}

export async function recordProfile(db: Db, filter: ProfileFilter, today: string): Promise<RecordProfile> {
  const [rules, rows] = await Promise.all([
    latenessRules(db),
    selectSummary(filtered(db, filter)).orderBy('questions.reference_year', 'desc').orderBy('questions.reference_number', 'desc').execute(),
  ]);
  const questions = rows.map((r) => toSummary(r, today, rules));
  const answeredOn = new Map(rows.flatMap((r) => (r.first_substantive_at ? [[r.id, londonDate(new Date(r.first_substantive_at))] as const] : [])));
  return {
    questions,
    byYear: chartBars(questionsByYear(questions)),
    promptness: promptnessOf(questions, answeredOn),
    latest: questions.slice(0, LATEST_LIMIT),
  };
}

/** The JSON part every profile shares. */
export function presentProfile(profile: RecordProfile, publicUrl: string) {
  return {
    questionsByYear: profile.byYear.map((y) => ({ year: y.year, count: y.count })),
    promptness: presentPromptness(profile.promptness),
    /** The latest questions, newest first; every question is at links.questions. */
    questions: profile.latest.map((q) => presentQuestionSummary(q, publicUrl)),
  };
}
