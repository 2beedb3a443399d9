// The demo's Priority Order Papers, put in the default order (the quota method) after its questions are loaded,
// with each meeting's transcript following that order: the demo shows the method, not a hand-made order.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { defaultOrder } from '../meetings/order-paper.ts';
import { acceptedOralQuestions, orderPaperMeetingById } from '../meetings/order-paper.queries.ts';

const OFFSET = 1_000_000;

export async function orderDemoPapers(trx: Db): Promise<void> {
  const meetingIds = (await trx.selectFrom('order_paper_entries').select('meeting_id').distinct().orderBy('meeting_id').execute()).map((r) => r.meeting_id);
  for (const meetingId of meetingIds) {
    const meeting = await orderPaperMeetingById(trx, meetingId);
    if (!meeting) continue;
    const entries = await trx.selectFrom('order_paper_entries').select(['question_id', 'reached', 'published_at']).where('meeting_id', '=', meetingId).execute();
    const { groups, questions } = await acceptedOralQuestions(trx, meeting);
    const order = defaultOrder(groups, questions);
    const entryOf = new Map(entries.map((e) => [e.question_id, e]));
    // Withdrawn questions leave the paper, as compiling does; the rest take their places in the default order.
    await trx.deleteFrom('order_paper_entries').where('meeting_id', '=', meetingId).execute();
    if (order.length > 0) {
      await trx
        .insertInto('order_paper_entries')
        .values(
          order.map((p) => ({
            meeting_id: meetingId,
            question_id: p.questionId,
            position: p.position,
            reached: entryOf.get(p.questionId)?.reached ?? null,
            published_at: entryOf.get(p.questionId)?.published_at ?? entries[0]?.published_at ?? null,
          })),
        )
        .execute();
    }

    // The Mayor takes the questions in the paper's order, so the transcript follows it; a supplementary stays
    // with its question.
    const placeOf = new Map(order.map((p) => [p.questionId, p.position]));
    const turns = await trx
      .selectFrom('transcript_turns')
      .leftJoin('questions', 'questions.id', 'transcript_turns.question_id')
      .select(['transcript_turns.id', 'transcript_turns.position', 'transcript_turns.question_id', 'questions.parent_question_id'])
      .where('transcript_turns.meeting_id', '=', meetingId)
      .execute();
    if (turns.length === 0) continue;
    const rank = (t: (typeof turns)[number]) => placeOf.get(t.parent_question_id ?? t.question_id ?? -1) ?? Number.MAX_SAFE_INTEGER;
    const sorted = [...turns].sort((a, b) => rank(a) - rank(b) || a.position - b.position);
    await trx
      .updateTable('transcript_turns')
      .set((eb) => ({ position: eb('position', '+', OFFSET) }))
      .where('meeting_id', '=', meetingId)
      .execute();
    const values = sql.join(sorted.map((turn, index) => sql`(${turn.id}::int, ${index + 1}::int)`));
    await sql`UPDATE transcript_turns SET position = v.position FROM (VALUES ${values}) AS v(id, position) WHERE transcript_turns.id = v.id`.execute(trx);
  }
}
