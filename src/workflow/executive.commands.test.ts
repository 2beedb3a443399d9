import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { abandonDraft, approveDraft, editAnswerDraft, returnDraft, submitDraft, writeAnswerDraft } from './answer-draft.commands.ts';
import { allocateQuestion, transferQuestion } from './executive.commands.ts';
import { withdrawQuestion } from './member.commands.ts';
import { publishDraft } from './publish.commands.ts';
import {
  acceptedQuestion,
  auditActions,
  createWorld,
  draftAnswer,
  expectRefusal,
  mailTo,
  publishedAnswer,
  run,
  tabledQuestion,
  type World,
} from './test-factories.ts';

let t: TestDatabase;
let w: World;
const now = new Date();

before(async () => {
  t = await createTestDatabase();
  w = await createWorld(t.db, now);
});
after(async () => {
  await t.close();
});

const question = (id: number) => t.db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const draft = (id: number) => t.db.selectFrom('answer_drafts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const versions = (questionId: number) => t.db.selectFrom('answer_versions').selectAll().where('question_id', '=', questionId).orderBy('version').execute();

async function allocatedToPolice(): Promise<{ questionId: number; reference: string }> {
  const q = await acceptedQuestion(t.db, w);
  await run(t.db, (trx) => allocateQuestion(trx, w.actors.approver, { questionId: q.questionId, answeringBodyId: w.policeId, officerId: w.actors.policeOfficer.userId }));
  return q;
}

describe('allocateQuestion and transferQuestion', () => {
  test('the Mayor’s office allocates an accepted question to a body and officer', async () => {
    const { questionId } = await acceptedQuestion(t.db, w);
    const { allocationId } = await run(t.db, (trx) =>
      allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId, officerId: w.actors.policeOfficer.userId }, { now }),
    );
    const allocation = await t.db.selectFrom('allocations').selectAll().where('id', '=', allocationId).executeTakeFirstOrThrow();
    assert.deepEqual(
      [allocation.question_id, allocation.answering_body_id, allocation.officer_id, allocation.allocated_by_id, allocation.ended_at],
      [questionId, w.policeId, w.actors.policeOfficer.userId, w.actors.approver.userId, null],
    );
    assert.equal((await question(questionId)).answering_body_id, w.policeId);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', questionId).where('action', '=', 'question.allocated').executeTakeFirstOrThrow();
    assert.deepEqual(audit.details, { allocationId, answeringBodyId: w.policeId, officerId: w.actors.policeOfficer.userId });
  });

  test('allocation refusals change nothing', async () => {
    const tabled = await tabledQuestion(t.db, w);
    await expectRefusal(t.db, 'conflict', (trx) => allocateQuestion(trx, w.actors.approver, { questionId: tabled, answeringBodyId: w.policeId }));
    const { questionId } = await acceptedQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => allocateQuestion(trx, w.actors.policeOfficer, { questionId, answeringBodyId: w.policeId }));
    await expectRefusal(t.db, 'forbidden', (trx) => allocateQuestion(trx, w.actors.clerk, { questionId, answeringBodyId: w.policeId }));
    const notABody = await expectRefusal(t.db, 'validation_failed', (trx) => allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.assemblyId }));
    assert.deepEqual(notABody.fields, { answeringBodyId: 'Choose an answering body from the list' });
    const wrongOfficer = await expectRefusal(t.db, 'validation_failed', (trx) =>
      allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId, officerId: w.actors.transportOfficer.userId }),
    );
    assert.deepEqual(wrongOfficer.fields, { officerId: 'Choose an officer of that answering body' });
    await run(t.db, (trx) => allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId }));
    const twice = await expectRefusal(t.db, 'conflict', (trx) => allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.transportId }));
    assert.match(twice.message, /transfer it instead/);
  });

  test('a transfer ends the allocation with its reason and starts another', async () => {
    const { questionId } = await allocatedToPolice();
    const { allocationId } = await run(t.db, (trx) =>
      transferQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.transportId, reason: 'About bus lanes, not policing.' }, { now }),
    );
    const all = await t.db.selectFrom('allocations').selectAll().where('question_id', '=', questionId).orderBy('id').execute();
    assert.equal(all.length, 2);
    assert.equal(all[0]?.ended_at?.getTime(), now.getTime());
    assert.equal(all[0]?.transfer_reason, 'About bus lanes, not policing.');
    assert.deepEqual([all[1]?.id, all[1]?.answering_body_id, all[1]?.ended_at], [allocationId, w.transportId, null]);
    assert.equal((await question(questionId)).answering_body_id, w.transportId);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_id', '=', questionId).where('action', '=', 'question.transferred').executeTakeFirstOrThrow();
    assert.deepEqual(audit.details, {
      allocationId,
      fromAnsweringBodyId: w.policeId,
      toAnsweringBodyId: w.transportId,
      officerId: null,
      reason: 'About bus lanes, not policing.',
    });
    // The police officer has lost it; transport has it.
    await expectRefusal(t.db, 'forbidden', (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'holding', body: 'Drafting.' }));
    await run(t.db, (trx) => writeAnswerDraft(trx, w.actors.transportOfficer, { questionId, kind: 'holding', body: 'Drafting.' }));
  });

  test('transfer refusals change nothing', async () => {
    const { questionId } = await acceptedQuestion(t.db, w);
    const notYet = await expectRefusal(t.db, 'conflict', (trx) => transferQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId, reason: 'x' }));
    assert.match(notYet.message, /allocate it instead/);
    await run(t.db, (trx) => allocateQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId }));
    await expectRefusal(t.db, 'conflict', (trx) => transferQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.policeId, reason: 'x' }));
    const noReason = await expectRefusal(t.db, 'validation_failed', (trx) => transferQuestion(trx, w.actors.approver, { questionId, answeringBodyId: w.transportId, reason: '' }));
    assert.deepEqual(noReason.fields, { reason: 'Enter the reason for the transfer' });
    await expectRefusal(t.db, 'forbidden', (trx) => transferQuestion(trx, w.actors.policeOfficer, { questionId, answeringBodyId: w.transportId, reason: 'x' }));
  });
});

