import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { londonDate } from '../calendar/london-time.ts';
import { loadOrderPaper, orderPaperMeetingById } from '../meetings/order-paper.queries.ts';
import { createDemoApp, FIXED_NOW, type DemoApp } from '../testing/demo-app.ts';
import { checkConsistency, readDemoData } from './demo-data.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.ts';
import { loadDemo, meetingDate } from './load-demo.ts';

let demo: DemoApp;
before(async () => {
  demo = await createDemoApp();
});
after(async () => {
  await demo.close();
});

test('the demo is big enough for search, facets and statistics', async () => {
  const data = await readDemoData();
  const handWritten = data.questions.filter((q) => !q.key.startsWith('gen-') && (q.answers.length > 0 || (q.oral?.turns.length ?? 0) > 0));
  assert.ok(handWritten.length >= 150, `${handWritten.length} hand-written questions with answers`);
  assert.ok(data.questions.length >= 400, `${data.questions.length} questions in all`);
  const members = new Set(data.assembly.memberships.filter((m) => m.organisation === data.assembly.assembly.slug).map((m) => m.person));
  assert.ok(members.size >= 25);
  const groups = data.assembly.organisations.filter((o) => o.classification === 'party_group');
  assert.ok(groups.length >= 4 && groups.length <= 5);
  const mqts2009to2010 = data.assembly.meetings.filter((m) => m.type === 'mqt' && m.date && m.date < '2011-01-01');
  assert.ok(mqts2009to2010.length >= 12);
});

test('references run from 1 in each year with no gaps or repeats', async () => {
  const rows = await demo.t.db
    .selectFrom('questions')
    .select(['reference_year', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('reference_number').as('max')])
    .where('reference_number', 'is not', null)
    .groupBy('reference_year')
    .execute();
  assert.ok(rows.length >= 2);
  for (const row of rows) assert.equal(Number(row.n), row.max, `year ${row.reference_year}`);
});

test('every state a question can be in is in the demo', async () => {
  const states = await demo.t.db.selectFrom('questions').select('state').distinct().execute();
  assert.deepEqual(states.map((s) => s.state).sort(), ['accepted', 'draft', 'rejected', 'tabled', 'withdrawn']);
  const kinds = await demo.t.db.selectFrom('answer_versions').select('kind').distinct().execute();
  assert.deepEqual(kinds.map((k) => k.kind).sort(), ['correction', 'holding', 'substantive']);
  const types = await demo.t.db.selectFrom('questions').select('question_type').distinct().execute();
  assert.deepEqual(types.map((k) => k.question_type).sort(), ['oral', 'supplementary', 'written']);
  const notReached = await demo.t.db.selectFrom('questions').select('id').where('not_reached', '=', true).execute();
  assert.ok(notReached.length > 0);
  // Holding answers later made substantive.
  const holdingThenSubstantive = await sql<{ n: number }>`
    SELECT count(*) AS n FROM questions q
    WHERE EXISTS (SELECT 1 FROM answer_versions h WHERE h.question_id = q.id AND h.kind = 'holding')
      AND EXISTS (SELECT 1 FROM answer_versions s WHERE s.question_id = q.id AND s.kind = 'substantive')`.execute(demo.t.db);
  assert.ok(Number(holdingThenSubstantive.rows[0]?.n) > 0);
  const today = londonDate(FIXED_NOW);
  // Overdue: past the deadline with no substantive answer; and some still within it.
  const overdue = await sql<{ n: number }>`
    SELECT count(*) AS n FROM questions q WHERE q.state = 'accepted' AND q.due_on < ${today}
      AND NOT EXISTS (SELECT 1 FROM answer_versions s WHERE s.question_id = q.id AND s.kind <> 'holding')`.execute(demo.t.db);
  assert.ok(Number(overdue.rows[0]?.n) > 0);
  const pending = await sql<{ n: number }>`SELECT count(*) AS n FROM questions q WHERE q.state = 'accepted' AND q.due_on >= ${today}`.execute(demo.t.db);
  assert.ok(Number(pending.rows[0]?.n) > 0);
});

test('deadlines run three working days from the meeting day', async () => {
  const rows = await demo.t.db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select(['questions.due_on', 'meetings.meets_on'])
    .where('meetings.slug', '=', 'mqt-2009-06-17')
    .where('questions.due_on', 'is not', null)
    .execute();
  assert.ok(rows.length > 0);
  for (const row of rows) assert.equal(row.due_on, '2009-06-22');
});

test('the trafficking storyline is on the record as the domain tells it', async () => {
  const may = await demo.t.db
    .selectFrom('questions')
    .innerJoin('people', 'people.id', 'questions.asker_id')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select(['questions.id', 'questions.question_type', 'people.slug', 'meetings.meets_on'])
    .where('questions.title', '=', 'Trafficking of women')
    .executeTakeFirstOrThrow();
  assert.equal(may.question_type, 'written');
  assert.equal(may.meets_on, '2009-05-20');
  const mayAnswer = await demo.t.db.selectFrom('answer_versions').select('body').where('question_id', '=', may.id).executeTakeFirstOrThrow();
  assert.match(mayAnswer.body, /£435,000/);
  const june = await demo.t.db
    .selectFrom('questions')
    .innerJoin('meetings', 'meetings.id', 'questions.meeting_id')
    .select(['questions.id', 'questions.question_type', 'meetings.meets_on', 'questions.asker_id'])
    .where('questions.title', '=', 'Funding for the Human Trafficking Unit')
    .executeTakeFirstOrThrow();
  assert.equal(june.question_type, 'oral');
  assert.equal(june.meets_on, '2009-06-17');
  const turns = await demo.t.db.selectFrom('transcript_turns').select('body').where('question_id', '=', june.id).execute();
  assert.ok(turns.some((t) => /not (been )?secured/i.test(t.body)), 'the Mayor confirms funding beyond 2009/10 is not secured');
  const sups = await demo.t.db.selectFrom('questions').select('title').where('parent_question_id', '=', june.id).orderBy('supplementary_number').execute();
  assert.equal(sups[0]?.title, 'Funding for the Human Trafficking Unit (Supplementary) [1]');
});

