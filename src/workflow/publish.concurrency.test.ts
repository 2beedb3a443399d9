// Two approvers publishing the same draft at once: exactly one version, one audit event, one set of mail.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { AppError, isAppError } from '../errors/app-error.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { publishDraft } from './publish.commands.ts';
import { acceptedQuestion, createWorld, draftAnswer, expectRefusal, run, type World } from './test-factories.ts';

let t: TestDatabase;
let w: World;

before(async () => {
  t = await createTestDatabase({ poolSize: 6 });
  w = await createWorld(t.db, new Date());
});
after(async () => {
  await t.close();
});

async function approvedDraft(): Promise<{ questionId: number; draftId: number; reference: string }> {
  const { questionId, reference } = await acceptedQuestion(t.db, w);
  return { questionId, reference, draftId: await draftAnswer(t.db, w, questionId) };
}

async function outcome(questionId: number, draftId: number, reference: string) {
  const versions = await t.db.selectFrom('answer_versions').select('id').where('question_id', '=', questionId).execute();
  const published = await t.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'answer_version.published')
    .where(
      'record_id',
      'in',
      versions.map((v) => v.id),
    )
    .execute();
  const draft = await t.db.selectFrom('answer_drafts').select(['state', 'published_version_id']).where('id', '=', draftId).executeTakeFirstOrThrow();
  const mail = await t.db
    .selectFrom('outbox')
    .select('id')
    .where('kind', '=', 'answer_published')
    .where('recipient', 'in', [w.actors.member.email, w.actors.staff.email])
    .where('subject', 'like', `%${reference}%`)
    .execute();
  return { versions: versions.length, audit: published.length, draft, mail: mail.length };
}

/** Exactly one fulfilled, and the other refused with 'conflict' (an AppError, not a database error). */
function assertOneWins(results: PromiseSettledResult<unknown>[]): void {
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(won.length, 1, `winners: ${won.length}`);
  assert.equal(lost.length, 1);
  const error: unknown = lost[0]?.reason;
  assert.ok(isAppError(error), `the loser failed with ${String(error)}`);
  assert.equal(error.code, 'conflict');
  assert.equal(error.message, 'This draft answer has already been published, so it cannot be published.');
}

/** Waits until some other session of this database is blocked waiting for a row lock. */
async function someoneWaitsForALock(db: Db): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`.execute(db);
    if ((rows[0]?.n ?? 0) > 0) return;
    await sleep(20);
  }
  throw new Error('the second approver never waited for the lock');
}

test('the second approver waits for the first, then finds the draft published (server: truly overlapping transactions)', async (ctx) => {
  if (t.mode !== 'server') {
    ctx.skip('needs concurrent connections: PGlite serves one at a time (see the interleaved test below)');
    return;
  }
  const { questionId, draftId, reference } = await approvedDraft();
  let firstHasPublished!: () => void;
  const published = new Promise<void>((resolve) => (firstHasPublished = resolve));
  // The first approver publishes and, before committing, holds its locks until the second is seen waiting.
  const first = run(t.db, async (trx) => {
    const result = await publishDraft(trx, w.actors.approver, { draftId });
    firstHasPublished();
    await someoneWaitsForALock(t.db);
    return result;
  });
  const second = published.then(() => run(t.db, (trx) => publishDraft(trx, w.actors.otherApprover, { draftId })));
  assertOneWins(await Promise.allSettled([first, second]));
  assert.deepEqual(await outcome(questionId, draftId, reference), {
    versions: 1,
    audit: 1,
    draft: { state: 'published', published_version_id: (await first).answerVersionId },
    mail: 2,
  });
});

test('racing publishes without choreography: always exactly one winner', async () => {
  for (let round = 0; round < 5; round++) {
    const { questionId, draftId, reference } = await approvedDraft();
    const results = await Promise.allSettled([
      run(t.db, (trx) => publishDraft(trx, w.actors.approver, { draftId })),
      run(t.db, (trx) => publishDraft(trx, w.actors.otherApprover, { draftId })),
    ]);
    assertOneWins(results);
    const seen = await outcome(questionId, draftId, reference);
    assert.deepEqual([seen.versions, seen.audit, seen.mail, seen.draft.state], [1, 1, 2, 'published']);
  }
});

test('interleaved: both approvers load the approved draft, one publishes, the other then tries', async () => {
  const { questionId, draftId, reference } = await approvedDraft();
  // Both pages were rendered while the draft was approved.
  const seenByBoth = await t.db.selectFrom('answer_drafts').select('state').where('id', '=', draftId).executeTakeFirstOrThrow();
  assert.equal(seenByBoth.state, 'approved');
  await run(t.db, (trx) => publishDraft(trx, w.actors.otherApprover, { draftId }));
  const refusal = await expectRefusal(t.db, 'conflict', (trx) => publishDraft(trx, w.actors.approver, { draftId }));
  assert.equal(refusal.message, 'This draft answer has already been published, so it cannot be published.');
  const seen = await outcome(questionId, draftId, reference);
  assert.deepEqual([seen.versions, seen.audit, seen.mail], [1, 1, 2]);
});

test('the refusal helper itself notices a command that writes before refusing', async () => {
  await assert.rejects(
    expectRefusal(t.db, 'conflict', async (trx) => {
      await trx.insertInto('topics').values({ slug: `sneaky-${w.tag}`, name: 'Sneaky' }).execute();
      await trx.insertInto('audit_events').values({ actor_label: 'test', action: 'test.sneaky', record_type: 'question', record_id: 1 }).execute();
      throw new AppError('conflict', 'refused after writing');
    }),
    /changed the database/,
  );
});
