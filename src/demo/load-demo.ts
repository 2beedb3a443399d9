// Writes the demo assembly into an empty database, inside the caller's transaction, so a kill leaves nothing half-loaded.
import { loadDemoAccounts } from './demo-accounts.ts';
import { loadDemoPressReleases } from './demo-press-releases.ts';
import { sql } from 'kysely';
import { addDays, dayOfWeek } from '../calendar/iso-date.ts';
import { formatLongDate, londonDateTime } from '../calendar/london-time.ts';
import { addWorkingDays, clearWorkingDaysBefore, previousWorkingDayOnOrBefore } from '../calendar/working-days.ts';
import type { Db } from '../db/database.ts';
import type { AttendanceCapacity, MeetingType } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { DEFAULT_REPORT_TITLE } from '../meetings/report.commands.ts';
import { statutoryDeadline } from '../questions/deadline.ts';
import { allocateReference } from '../questions/reference.repository.ts';
import { formatReference } from '../questions/reference.ts';
import type { DemoData } from './demo-data.ts';
import type { DemoAssembly, DemoQuestion } from './demo-format.ts';
import { orderDemoPapers } from './demo-order-papers.ts';

export interface DemoLoadResult {
  people: number;
  meetings: number;
  questions: number;
  answerVersions: number;
}

/** Any fixed number: the advisory lock that stops two starting servers loading the demo twice. */
const DEMO_LOCK_KEY = 4_270_302;

const MEETING_TITLES: Record<MeetingType, string> = {
  mqt: "Mayor's Question Time",
  plenary: 'Plenary',
  budget: 'Budget meeting',
  police_and_crime: 'Police and Crime Committee',
};

type Meeting = DemoAssembly['meetings'][number];

/** The day a demo meeting falls on: fixed, or placed relative to the day of loading so the demo always has a present. */
export function meetingDate(meeting: Meeting, today: string): string {
  if (meeting.date) return meeting.date;
  if (!meeting.relative) throw new AppError('demo_invalid', `Demo meeting ${meeting.slug} has neither a date nor a relative date.`);
  const day = addDays(today, meeting.relative.days);
  switch (meeting.relative.snap) {
    case 'wednesday_on_or_before':
      return addDays(day, -((dayOfWeek(day) - 3 + 7) % 7));
    case 'wednesday_on_or_after':
      return addDays(day, (3 - dayOfWeek(day) + 7) % 7);
    case 'working_day_on_or_before':
      return previousWorkingDayOnOrBefore(day);
  }
}

function subtractWorkingDays(date: string, n: number): string {
  let day = date;
  for (let i = 0; i < n; i++) day = previousWorkingDayOnOrBefore(addDays(day, -1));
  return day;
}

/** True when the database holds no assembly yet (the demo loads only into an empty record). */
export async function isEmptyRecord(db: Db): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Loads the demo. Returns undefined when the record was not empty (another process got there first).
 * Call it inside a transaction.
 */
