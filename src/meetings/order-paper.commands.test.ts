import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { withdrawQuestion } from '../workflow/member.commands.ts';
import { createWorld, expectRefusal, run, type World } from '../workflow/test-factories.ts';
import { compileOrderPaper, moveOnOrderPaper, publishOrderPaper } from './order-paper.commands.ts';
import { loadOrderPaper, orderPaperMeetingById } from './order-paper.queries.ts';
import { acceptedOral, partyGroup, type TestGroup } from './order-paper.test-factories.ts';

let t: TestDatabase;
const now = new Date();
const minute = (n: number) => new Date(now.getTime() + n * 60_000);

before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
});

interface Setup {
  w: World;
  alpha: TestGroup;
  beta: TestGroup;
  q: Record<'a1' | 'b1' | 'a2' | 'p1' | 'a3' | 'b2', number>;
}

/**
 * Alpha (4 members), Beta (2) and two independents (Priya, who tables, and Gareth, who does not): 8 members.
 * The sequence is A B A P A B A G, so the default order is a1 b1 a2 p1 a3 b2.
 */
async function setup(): Promise<Setup> {
  const w = await createWorld(t.db, now);
  const alpha = await partyGroup(t.db, w, 'Alpha Group', 4);
  const beta = await partyGroup(t.db, w, 'Beta Group', 2);
  const [alpha1, alpha2] = alpha.members;
  const [beta1, beta2] = beta.members;
  if (!alpha1 || !alpha2 || !beta1 || !beta2) throw new Error('groups not created');
  // Tabled in an order unlike the default, so the test sees the allocation at work.
  const b1 = (await acceptedOral(t.db, w, beta1, minute(1), 'Beta first')).questionId;
  const a1 = (await acceptedOral(t.db, w, alpha1, minute(2), 'Alpha first')).questionId;
  const b2 = (await acceptedOral(t.db, w, beta2, minute(3), 'Beta second')).questionId;
  const p1 = (await acceptedOral(t.db, w, w.actors.member, minute(4), 'Independent question')).questionId;
  const a2 = (await acceptedOral(t.db, w, alpha2, minute(5), 'Alpha second')).questionId;
  const a3 = (await acceptedOral(t.db, w, alpha1, minute(6), 'Alpha third')).questionId;
  return { w, alpha, beta, q: { a1, b1, a2, p1, a3, b2 } };
}

const entries = (meetingId: number) =>
  t.db.selectFrom('order_paper_entries').select(['question_id', 'position', 'published_at', 'reached']).where('meeting_id', '=', meetingId).orderBy('position').execute();
const order = async (meetingId: number) => (await entries(meetingId)).map((e) => e.question_id);
const audits = (meetingId: number) =>
  t.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'order_paper').where('record_id', '=', meetingId).orderBy('id').execute();

/** A refusal that must leave the order paper (and every workflow table) exactly as it was. */
async function refused(code: 'conflict' | 'validation_failed' | 'forbidden' | 'not_found', meetingId: number, command: Parameters<typeof expectRefusal>[2]) {
  const before = await entries(meetingId);
  const error = await expectRefusal(t.db, code, command);
  assert.deepEqual(await entries(meetingId), before, 'the order paper changed');
  return error;
}