test('who was Mayor on a day has one answer', async () => {
  const onDay = async (date: string) =>
    demo.t.db
      .selectFrom('memberships')
      .innerJoin('people', 'people.id', 'memberships.person_id')
      .select('people.slug')
      .where('role', '=', 'mayor')
      .where('start_date', '<=', date)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', date)]))
      .execute();
  assert.deepEqual(await onDay('2009-06-17'), [{ slug: 'eleanor-marsh' }]);
  assert.deepEqual(await onDay('2026-11-25'), [{ slug: 'samuel-adebayo-clarke' }]);
});

test('loading into a record that is not empty does nothing', async () => {
  const data = await readDemoData();
  const before = await demo.t.db.selectFrom('questions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const result = await demo.t.db.transaction().execute((trx) => loadDemo(trx, data, { today: '2026-11-25' }));
  assert.equal(result, undefined);
  const after_ = await demo.t.db.selectFrom('questions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(after_.n), Number(before.n));
});

test('inconsistent demo data is refused with the question named', async () => {
  const data = await readDemoData();
  const first = data.questions[0]!;
  assert.throws(() => checkConsistency({ ...data, questions: [{ ...first, asker: 'nobody-at-all' }] }), new RegExp(`${first.key}: unknown asker`));
  assert.throws(() => checkConsistency({ ...data, questions: [first, first] }), /key is used twice/);
  assert.throws(() => checkConsistency({ ...data, questions: [{ ...first, followUpOf: 'missing-key' }] }), /follows up unknown question/);
});

test('current meetings are placed relative to the day of loading', () => {
  const relative = { slug: 'x', type: 'mqt' as const, startTime: '10:00', place: 'p' };
  assert.equal(meetingDate({ ...relative, relative: { days: 22, snap: 'wednesday_on_or_after' } }, '2026-11-25'), '2026-12-23');
  assert.equal(meetingDate({ ...relative, relative: { days: -36, snap: 'wednesday_on_or_before' } }, '2026-11-25'), '2026-10-14');
  assert.equal(meetingDate({ ...relative, relative: { days: -1, snap: 'working_day_on_or_before' } }, '2026-11-30'), '2026-11-27');
});

test('the demo has one account per role, listed on the sign-in page, and the member can sign in', async () => {
  const users = await demo.t.db.selectFrom('users').select(['email', 'role']).orderBy('id').execute();
  assert.deepEqual(users.map((u) => u.role).sort(), ['admin', 'approver', 'clerk', 'member', 'officer', 'press_officer', 'staff']);
  const page = await demo.app.inject({ method: 'GET', url: '/sign-in' });
  for (const account of DEMO_ACCOUNTS) assert.ok(page.body.includes(account.email), `${account.email} is listed`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const signIn = await demo.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email: DEMO_ACCOUNTS[0]!.email, password: DEMO_PASSWORD, _csrf: csrf }).toString(),
  });
  assert.equal(signIn.statusCode, 303);
  assert.equal(signIn.headers.location, '/work/questions');
});

test('every held MQT has a published Mayor’s report, published before the meeting', async () => {
  const held = await demo.t.db
    .selectFrom('meetings')
    .leftJoin('meeting_papers', (join) => join.onRef('meeting_papers.meeting_id', '=', 'meetings.id').on('meeting_papers.kind', '=', 'mayors_report'))
    .select(['meetings.slug', 'meetings.starts_at', 'meeting_papers.body', 'meeting_papers.published_at'])
    .where('meetings.meeting_type', '=', 'mqt')
    .where('meetings.state', '=', 'held')
    .execute();
  assert.ok(held.length >= 12);
  for (const m of held) {
    assert.ok(m.body && m.body.length > 0, `${m.slug} has a report`);
    assert.ok(m.published_at && new Date(m.published_at).getTime() < new Date(m.starts_at).getTime(), `${m.slug}: published before the meeting`);
  }
});

test("the demo's order papers stand in the default order, and each transcript follows its paper", async () => {
  const db = demo.t.db;
  const meetingIds = (await db.selectFrom('order_paper_entries').select('meeting_id').distinct().execute()).map((r) => r.meeting_id);
  assert.ok(meetingIds.length >= 5, `${meetingIds.length} order papers`);
  for (const id of meetingIds) {
    const meeting = await orderPaperMeetingById(db, id);
    assert.ok(meeting);
    const paper = await loadOrderPaper(db, meeting);
    assert.equal(paper.followsDefaultOrder, true, `${meeting.slug} follows the default order`);
    const positions = new Map(paper.rows.map((r) => [r.questionId, r.position]));
    const turns = await db
      .selectFrom('transcript_turns')
      .leftJoin('questions', 'questions.id', 'transcript_turns.question_id')
      .select(['transcript_turns.position', 'transcript_turns.question_id', 'questions.parent_question_id'])
      .where('transcript_turns.meeting_id', '=', id)
      .orderBy('transcript_turns.position')
      .execute();
    const places = turns.map((t) => positions.get(t.parent_question_id ?? t.question_id ?? -1) ?? Infinity);
    if (turns.length > 0) assert.ok(places.some((p) => p !== Infinity), `${meeting.slug}: the transcript's turns belong to questions on the paper`);
    assert.deepEqual(places, [...places].sort((a, b) => a - b), `${meeting.slug}: the transcript takes the questions in the paper's order`);
  }
});