export async function loadDemo(
  trx: Db,
  data: DemoData,
  options: { today: string; onProgress?: (done: number, total: number) => void },
): Promise<DemoLoadResult | undefined> {
  await sql`SELECT pg_advisory_xact_lock(${DEMO_LOCK_KEY})`.execute(trx);
  if (!(await isEmptyRecord(trx))) return undefined;
  const { assembly } = data;
  const today = options.today;

  // Organisations, parents first.
  const orgIds = new Map<string, number>();
  const pending = [...assembly.organisations];
  while (pending.length > 0) {
    const index = pending.findIndex((o) => !o.parent || orgIds.has(o.parent));
    if (index === -1) throw new AppError('demo_invalid', 'Demo organisations name parents that do not exist.');
    const [org] = pending.splice(index, 1);
    if (!org) break;
    const row = await trx
      .insertInto('organisations')
      .values({
        slug: org.slug,
        name: org.name,
        short_name: org.shortName ?? null,
        abbreviation: org.abbreviation ?? null,
        classification: org.classification,
        parent_id: org.parent ? (orgIds.get(org.parent) ?? null) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    orgIds.set(org.slug, row.id);
  }
  const assemblyId = orgIds.get(assembly.assembly.slug);
  if (assemblyId === undefined) throw new AppError('demo_invalid', 'The demo assembly is not among its organisations.');
  const rules = await trx
    .insertInto('assembly_rules')
    .values({ assembly_id: assemblyId, notice: assembly.assembly.notice })
    .returning(['answer_deadline_working_days', 'tabling_cutoff_working_days', 'mayors_report_clear_working_days'])
    .executeTakeFirstOrThrow();

  const personIds = new Map<string, number>();
  for (const person of assembly.people) {
    const row = await trx
      .insertInto('people')
      .values({ slug: person.slug, name: person.name, given_name: person.givenName, family_name: person.familyName })
      .returning('id')
      .executeTakeFirstOrThrow();
    personIds.set(person.slug, row.id);
  }
  const personId = (slug: string) => {
    const id = personIds.get(slug);
    if (id === undefined) throw new AppError('demo_invalid', `Unknown person ${slug} in the demo.`);
    return id;
  };
  const orgId = (slug: string) => {
    const id = orgIds.get(slug);
    if (id === undefined) throw new AppError('demo_invalid', `Unknown organisation ${slug} in the demo.`);
    return id;
  };

  await trx
    .insertInto('memberships')
    .values(
      assembly.memberships.map((m) => ({
        person_id: personId(m.person),
        organisation_id: orgId(m.organisation),
        role: m.role,
        label: m.label ?? null,
        start_date: m.startDate,
        end_date: m.endDate ?? null,
        end_reason: m.endReason ?? null,
      })),
    )
    .execute();
  const holds = (m: DemoAssembly['memberships'][number], date: string) => m.startDate <= date && (!m.endDate || m.endDate >= date);
  const holderOn = (role: 'mayor' | 'deputy_mayor' | 'commissioner', date: string) => assembly.memberships.filter((m) => m.role === role && holds(m, date));
  const labelOn = (slug: string, date: string) =>
    assembly.memberships.find((m) => m.person === slug && ['mayor', 'deputy_mayor', 'commissioner'].includes(m.role) && holds(m, date))?.label ??
    assembly.memberships.find((m) => m.person === slug && m.role === 'mayor')?.label ??
    'Mayor';

  const topicIds = new Map<string, number>();
  for (const topic of assembly.topics) {
    const row = await trx.insertInto('topics').values({ slug: topic.slug, name: topic.name }).returning('id').executeTakeFirstOrThrow();
    topicIds.set(topic.slug, row.id);
  }
  if (assembly.preElectionPeriods.length > 0) {
    await trx
      .insertInto('pre_election_periods')
      .values(assembly.preElectionPeriods.map((p) => ({ starts_on: p.startDate, ends_on: p.endDate, description: p.description })))
      .execute();
  }

  // Meetings, with everyone who sat in the assembly or held executive office that day in attendance.
  const meetings = new Map<string, { id: number; date: string; startsAt: Date }>();
  let mqtCount = 0;
  for (const meeting of [...assembly.meetings].sort((a, b) => meetingDate(a, today).localeCompare(meetingDate(b, today)))) {
    const date = meetingDate(meeting, today);
    const startsAt = londonDateTime(date, meeting.startTime);
    const cutoffDay = subtractWorkingDays(date, rules.tabling_cutoff_working_days);
    const reportDueOn = previousWorkingDayOnOrBefore(clearWorkingDaysBefore(date, rules.mayors_report_clear_working_days));
    const row = await trx
      .insertInto('meetings')
      .values({
        slug: meeting.slug,
        assembly_id: assemblyId,
        meeting_type: meeting.type,
        title: meeting.title ?? MEETING_TITLES[meeting.type],
        meets_on: date,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 150 * 60_000),
        place: meeting.place,
        tabling_cutoff_at: londonDateTime(cutoffDay, '12:00'),
        mayors_report_due_on: reportDueOn,
        state: date < today ? 'held' : 'scheduled',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    meetings.set(meeting.slug, { id: row.id, date, startsAt });
    if (meeting.type === 'mqt' && date < today) {
      // Held MQTs have the Mayor's report, published at noon on the day it was due.
      await trx
        .insertInto('meeting_papers')
        .values({
          meeting_id: row.id,
          kind: 'mayors_report',
          title: DEFAULT_REPORT_TITLE,
          body: demoMayorsReport(date, assembly.topics.map((t) => t.name), mqtCount++),
          published_at: londonDateTime(reportDueOn, '12:00'),
        })
        .execute();
    }
    const attendees = new Map<string, AttendanceCapacity>();
    for (const m of assembly.memberships) {
      if (m.organisation === assembly.assembly.slug && m.role === 'member' && holds(m, date)) attendees.set(m.person, 'member');
    }
    for (const role of ['mayor', 'deputy_mayor', 'commissioner'] as const) for (const m of holderOn(role, date)) attendees.set(m.person, role);
    if (attendees.size > 0) {
      await trx
        .insertInto('meeting_attendance')
        .values([...attendees].map(([slug, capacity]) => ({ meeting_id: row.id, person_id: personId(slug), capacity })))
        .execute();
    }
  }

  // Questions in the order the clerk would have accepted them, so references run in date order.
  const ordered = data.questions
    .map((q, index) => ({ q, index, meeting: meetings.get(q.meeting)! }))
    .sort((a, b) => a.meeting.date.localeCompare(b.meeting.date) || (a.q.tabledOn ?? '').localeCompare(b.q.tabledOn ?? '') || a.index - b.index);
  const questionIds = new Map<string, number>();
  // `{ref:<key>}` in a text cites an earlier demo question by its key; it becomes that question's reference.
  const references = new Map<string, string>();
  const withReferences = (text: string) =>
    text.replace(/\{ref:([a-z0-9-]+)\}/g, (_m, key: string) => {
      const reference = references.get(key);
      if (!reference) throw new Error(`demo text cites {ref:${key}}, which is not an earlier public question`);
      return reference;
    });
  const turnPositions = new Map<number, number>();
  const orderPaperPositions = new Map<number, number>();
  let answerVersions = 0;
  const audit: { record_id: number; to_state: string; action: string }[] = [];

  let done = 0;
  for (const { q, meeting } of ordered) {
    done += 1;
    if (done % 100 === 0) options.onProgress?.(done, ordered.length);
    const mayor = holderOn('mayor', meeting.date)[0];
    const tabledOn = q.tabledOn ?? previousWorkingDayOnOrBefore(addDays(subtractWorkingDays(meeting.date, rules.tabling_cutoff_working_days), -1));
    const decidedOn = minDate(addWorkingDays(tabledOn, 1), meeting.date, today);
    const public_ = q.state === 'awaiting' || q.state === 'answered' || q.state === 'withdrawn';
    const asked = public_ && meeting.date <= today;
    const reached = q.type === 'oral' && q.oral?.reached === true && asked;
    const reference = public_ ? await allocateReference(trx, Number(decidedOn.slice(0, 4))) : undefined;
    const withdrawnOn = q.state === 'withdrawn' ? (q.withdrawnOn ?? minDate(previousWorkingDayOnOrBefore(addDays(meeting.date, -1)), addDays(today, -1))) : undefined;
    const askedOn = asked && q.state !== 'withdrawn' ? meeting.date : null;
    const row = await trx
      .insertInto('questions')
      .values({
        reference_year: reference?.year ?? null,
        reference_number: reference?.number ?? null,
        question_type: q.type,
        state: q.state === 'awaiting' || q.state === 'answered' ? 'accepted' : q.state,
        title: q.title,
        body: withReferences(q.text),
        asker_id: personId(q.asker),
        asked_of_id: mayor ? personId(mayor.person) : null,
        meeting_id: meeting.id,
        answering_body_id: orgId(q.answeringBody),
        not_reached: q.type === 'oral' && q.oral?.reached === false && asked,
        tabled_at: q.state === 'draft' ? null : londonDateTime(tabledOn, '11:00'),
        decided_at: q.state === 'draft' || q.state === 'tabled' ? null : londonDateTime(decidedOn, '15:00'),
        rejection_reason: q.state === 'rejected' ? (q.rejectionReason ?? 'The question does not meet the standing orders for questions.') : null,
        asked_on: askedOn,
        due_on: askedOn && !reached ? statutoryDeadline(askedOn, rules.answer_deadline_working_days) : null,
        withdrawn_at: withdrawnOn ? londonDateTime(withdrawnOn, '12:00') : null,
        withdrawal_reason: q.state === 'withdrawn' ? 'Withdrawn by the member.' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    questionIds.set(q.key, row.id);
    if (reference) references.set(q.key, formatReference(reference.year, reference.number));
    audit.push({ record_id: row.id, to_state: q.state === 'awaiting' || q.state === 'answered' ? 'accepted' : q.state, action: 'question.loaded' });
    if (q.topics.length > 0) {
      await trx.insertInto('question_topics').values(q.topics.map((t) => ({ question_id: row.id, topic_id: topicIds.get(t)! }))).execute();
    }

    let version = 0;
    if (q.type === 'oral' && public_) {
      const position = (orderPaperPositions.get(meeting.id) ?? 0) + 1;
      orderPaperPositions.set(meeting.id, position);
      await trx
        .insertInto('order_paper_entries')
        .values({ meeting_id: meeting.id, question_id: row.id, position, reached: asked ? reached : null, published_at: londonDateTime(subtractWorkingDays(meeting.date, 2), '17:00') })
        .execute();
    }
    if (reached && q.oral) {
      const addTurns = async (questionId: number, turns: { speaker: string; text: string }[]) => {
        for (const turn of turns) {
          const position = (turnPositions.get(meeting.id) ?? 0) + 1;
          turnPositions.set(meeting.id, position);
          await trx.insertInto('transcript_turns').values({ meeting_id: meeting.id, question_id: questionId, position, speaker_id: personId(turn.speaker), body: turn.text }).execute();
        }
      };
      await addTurns(row.id, q.oral.turns);
      const replies = q.oral.turns.filter((t) => t.speaker !== q.asker);
      const answerer = replies[0]?.speaker ?? mayor?.person;
      if (replies.length > 0 && answerer) {
        version += 1;
        await trx
          .insertInto('answer_versions')
          .values({
            question_id: row.id,
            version,
            kind: 'substantive',
            delivery: 'oral',
            body: replies.map((t) => t.text).join('\n\n'),
            answered_by_id: personId(answerer),
            answered_by_label: labelOn(answerer, meeting.date),
            published_at: new Date(meeting.startsAt.getTime() + 60 * 60_000),
          })
          .execute();
        answerVersions += 1;
      }
      let n = 0;
      for (const supplementary of q.oral.supplementaries) {
        n += 1;
        const first = supplementary.turns.find((t) => t.speaker === supplementary.asker) ?? supplementary.turns[0];
        const sup = await trx
          .insertInto('questions')
          .values({
            question_type: 'supplementary',
            state: 'accepted',
            title: `${q.title} (Supplementary) [${n}]`,
            body: first?.text ?? q.title,
            asker_id: personId(supplementary.asker),
            asked_of_id: mayor ? personId(mayor.person) : null,
            meeting_id: meeting.id,
            answering_body_id: orgId(q.answeringBody),
            parent_question_id: row.id,
            supplementary_number: n,
            asked_on: meeting.date,
            decided_at: meeting.startsAt,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await addTurns(sup.id, supplementary.turns);
        audit.push({ record_id: sup.id, to_state: 'accepted', action: 'question.loaded' });
      }
    }

    let lastSubstantive: number | undefined;
    for (const answer of q.answers) {
      version += 1;
      const inserted = await trx
        .insertInto('answer_versions')
        .values({
          question_id: row.id,
          version,
          kind: answer.kind,
          delivery: 'written',
          body: withReferences(answer.text),
          answered_by_id: personId(answer.by),
          answered_by_label: labelOn(answer.by, answer.publishedOn),
          published_at: londonDateTime(answer.publishedOn, '16:00'),
          corrects_version_id: answer.kind === 'correction' ? (lastSubstantive ?? null) : null,
          correction_note: answer.kind === 'correction' ? (answer.correctionNote ?? 'The earlier answer was corrected.') : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (answer.kind !== 'holding') lastSubstantive = inserted.id;
      answerVersions += 1;
    }
  }

  for (const q of data.questions) {
    if (!q.followUpOf) continue;
    await trx
      .updateTable('questions')
      .set({ follow_up_of_id: questionIds.get(q.followUpOf)! })
      .where('id', '=', questionIds.get(q.key)!)
      .execute();
  }

  for (let i = 0; i < audit.length; i += 500) {
    await trx
      .insertInto('audit_events')
      .values(audit.slice(i, i + 500).map((a) => ({ actor_label: 'demo', action: a.action, record_type: 'question' as const, record_id: a.record_id, to_state: a.to_state })))
      .execute();
  }
  await trx.insertInto('audit_events').values({ actor_label: 'demo', action: 'assembly.demo_loaded', record_type: 'assembly', record_id: assemblyId }).execute();
  await orderDemoPapers(trx);
  await loadDemoAccounts(trx);
  await loadDemoPressReleases(trx, questionIds);

  return { people: assembly.people.length, meetings: meetings.size, questions: data.questions.length, answerVersions };
}

/** A short, fictional Mayor's report for a demo MQT: three of the demo's topics in turn, dated from the meeting. */
export function demoMayorsReport(meetsOn: string, topics: readonly string[], index: number): string {
  const picked = topics.length === 0 ? ['the work of the office'] : [0, 1, 2].map((i) => topics[(index * 3 + i) % topics.length]!).filter((t, i, all) => all.indexOf(t) === i);
  const period = `the weeks before Mayor's Question Time on ${formatLongDate(meetsOn)}`;
  return [
    `This report sets out the Mayor's main work in ${period}. It is fictional demonstration text.`,
    ...picked.map((topic) => `${topic}: the Mayor met those responsible, reviewed progress against this year's plan and will report again at the next meeting.`),
    'Members may put questions on this report to the Mayor at the meeting.',
  ].join('\n\n');
}

function minDate(...dates: string[]): string {
  return dates.reduce((a, b) => (a < b ? a : b));
}

export type { DemoQuestion };
