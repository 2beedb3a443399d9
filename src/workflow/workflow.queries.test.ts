import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { returnDraft, submitDraft, writeAnswerDraft } from './answer-draft.commands.ts';
import { markAsked, rejectQuestion } from './clerk.commands.ts';
import { clerkQueue } from './clerk.queries.ts';
import { allocateQuestion } from './executive.commands.ts';
import { officerQueue, submittedDrafts, unallocatedQuestions } from './executive.queries.ts';
import { questionWorkflow } from './question-workflow.queries.ts';
import { memberQuestions } from './member.queries.ts';
import {
  acceptedQuestion,
  createWorld,
  draftAnswer,
  draftQuestion,
  expectRefusal,
  noonAfter,
  publishedAnswer,
  run,
  tabledQuestion,
  type World,
} from './test-factories.ts';

let t: TestDatabase;
let w: World;
const now = new Date();

// One scene, built once: questions in every state, for one member, with the executive's work under way.
let scene: {
  draft: number;
  tabledEarly: number;
  tabledLate: number;
  rejected: number;
  answered: { questionId: number; reference: string };
  holding: { questionId: number; reference: string };
  unallocated: { questionId: number; reference: string };
  dueLater: { questionId: number; reference: string };
  otherMembers: number;
  submittedDraftId: number;
};
let afterMeeting: Date;
let weeksLater: Date;

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
  const approver = w.actors.approver;
  const earlier = new Date(now.getTime() - 3_600_000);
  const draft = await draftQuestion(t.db, w, { title: 'Still drafting' });
  const tabledLate = await tabledQuestion(t.db, w, { title: 'Tabled second', now });
  const tabledEarly = await tabledQuestion(t.db, w, { title: 'Tabled first', now: earlier });
  const rejected = await tabledQuestion(t.db, w, { title: 'Rejected one' });
  await run(t.db, (trx) => rejectQuestion(trx, w.actors.clerk, { questionId: rejected, reason: 'Not within the Mayor’s powers.' }));
  const answered = await acceptedQuestion(t.db, w, { title: 'Answered one' });
  const holding = await acceptedQuestion(t.db, w, { title: 'Holding one' });
  const unallocated = await acceptedQuestion(t.db, w, { title: 'Nobody has it' });
  const otherMembers = (await acceptedQuestion(t.db, w, { title: 'Not yours', asker: w.actors.otherMember })).questionId;
  afterMeeting = noonAfter(w.meetings.future.meetsOn, 1);
  weeksLater = noonAfter(w.meetings.future.meetsOn, 30);
  await run(t.db, (trx) => markAsked(trx, w.actors.clerk, { meetingId: w.meetings.future.id }, { now: afterMeeting }));
  // Accepted after the meeting for a later one: due later, so it sorts after the overdue ones.
  const dueLater = await acceptedQuestion(t.db, w, { title: 'Due later', meeting: w.meetings.later });

  for (const q of [answered, holding, dueLater]) {
    await run(t.db, (trx) => allocateQuestion(trx, approver, { questionId: q.questionId, answeringBodyId: w.policeId }));
  }
  await run(t.db, (trx) => allocateQuestion(trx, approver, { questionId: otherMembers, answeringBodyId: w.transportId }));
  await publishedAnswer(t.db, w, answered.questionId, { body: 'The published answer.' });
  await publishedAnswer(t.db, w, holding.questionId, { kind: 'holding', body: 'Officers are drafting a response.' });
  const { draftId: submittedDraftId } = await run(t.db, (trx) =>
    writeAnswerDraft(trx, w.actors.policeOfficer, { questionId: holding.questionId, kind: 'substantive', body: 'SECRET draft text' }),
  );
  await run(t.db, (trx) => submitDraft(trx, w.actors.policeOfficer, { draftId: submittedDraftId }));
  scene = { draft, tabledEarly, tabledLate, rejected, answered, holding, unallocated, dueLater, otherMembers, submittedDraftId };
});
after(async () => {
  await t.close();
});