describe('compiling', () => {
  test('puts accepted oral questions in the proportional default order, audited', async () => {
    const { w, q } = await setup();
    const meetingId = w.meetings.future.id;
    const result = await run(t.db, (trx) => compileOrderPaper(trx, w.actors.clerk, { meetingId }, { now }));
    const expected = [q.a1, q.b1, q.a2, q.p1, q.a3, q.b2];
    assert.deepEqual(
      result.positions.map((p) => p.questionId),
      expected,
    );
    assert.deepEqual(await order(meetingId), expected);
    assert.ok((await entries(meetingId)).every((e) => e.published_at === null && e.reached === null));

    const [event] = await audits(meetingId);
    assert.equal(event?.action, 'order_paper.compiled');
    assert.equal(event?.actor_id, w.actors.clerk.userId);
    assert.equal(event?.from_state, 'not_compiled');
    assert.equal(event?.to_state, 'compiled');
    const details = event?.details as { positions: { questionId: number; reference: string; fromPosition: number | null; toPosition: number }[]; groups: { name: string; members: number }[] };
    const first = details.positions[0];
    assert.deepEqual([first?.questionId, first?.fromPosition, first?.toPosition], [q.a1, null, 1]);
    assert.match(first?.reference ?? '', /^\d{4}\/\d{4}$/);
    assert.deepEqual(
      details.groups.map((g) => [g.name, g.members]),
      [
        ['Alpha Group', 4],
        ['Beta Group', 2],
        ['Independent: Gareth Lowe', 1],
        ['Independent: Priya Okafor', 1],
      ],
    );

    const meeting = await orderPaperMeetingById(t.db, meetingId);
    const paper = await loadOrderPaper(t.db, meeting!);
    assert.equal(paper.status, 'compiled');
    assert.equal(paper.totalMembers, 8);
    assert.ok(paper.followsDefaultOrder);
    assert.deepEqual(
      paper.rows.map((r) => r.groupLabel),
      ['Alpha', 'Beta', 'Alpha', 'Independent', 'Alpha', 'Beta'],
    );
  });

  test('compiling again restores the default order, adds newly accepted questions and drops withdrawn ones', async () => {
    const { w, q, beta } = await setup();
    const meetingId = w.meetings.future.id;
    await run(t.db, (trx) => compileOrderPaper(trx, w.actors.clerk, { meetingId }, { now }));
    await run(t.db, (trx) => moveOnOrderPaper(trx, w.actors.clerk, { meetingId, questionId: q.b2, position: 1 }, { now }));
    assert.deepEqual(await order(meetingId), [q.b2, q.a1, q.b1, q.a2, q.p1, q.a3]);

    const late = (await acceptedOral(t.db, w, beta.members[0]!, minute(30), 'Beta third')).questionId;
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId: q.p1 }, { now: minute(31) }));
    await run(t.db, (trx) => compileOrderPaper(trx, w.actors.clerk, { meetingId }, { now }));
    // Without p1: A B A (P yields) A B A (G yields) ... then B's third at B's next turn.
    assert.deepEqual(await order(meetingId), [q.a1, q.b1, q.a2, q.a3, q.b2, late]);

    const last = (await audits(meetingId)).at(-1);
    assert.equal(last?.action, 'order_paper.compiled');
    assert.equal(last?.from_state, 'compiled');
    const details = last?.details as { positions: { questionId: number; fromPosition: number | null; toPosition: number }[]; removed: { questionId: number; fromPosition: number }[] };
    const b2 = details.positions.find((p) => p.questionId === q.b2);
    assert.deepEqual([b2?.fromPosition, b2?.toPosition], [1, 5]);
    assert.equal(details.positions.find((p) => p.questionId === late)?.fromPosition, null);
    assert.deepEqual(details.removed, [{ questionId: q.p1, fromPosition: 5 }]);
  });

  test('an empty meeting, a held or started meeting, a cancelled one and a non-clerk are refused, changing nothing', async () => {
    const { w } = await setup();
    const clerk = w.actors.clerk;
    const later = w.meetings.later.id;
    const noOral = await refused('conflict', later, (trx) => compileOrderPaper(trx, clerk, { meetingId: later }, { now }));
    assert.match(noOral.message, /no accepted oral questions/);
    const held = await refused('conflict', w.meetings.held.id, (trx) => compileOrderPaper(trx, clerk, { meetingId: w.meetings.held.id }, { now }));
    assert.match(held.message, /meeting has been held/);
    // The future meeting, once its start time has passed (still "scheduled" in the table).
    const future = w.meetings.future.id;
    const started = await refused('conflict', future, (trx) => compileOrderPaper(trx, clerk, { meetingId: future }, { now: minute(22 * 24 * 60) }));
    assert.match(started.message, /meeting has been held/);
    const cancelled = await refused('conflict', w.meetings.cancelled.id, (trx) => compileOrderPaper(trx, clerk, { meetingId: w.meetings.cancelled.id }, { now }));
    assert.match(cancelled.message, /cancelled/);
    await refused('forbidden', future, (trx) => compileOrderPaper(trx, w.actors.member, { meetingId: future }, { now }));
    await refused('forbidden', future, (trx) => compileOrderPaper(trx, w.actors.approver, { meetingId: future }, { now }));
    await refused('not_found', future, (trx) => compileOrderPaper(trx, clerk, { meetingId: 2_000_000_000 }, { now }));
    await refused('validation_failed', future, (trx) => compileOrderPaper(trx, clerk, { meetingId: -1 }, { now }));
  });
});