describe('draft answers', () => {
  test('officer drafts and submits; approver returns with a comment; officer revises; approver approves', async () => {
    const { questionId } = await allocatedToPolice();
    const officer = w.actors.policeOfficer;
    const { draftId } = await run(t.db, (trx) => writeAnswerDraft(trx, officer, { questionId, kind: 'substantive', body: 'First attempt.' }));
    assert.deepEqual([(await draft(draftId)).state, (await draft(draftId)).author_id], ['drafting', officer.userId]);
    await run(t.db, (trx) => editAnswerDraft(trx, officer, { draftId, body: 'Second attempt.' }));
    await run(t.db, (trx) => submitDraft(trx, officer, { draftId }));
    await expectRefusal(t.db, 'conflict', (trx) => editAnswerDraft(trx, officer, { draftId, body: 'Sneaky change' }));
    const { commentId } = await run(t.db, (trx) => returnDraft(trx, w.actors.approver, { draftId, comment: 'Give the figures for 2025.' }));
    const comment = await t.db.selectFrom('draft_comments').selectAll().where('id', '=', commentId).executeTakeFirstOrThrow();
    assert.deepEqual([comment.draft_id, comment.author_id, comment.body], [draftId, w.actors.approver.userId, 'Give the figures for 2025.']);
    assert.equal((await draft(draftId)).state, 'returned');
    await run(t.db, (trx) => editAnswerDraft(trx, officer, { draftId, body: 'Third attempt, with figures.' }));
    await run(t.db, (trx) => submitDraft(trx, officer, { draftId }));
    await run(t.db, (trx) => editAnswerDraft(trx, w.actors.approver, { draftId, body: 'Approved wording.' }));
    await run(t.db, (trx) => approveDraft(trx, w.actors.approver, { draftId }, { now }));
    const approved = await draft(draftId);
    assert.deepEqual([approved.state, approved.approved_by_id, approved.approved_at?.getTime(), approved.body], ['approved', w.actors.approver.userId, now.getTime(), 'Approved wording.']);
    assert.deepEqual(await auditActions(t.db, 'answer_draft', draftId), [
      'answer_draft.created',
      'answer_draft.edited',
      'answer_draft.submitted',
      'answer_draft.returned',
      'answer_draft.edited',
      'answer_draft.submitted',
      'answer_draft.edited',
      'answer_draft.approved',
    ]);
  });

  test('draft refusals change nothing', async () => {
    const { questionId } = await allocatedToPolice();
    await expectRefusal(t.db, 'forbidden', (trx) => writeAnswerDraft(trx, w.actors.transportOfficer, { questionId, kind: 'substantive', body: 'x' }));
    await expectRefusal(t.db, 'forbidden', (trx) => writeAnswerDraft(trx, w.actors.clerk, { questionId, kind: 'substantive', body: 'x' }));
    await expectRefusal(t.db, 'forbidden', (trx) => writeAnswerDraft(trx, w.actors.member, { questionId, kind: 'substantive', body: 'x' }));
    const unallocated = await acceptedQuestion(t.db, w);
    await expectRefusal(t.db, 'forbidden', (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId: unallocated.questionId, kind: 'substantive', body: 'x' }));
    await expectRefusal(t.db, 'conflict', (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'correction', body: 'x', correctionNote: 'y' }));
    const noNote = await expectRefusal(t.db, 'validation_failed', (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'correction', body: 'x' }));
    assert.deepEqual(noNote.fields, { correctionNote: 'Say what the correction changes' });
    const stray = await expectRefusal(t.db, 'validation_failed', (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'holding', body: '', correctionNote: 'y' }));
    assert.deepEqual(stray.fields, { body: 'Enter the text of the answer', correctionNote: 'Only a correction has a note of what changed' });
    const tabled = await tabledQuestion(t.db, w);
    await expectRefusal(t.db, 'conflict', (trx) => writeAnswerDraft(trx, w.actors.approver, { questionId: tabled, kind: 'substantive', body: 'x' }));

    const { draftId } = await run(t.db, (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'substantive', body: 'x' }));
    const second = await expectRefusal(t.db, 'conflict', (trx) => writeAnswerDraft(trx, w.actors.approver, { questionId, kind: 'holding', body: 'y' }));
    assert.match(second.message, /already has a draft answer in progress/);
    await expectRefusal(t.db, 'forbidden', (trx) => editAnswerDraft(trx, w.actors.transportOfficer, { draftId, body: 'z' }));
    await expectRefusal(t.db, 'validation_failed', (trx) => editAnswerDraft(trx, w.actors.policeOfficer, { draftId, correctionNote: 'not a correction' }));
    await expectRefusal(t.db, 'conflict', (trx) => returnDraft(trx, w.actors.approver, { draftId, comment: 'Not submitted yet' }));
    await expectRefusal(t.db, 'conflict', (trx) => approveDraft(trx, w.actors.approver, { draftId }));
    await expectRefusal(t.db, 'conflict', (trx) => publishDraft(trx, w.actors.approver, { draftId }));
    await run(t.db, (trx) => submitDraft(trx, w.actors.policeOfficer, { draftId }));
    await expectRefusal(t.db, 'forbidden', (trx) => approveDraft(trx, w.actors.policeOfficer, { draftId }));
    await expectRefusal(t.db, 'forbidden', (trx) => returnDraft(trx, w.actors.clerk, { draftId, comment: 'x' }));
    await expectRefusal(t.db, 'validation_failed', (trx) => returnDraft(trx, w.actors.approver, { draftId, comment: ' ' }));
    await expectRefusal(t.db, 'not_found', (trx) => submitDraft(trx, w.actors.policeOfficer, { draftId: 999_999 }));
  });

  test('an abandoned draft makes way for a new one', async () => {
    const { questionId } = await allocatedToPolice();
    const { draftId } = await run(t.db, (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'substantive', body: 'x' }));
    await run(t.db, (trx) => abandonDraft(trx, w.actors.policeOfficer, { draftId, reason: 'Started again.' }));
    assert.equal((await draft(draftId)).state, 'abandoned');
    await expectRefusal(t.db, 'conflict', (trx) => submitDraft(trx, w.actors.policeOfficer, { draftId }));
    await expectRefusal(t.db, 'conflict', (trx) => abandonDraft(trx, w.actors.policeOfficer, { draftId }));
    await run(t.db, (trx) => writeAnswerDraft(trx, w.actors.policeOfficer, { questionId, kind: 'substantive', body: 'y' }));
  });

  test('once the member withdraws, the draft cannot be approved, only abandoned', async () => {
    const { questionId } = await allocatedToPolice();
    const draftId = await draftAnswer(t.db, w, questionId, { until: 'submitted' });
    await run(t.db, (trx) => withdrawQuestion(trx, w.actors.member, { questionId }));
    const refusal = await expectRefusal(t.db, 'conflict', (trx) => approveDraft(trx, w.actors.approver, { draftId }));
    assert.equal(refusal.message, 'This question has been withdrawn, so its answer cannot be approved.');
    await run(t.db, (trx) => abandonDraft(trx, w.actors.approver, { draftId }));
  });
});