describe('memberQuestions', () => {
  test('the member (and their staff) see all their own questions, in every state, with published answers only', async () => {
    const mine = await memberQuestions(t.db, w.actors.member, { now: weeksLater });
    const byStaff = await memberQuestions(t.db, w.actors.staff, { now: weeksLater });
    assert.deepEqual(byStaff, mine);
    const ids = mine.map((q) => q.id);
    for (const id of [scene.draft, scene.tabledEarly, scene.tabledLate, scene.rejected, scene.answered.questionId, scene.holding.questionId]) {
      assert.ok(ids.includes(id), `question ${id} missing`);
    }
    assert.ok(!ids.includes(scene.otherMembers));
    const find = (id: number) => mine.find((q) => q.id === id);
    assert.deepEqual([find(scene.draft)?.state, find(scene.draft)?.reference], ['draft', null]);
    assert.equal(find(scene.rejected)?.rejectionReason, 'Not within the Mayor’s powers.');
    const answered = find(scene.answered.questionId);
    assert.equal(answered?.reference, scene.answered.reference);
    assert.deepEqual(
      answered?.answers.map((a) => [a.version, a.kind, a.body]),
      [[1, 'substantive', 'The published answer.']],
    );
    assert.equal(answered?.overdue, false);
    const holding = find(scene.holding.questionId);
    assert.deepEqual(
      holding?.answers.map((a) => a.kind),
      ['holding'],
    );
    // Past the deadline with only a holding answer: overdue. And the executive's draft is nowhere.
    assert.equal(holding?.overdue, true);
    assert.ok(!JSON.stringify(mine).includes('SECRET'));
    assert.ok(holding?.dueOn !== null && holding?.askedOn === w.meetings.future.meetsOn);
  });

  test('only members and their staff have questions of their own', async () => {
    for (const actor of [w.actors.clerk, w.actors.approver, w.actors.policeOfficer, w.actors.admin]) {
      await assert.rejects(memberQuestions(t.db, actor), { code: 'forbidden' });
    }
  });
});

describe('clerkQueue', () => {
  test('tabled questions, oldest first; nothing else', async () => {
    const queue = await clerkQueue(t.db, w.actors.clerk);
    const ours = queue.filter((q) => [scene.tabledEarly, scene.tabledLate, scene.draft, scene.rejected, scene.answered.questionId].includes(q.id));
    assert.deepEqual(
      ours.map((q) => q.title),
      ['Tabled first', 'Tabled second'],
    );
    assert.equal(ours[0]?.asker.id, w.memberPersonId);
    for (let i = 1; i < queue.length; i++) assert.ok((queue[i - 1]?.tabledAt?.getTime() ?? 0) <= (queue[i]?.tabledAt?.getTime() ?? 0));
    await assert.rejects(clerkQueue(t.db, w.actors.member), { code: 'forbidden' });
  });
});

describe("the Mayor's office lists", () => {
  test('accepted questions nobody has and that still need an answer', async () => {
    const list = await unallocatedQuestions(t.db, w.actors.approver);
    const ids = list.map((q) => q.id);
    assert.ok(ids.includes(scene.unallocated.questionId));
    for (const id of [scene.answered.questionId, scene.holding.questionId, scene.otherMembers, scene.tabledEarly, scene.draft]) assert.ok(!ids.includes(id));
    await assert.rejects(unallocatedQuestions(t.db, w.actors.policeOfficer), { code: 'forbidden' });
  });

  test('submitted drafts', async () => {
    const list = await submittedDrafts(t.db, w.actors.approver);
    const ours = list.find((d) => d.draftId === scene.submittedDraftId);
    assert.equal(ours?.question.reference, scene.holding.reference);
    assert.equal(ours?.author?.id, w.actors.policeOfficer.userId);
    assert.ok(list.every((d) => d.draftId !== undefined));
    await assert.rejects(submittedDrafts(t.db, w.actors.clerk), { code: 'forbidden' });
  });
});

