// What the executive's work pages need beyond the workflow queries: every body's open questions for the Mayor's
// office, how late each one is and how long a holding answer has stood, and the choices the forms offer.
import type { Actor } from '../auth/actor.ts';
import { londonDate } from '../calendar/london-time.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { lateness, type LatenessBand } from '../questions/deadline.ts';
import { latenessRules } from '../questions/question.queries.ts';
import { openAllocations, type OfficerQueueEntry } from './executive.queries.ts';

export interface QueueRow extends OfficerQueueEntry {
  /** Only in the Mayor's office's view of every body. */
  answeringBody: { id: number; name: string } | null;
  /** How late, while unanswered; null when there is no deadline yet. */
  lateness: { band: LatenessBand; workingDaysLate: number } | null;
  /** The first holding answer, while no substantive answer has followed. */
  holdingAnswer: { publishedOn: string; forWorkingDays: number } | null;
}

/**
 * Every question currently allocated to any body that still needs work, for the Mayor's office (and admins, who may
 * look): the same rows as an officer's queue, across all bodies. Overdue first, then by deadline, undated last.
 */
export async function openQuestions(db: Db, actor: Actor, options: { now?: Date } = {}): Promise<QueueRow[]> {
  if (actor.role !== 'approver' && actor.role !== 'admin') {
    throw new AppError('forbidden', "Only the Mayor's office can see every body's open questions.");
  }
  const today = londonDate(options.now ?? new Date());
  return withProgress(db, await openAllocations(db, today), today);
}

/**
 * Adds to queue entries how late each is (in the assembly's bands) and since when a holding answer has stood.
 * A question counts as answered here only by a substantive answer or correction, as on the public record.
 */
export async function withProgress(
  db: Db,
  entries: (OfficerQueueEntry & { answeringBody?: { id: number; name: string } })[],
  today: string,
): Promise<QueueRow[]> {
  if (entries.length === 0) return [];
  const ids = entries.map((e) => e.questionId);
  const [rules, firsts] = await Promise.all([
    latenessRules(db),
    db
      .selectFrom('answer_versions')
      .select((eb) => [
        'question_id',
        eb.fn.min('published_at').filterWhere('kind', '=', 'holding').as('first_holding_at'),
        eb.fn.min('published_at').filterWhere('kind', 'in', ['substantive', 'correction']).as('first_substantive_at'),
      ])
      .where('question_id', 'in', ids)
      .groupBy('question_id')
      .execute(),
  ]);
  return entries.map((entry) => {
    const first = firsts.find((f) => f.question_id === entry.questionId);
    const holdingOn = first?.first_holding_at ? londonDate(new Date(first.first_holding_at)) : null;
    const answered = Boolean(first?.first_substantive_at);
    const late =
      entry.dueOn !== null && !answered
        ? lateness({ dueOn: entry.dueOn, answeredOn: null, today, overdueAfterWorkingDays: rules.overdueAfterWorkingDays, veryOverdueAfterWorkingDays: rules.veryOverdueAfterWorkingDays })
        : null;
    return {
      ...entry,
      answeringBody: entry.answeringBody ?? null,
      hasHoldingAnswer: holdingOn !== null,
      lateness: late ? { band: late.band, workingDaysLate: late.workingDaysLate } : null,
      holdingAnswer: holdingOn !== null && !answered ? { publishedOn: holdingOn, forWorkingDays: Math.max(0, workingDaysBetween(holdingOn, today)) } : null,
    };
  });
}

export interface Choice {
  id: number;
  name: string;
}

/** Bodies a question can be allocated or transferred to today: the executive's office and functional bodies. */
export async function answeringBodies(db: Db, today: string): Promise<Choice[]> {
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('classification', 'in', ['executive', 'functional_body'])
    .where((eb) => eb.or([eb('dissolved_on', 'is', null), eb('dissolved_on', '>', today)]))
    .orderBy('classification')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Officers who can be named on an allocation, with their body. */
export async function officers(db: Db): Promise<(Choice & { bodyId: number; bodyName: string })[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.display_name', 'organisations.id as body_id', 'organisations.name as body_name'])
    .where('users.role', '=', 'officer')
    .where('users.disabled_at', 'is', null)
    .orderBy('organisations.name')
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name, bodyId: r.body_id, bodyName: r.body_name }));
}

/**
 * Who may answer today: the Mayor (the default when nobody is named) and the deputy mayors and commissioners in office,
 * who may answer in the Mayor's place. Labels as the record will show them.
 */
export async function answerers(db: Db, today: string): Promise<{ mayor: (Choice & { office: string }) | null; others: (Choice & { office: string })[] }> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select(['people.id', 'people.name', 'memberships.role', 'memberships.label'])
    .where('memberships.role', 'in', ['mayor', 'deputy_mayor', 'commissioner'])
    .where('memberships.start_date', '<=', today)
    .where((eb) => eb.or([eb('memberships.end_date', 'is', null), eb('memberships.end_date', '>=', today)]))
    // The latest Mayor first, as publishing picks them.
    .orderBy('memberships.start_date', 'desc')
    .orderBy('memberships.id', 'desc')
    .execute();
  const office = (r: (typeof rows)[number]) => r.label ?? (r.role === 'mayor' ? 'Mayor' : r.role === 'commissioner' ? 'Commissioner' : 'Deputy Mayor');
  const mayorRow = rows.find((r) => r.role === 'mayor');
  const seen = new Set<number>();
  const others: (Choice & { office: string })[] = [];
  for (const r of rows) {
    if (r.role === 'mayor' || seen.has(r.id)) continue;
    seen.add(r.id);
    others.push({ id: r.id, name: r.name, office: office(r) });
  }
  others.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  return { mayor: mayorRow ? { id: mayorRow.id, name: mayorRow.name, office: office(mayorRow) } : null, others };
}

/** The question a draft answer belongs to, or 404. */
export async function questionIdOfDraft(db: Db, draftId: number): Promise<number> {
  const row = await db.selectFrom('answer_drafts').select('question_id').where('id', '=', draftId).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'The draft answer was not found.');
  return row.question_id;
}