describe('publishDraft', () => {
  test('publishes a version under the Mayor’s name and mails the member the published text only', async () => {
    const { questionId, reference } = await allocatedToPolice();
    const officer = w.actors.policeOfficer;
    const { draftId } = await run(t.db, (trx) => writeAnswerDraft(trx, officer, { questionId, kind: 'substantive', body: 'INTERNAL FIRST DRAFT with guesses.' }));
    await run(t.db, (trx) => submitDraft(trx, officer, { draftId }));
    await run(t.db, (trx) => returnDraft(trx, w.actors.approver, { draftId, comment: 'CONFIDENTIAL: do not mention the review.' }));
    await run(t.db, (trx) => editAnswerDraft(trx, officer, { draftId, body: 'The unit is funded until March.\nA review is under way.' }));
    await run(t.db, (trx) => submitDraft(trx, officer, { draftId }));
    await run(t.db, (trx) => approveDraft(trx, w.actors.approver, { draftId, comment: 'PRIVATE approval note' }));

    const published = await run(t.db, (trx) => publishDraft(trx, w.actors.approver, { draftId }, { now, publicUrl: 'https://answerable.example' }));
    assert.equal(published.version, 1);
    assert.equal(published.notified, 2);
    const [v] = await versions(questionId);
    assert.ok(v);
    const mayor = await t.db.selectFrom('memberships').select('label').where('person_id', '=', w.mayorId).where('role', '=', 'mayor').executeTakeFirstOrThrow();
    assert.deepEqual(
      [v.id, v.kind, v.delivery, v.body, v.answered_by_id, v.answered_by_label, v.published_at.getTime(), v.corrects_version_id],
      [published.answerVersionId, 'substantive', 'written', 'The unit is funded until March.\nA review is under way.', w.mayorId, mayor.label, now.getTime(), null],
    );
    const d = await draft(draftId);
    assert.deepEqual([d.state, d.published_version_id], ['published', v.id]);
    const audit = await t.db.selectFrom('audit_events').selectAll().where('record_type', '=', 'answer_version').where('record_id', '=', v.id).execute();
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0]?.action, audit[0]?.from_state, audit[0]?.to_state], ['answer_version.published', 'approved', 'published']);

    for (const actor of [w.actors.member, w.actors.staff]) {
      const mail = (await mailTo(t.db, actor.email)).filter((m) => m.kind === 'answer_published' && m.subject.includes(reference));
      assert.equal(mail.length, 1);
      assert.equal(mail[0]?.subject, `Answer published: ${reference} Bus reliability`);
      const body = mail[0]?.body_text ?? '';
      assert.ok(body.includes('The unit is funded until March.\nA review is under way.'));
      assert.ok(body.includes(reference) && body.includes('Bus reliability'));
      assert.ok(body.includes(`https://answerable.example/questions/${reference}`));
    }
    const everything = await t.db.selectFrom('outbox').select(['subject', 'body_text']).execute();
    for (const secret of ['INTERNAL FIRST DRAFT', 'CONFIDENTIAL', 'PRIVATE approval', 'Police Service', officer.displayName, w.actors.approver.displayName]) {
      assert.ok(!everything.some((m) => m.subject.includes(secret) || m.body_text.includes(secret)), `mail mentions ${secret}`);
    }

    const again = await expectRefusal(t.db, 'conflict', (trx) => publishDraft(trx, w.actors.approver, { draftId }));
    assert.equal(again.message, 'This draft answer has already been published, so it cannot be published.');
    await assert.rejects(t.db.updateTable('answer_versions').set({ body: 'rewritten' }).where('id', '=', v.id).execute(), /cannot be changed/);
  });

  test('holding, then substantive, then a correction: versions in order, never overwritten', async () => {
    const { questionId, reference } = await allocatedToPolice();
    const holding = await publishedAnswer(t.db, w, questionId, { kind: 'holding', body: 'Officers are drafting a response.' });
    const substantive = await publishedAnswer(t.db, w, questionId, { kind: 'substantive', body: 'Funding is 435,000 pounds.' });
    await expectRefusal(t.db, 'conflict', (trx) => writeAnswerDraft(trx, w.actors.approver, { questionId, kind: 'holding', body: 'Again?' }));
    await expectRefusal(t.db, 'conflict', (trx) => writeAnswerDraft(trx, w.actors.approver, { questionId, kind: 'substantive', body: 'Again?' }));
    await expectRefusal(t.db, 'validation_failed', (trx) =>
      writeAnswerDraft(trx, w.actors.approver, { questionId, kind: 'correction', body: 'x', correctionNote: 'y', correctsVersionId: holding.answerVersionId }),
    );
    const { draftId } = await run(t.db, (trx) =>
      writeAnswerDraft(trx, w.actors.approver, { questionId, kind: 'correction', body: 'Funding is 453,000 pounds.', correctionNote: 'The figure was transposed.' }),
    );
    await run(t.db, (trx) => submitDraft(trx, w.actors.approver, { draftId }));
    await run(t.db, (trx) => approveDraft(trx, w.actors.approver, { draftId }));
    await run(t.db, (trx) => publishDraft(trx, w.actors.approver, { draftId }));
    const all = await versions(questionId);
    assert.deepEqual(
      all.map((v) => [v.version, v.kind, v.body, v.corrects_version_id, v.correction_note]),
      [
        [1, 'holding', 'Officers are drafting a response.', null, null],
        [2, 'substantive', 'Funding is 435,000 pounds.', null, null],
        [3, 'correction', 'Funding is 453,000 pounds.', substantive.answerVersionId, 'The figure was transposed.'],
      ],
    );
    const subjects = (await mailTo(t.db, w.actors.member.email)).filter((m) => m.subject.includes(reference)).map((m) => m.subject);
    assert.deepEqual(subjects, [
      `Question accepted: ${reference} Bus reliability`,
      `Holding answer published: ${reference} Bus reliability`,
      `Answer published: ${reference} Bus reliability`,
      `Correction published: ${reference} Bus reliability`,
    ]);
    const correctionMail = (await mailTo(t.db, w.actors.member.email)).find((m) => m.subject.startsWith('Correction'));
    assert.ok(correctionMail?.body_text.includes('What changed: The figure was transposed.'));
  });

  test('a deputy mayor can be named as answering; anyone else cannot', async () => {
    const { questionId } = await allocatedToPolice();
    const draftId = await draftAnswer(t.db, w, questionId);
    const notAnOffice = await expectRefusal(t.db, 'validation_failed', (trx) => publishDraft(trx, w.actors.approver, { draftId, answeredById: w.memberPersonId }));
    assert.deepEqual(notAnOffice.fields, { answeredById: 'Choose the Mayor, a deputy mayor or a commissioner in office today' });
    await run(t.db, (trx) => publishDraft(trx, w.actors.approver, { draftId, answeredById: w.deputyMayorId }));
    const [v] = await versions(questionId);
    assert.equal(v?.answered_by_id, w.deputyMayorId);
    const deputy = await t.db.selectFrom('memberships').select('label').where('person_id', '=', w.deputyMayorId).executeTakeFirstOrThrow();
    assert.equal(v?.answered_by_label, deputy.label);
  });

  test('an answer recorded elsewhere in the meantime (an oral answer, say) stops a second substantive answer at publication', async () => {
    const { questionId } = await allocatedToPolice();
    const draftId = await draftAnswer(t.db, w, questionId);
    await t.db
      .insertInto('answer_versions')
      .values({ question_id: questionId, version: 1, kind: 'substantive', delivery: 'oral', body: 'Said at the meeting.', answered_by_id: w.mayorId, answered_by_label: 'Mayor', published_at: now })
      .execute();
    const refusal = await expectRefusal(t.db, 'conflict', (trx) => publishDraft(trx, w.actors.approver, { draftId }));
    assert.match(refusal.message, /already has a substantive answer/);
  });

  test('publish refusals change nothing', async () => {
    const { questionId } = await allocatedToPolice();
    const draftId = await draftAnswer(t.db, w, questionId);
    await expectRefusal(t.db, 'forbidden', (trx) => publishDraft(trx, w.actors.policeOfficer, { draftId }));
    await expectRefusal(t.db, 'forbidden', (trx) => publishDraft(trx, w.actors.clerk, { draftId }));
    await expectRefusal(t.db, 'forbidden', (trx) => publishDraft(trx, w.actors.member, { draftId }));
    await expectRefusal(t.db, 'validation_failed', (trx) => publishDraft(trx, w.actors.approver, { draftId: 0 }));
    await expectRefusal(t.db, 'not_found', (trx) => publishDraft(trx, w.actors.approver, { draftId: 999_999 }));
  });
});
