// A member's own questions for their pages: every state (drafts and rejections included), deadlines and the
// published answers. Never the executive's drafts, comments or allocations.
import { memberPersonId, type Actor } from '../auth/actor.ts';
import { londonDate } from '../calendar/london-time.ts';
import type { Db } from '../db/database.ts';
import type { AnswerKind, QuestionState, QuestionType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { referenceOf } from './workflow.repository.ts';

export interface MemberQuestionAnswer {
  version: number;
  kind: AnswerKind;
  delivery: 'written' | 'oral';
  body: string;
  answeredByLabel: string;
  publishedAt: Date;
  correctionNote: string | null;
}

export interface MemberQuestion {
  id: number;
  reference: string | null;
  title: string;
  body: string;
  type: QuestionType;
  state: QuestionState;
  meeting: { id: number; slug: string; title: string; meetsOn: string; tablingCutoffAt: Date };
  tabledAt: Date | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  askedOn: string | null;
  dueOn: string | null;
  notReached: boolean;
  withdrawnAt: Date | null;
  /** Accepted, past its deadline, and still without a substantive answer. */
  overdue: boolean;
  answers: MemberQuestionAnswer[];
}

/** The questions of the member the actor is (or acts for), newest first. */
export async function memberQuestions(db: Db, actor: Actor, options: { now?: Date } = {}): Promise<MemberQuestion[]> {
  const personId = memberPersonId(actor);
  if (personId === null) throw new AppError('forbidden', 'Only members, and staff acting for them, have questions of their own.');
  const today = londonDate(options.now ?? new Date());
  const rows = await db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select([
      'questions.id',
      'questions.reference_year',
      'questions.reference_number',
      'questions.title',
      'questions.body',
      'questions.question_type',
      'questions.state',
      'questions.tabled_at',
      'questions.decided_at',
      'questions.rejection_reason',
      'questions.asked_on',
      'questions.due_on',
      'questions.not_reached',
      'questions.withdrawn_at',
      'meetings.id as meeting_id',
      'meetings.slug as meeting_slug',
      'meetings.title as meeting_title',
      'meetings.meets_on',
      'meetings.tabling_cutoff_at',
    ])
    .where('questions.asker_id', '=', personId)
    .where('questions.question_type', '<>', 'supplementary')
    .orderBy('questions.created_at', 'desc')
    .orderBy('questions.id', 'desc')
    .execute();
  const ids = rows.map((r) => r.id);
  const versions =
    ids.length === 0
      ? []
      : await db
          .selectFrom('answer_versions')
          .select(['question_id', 'version', 'kind', 'delivery', 'body', 'answered_by_label', 'published_at', 'correction_note'])
          .where('question_id', 'in', ids)
          .orderBy('question_id')
          .orderBy('version')
          .execute();
  const answersOf = new Map<number, MemberQuestionAnswer[]>();
  for (const v of versions) {
    const list = answersOf.get(v.question_id) ?? [];
    list.push({
      version: v.version,
      kind: v.kind,
      delivery: v.delivery,
      body: v.body,
      answeredByLabel: v.answered_by_label,
      publishedAt: v.published_at,
      correctionNote: v.correction_note,
    });
    answersOf.set(v.question_id, list);
  }
  return rows.map((r) => {
    const answers = answersOf.get(r.id) ?? [];
    const answered = answers.some((a) => a.kind !== 'holding');
    return {
      id: r.id,
      reference: referenceOf(r),
      title: r.title,
      body: r.body,
      type: r.question_type,
      state: r.state,
      meeting: { id: r.meeting_id, slug: r.meeting_slug, title: r.meeting_title, meetsOn: r.meets_on, tablingCutoffAt: r.tabling_cutoff_at },
      tabledAt: r.tabled_at,
      decidedAt: r.decided_at,
      rejectionReason: r.rejection_reason,
      askedOn: r.asked_on,
      dueOn: r.due_on,
      notReached: r.not_reached,
      withdrawnAt: r.withdrawn_at,
      overdue: r.state === 'accepted' && r.due_on !== null && r.due_on < today && !answered,
      answers,
    };
  });
}