describe('moving by hand', () => {
  test('up, down and to a position, each audited with the question, from and to', async () => {
    const { w, q } = await setup();
    const meetingId = w.meetings.future.id;
    const clerk = w.actors.clerk;
    await run(t.db, (trx) => compileOrderPaper(trx, clerk, { meetingId }, { now }));

    const up = await run(t.db, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.p1, direction: 'up' }, { now }));
    assert.deepEqual(up, { meetingId, questionId: q.p1, fromPosition: 4, toPosition: 3 });
    assert.deepEqual(await order(meetingId), [q.a1, q.b1, q.p1, q.a2, q.a3, q.b2]);

    await run(t.db, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, direction: 'down' }, { now }));
    assert.deepEqual(await order(meetingId), [q.b1, q.a1, q.p1, q.a2, q.a3, q.b2]);

    const jump = await run(t.db, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.b2, position: 2 }, { now }));
    assert.deepEqual([jump.fromPosition, jump.toPosition], [6, 2]);
    assert.deepEqual(await order(meetingId), [q.b1, q.b2, q.a1, q.p1, q.a2, q.a3]);
    await run(t.db, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.b1, position: 6 }, { now }));
    assert.deepEqual(await order(meetingId), [q.b2, q.a1, q.p1, q.a2, q.a3, q.b1]);
    assert.deepEqual(
      (await entries(meetingId)).map((e) => e.position),
      [1, 2, 3, 4, 5, 6],
    );

    const moves = (await audits(meetingId)).filter((a) => a.action === 'order_paper.question_moved');
    assert.deepEqual(
      moves.map((m) => {
        const d = m.details as { questionId: number; fromPosition: number; toPosition: number; reference: string };
        assert.match(d.reference, /^\d{4}\/\d{4}$/);
        assert.equal(m.actor_id, clerk.userId);
        return [d.questionId, d.fromPosition, d.toPosition];
      }),
      [
        [q.p1, 4, 3],
        [q.a1, 1, 2],
        [q.b2, 6, 2],
        [q.b1, 1, 6],
      ],
    );
    const meeting = await orderPaperMeetingById(t.db, meetingId);
    assert.equal((await loadOrderPaper(t.db, meeting!)).followsDefaultOrder, false);
  });

  test('impossible moves are refused and change nothing', async () => {
    const { w, q } = await setup();
    const meetingId = w.meetings.future.id;
    const clerk = w.actors.clerk;
    const notCompiled = await refused('conflict', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, direction: 'up' }, { now }));
    assert.match(notCompiled.message, /Compile the order paper/);
    await run(t.db, (trx) => compileOrderPaper(trx, clerk, { meetingId }, { now }));

    assert.match((await refused('conflict', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, direction: 'up' }, { now }))).message, /already first/);
    assert.match((await refused('conflict', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.b2, direction: 'down' }, { now }))).message, /already last/);
    const beyond = await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, position: 7 }, { now }));
    assert.equal(beyond.fields?.position, 'Enter a position from 1 to 6');
    const same = await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, position: 1 }, { now }));
    assert.match(same.fields?.position ?? '', /already at position 1/);
    const stranger = await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: 2_000_000_000, position: 2 }, { now }));
    assert.ok(stranger.fields?.questionId);
    const neither = await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1 }, { now }));
    assert.ok(neither.fields?.position);
    await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, direction: 'up', position: 2 }, { now }));
    await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, position: 0 }, { now }));
    await refused('validation_failed', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a1, direction: 'sideways' as 'up' }, { now }));
    await refused('forbidden', meetingId, (trx) => moveOnOrderPaper(trx, w.actors.member, { meetingId, questionId: q.a2, direction: 'up' }, { now }));
    const late = await refused('conflict', meetingId, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.a2, direction: 'up' }, { now: minute(22 * 24 * 60) }));
    assert.match(late.message, /meeting has been held/);
  });
});