describe('officerQueue', () => {
  test("the body's questions that still need work: overdue first, then by deadline", async () => {
    const queue = await officerQueue(t.db, w.actors.policeOfficer, { now: weeksLater });
    assert.deepEqual(
      queue.map((e) => [e.questionId, e.overdue]),
      [
        [scene.holding.questionId, true],
        [scene.dueLater.questionId, false],
      ],
    );
    assert.deepEqual(queue[0]?.openDraft, { id: scene.submittedDraftId, state: 'submitted', kind: 'substantive' });
    assert.equal(queue[0]?.hasHoldingAnswer, true);
    assert.deepEqual(
      (await officerQueue(t.db, w.actors.transportOfficer)).map((e) => e.questionId),
      [scene.otherMembers],
    );
    await assert.rejects(officerQueue(t.db, w.actors.approver), { code: 'forbidden' });
  });

  test('an answered question comes back while a correction is being drafted', async () => {
    const draftId = await draftAnswer(t.db, w, scene.answered.questionId, { kind: 'correction', until: 'drafting' });
    const queue = await officerQueue(t.db, w.actors.policeOfficer, { now: weeksLater });
    const entry = queue.find((e) => e.questionId === scene.answered.questionId);
    assert.deepEqual([entry?.overdue, entry?.openDraft?.id], [false, draftId]);
  });
});

describe('questionWorkflow', () => {
  test("the Mayor's office sees allocations, drafts with comments, versions and the history", async () => {
    await run(t.db, (trx) => returnDraft(trx, w.actors.approver, { draftId: scene.submittedDraftId, comment: 'Add the dates.' }));
    const view = await questionWorkflow(t.db, w.actors.approver, scene.holding.questionId);
    assert.equal(view.question.reference, scene.holding.reference);
    assert.deepEqual(
      view.allocations.map((a) => [a.answeringBody.id, a.endedAt]),
      [[w.policeId, null]],
    );
    const drafts = view.drafts.map((d) => [d.kind, d.state, d.comments.map((c) => c.body)]);
    assert.deepEqual(drafts, [
      ['holding', 'published', []],
      ['substantive', 'returned', ['Add the dates.']],
    ]);
    assert.deepEqual(
      view.versions.map((v) => v.kind),
      ['holding'],
    );
    assert.deepEqual(
      view.history.map((h) => h.action),
      [
        'question.drafted',
        'question.tabled',
        'question.accepted',
        'question.asked',
        'question.allocated',
        'answer_draft.created',
        'answer_draft.submitted',
        'answer_draft.approved',
        'answer_version.published',
        'answer_draft.created',
        'answer_draft.submitted',
        'answer_draft.returned',
      ],
    );
    // The officer of the allocated body may look; nobody else outside the Mayor's office.
    await questionWorkflow(t.db, w.actors.policeOfficer, scene.holding.questionId);
    await questionWorkflow(t.db, w.actors.admin, scene.holding.questionId);
    for (const actor of [w.actors.transportOfficer]) await assert.rejects(questionWorkflow(t.db, actor, scene.holding.questionId), { code: 'forbidden' });
    for (const actor of [w.actors.clerk, w.actors.member, w.actors.staff, w.actors.pressOfficer]) {
      await assert.rejects(questionWorkflow(t.db, actor, scene.holding.questionId), { code: 'forbidden' });
    }
  });

  test("members' drafts and tabled questions are not the executive's business", async () => {
    await assert.rejects(questionWorkflow(t.db, w.actors.approver, scene.draft), { code: 'not_found' });
    await assert.rejects(questionWorkflow(t.db, w.actors.approver, scene.tabledEarly), { code: 'not_found' });
    await expectRefusal(t.db, 'not_found', (trx) => questionWorkflow(trx, w.actors.approver, 999_999));
  });
});