describe('publishing', () => {
  test('publishes every entry at once, audited; changes afterwards keep it published', async () => {
    const { w, q, alpha } = await setup();
    const meetingId = w.meetings.future.id;
    const clerk = w.actors.clerk;
    const early = await refused('conflict', meetingId, (trx) => publishOrderPaper(trx, clerk, { meetingId }, { now }));
    assert.match(early.message, /Compile the order paper before publishing/);
    await run(t.db, (trx) => compileOrderPaper(trx, clerk, { meetingId }, { now }));
    await refused('forbidden', meetingId, (trx) => publishOrderPaper(trx, w.actors.member, { meetingId }, { now }));

    const result = await run(t.db, (trx) => publishOrderPaper(trx, clerk, { meetingId }, { now }));
    assert.equal(result.publishedAt.getTime(), now.getTime());
    assert.ok((await entries(meetingId)).every((e) => e.published_at?.getTime() === now.getTime()));
    const event = (await audits(meetingId)).at(-1);
    assert.equal(event?.action, 'order_paper.published');
    assert.deepEqual([event?.from_state, event?.to_state], ['compiled', 'published']);
    assert.match((await refused('conflict', meetingId, (trx) => publishOrderPaper(trx, clerk, { meetingId }, { now }))).message, /already published/);

    // A question accepted after publication: on the paper only once compiled again, and then published with it.
    const late = (await acceptedOral(t.db, w, alpha.members[1]!, minute(40), 'Alpha late')).questionId;
    await run(t.db, (trx) => compileOrderPaper(trx, clerk, { meetingId }, { now }));
    const all = await entries(meetingId);
    assert.ok(all.some((e) => e.question_id === late));
    assert.ok(all.every((e) => e.published_at?.getTime() === now.getTime()));
    assert.equal((await audits(meetingId)).at(-1)?.to_state, 'published');
    await run(t.db, (trx) => moveOnOrderPaper(trx, clerk, { meetingId, questionId: q.b2, direction: 'up' }, { now }));
    assert.ok((await entries(meetingId)).every((e) => e.published_at !== null));
  });

  test('refuses to publish a paper that leaves out an accepted oral question, or a cancelled meeting', async () => {
    const { w, beta } = await setup();
    const meetingId = w.meetings.future.id;
    const clerk = w.actors.clerk;
    await run(t.db, (trx) => compileOrderPaper(trx, clerk, { meetingId }, { now }));
    await acceptedOral(t.db, w, beta.members[1]!, minute(50), 'Beta late');
    const missing = await refused('conflict', meetingId, (trx) => publishOrderPaper(trx, clerk, { meetingId }, { now }));
    assert.match(missing.message, /1 accepted oral question is not on the order paper/);

    const cancelledId = w.meetings.cancelled.id;
    assert.match((await refused('conflict', cancelledId, (trx) => publishOrderPaper(trx, clerk, { meetingId: cancelledId }, { now }))).message, /cancelled/);
  });
});
