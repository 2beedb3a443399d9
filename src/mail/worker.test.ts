// The outbox worker against a real migrated database and a real SMTP server on loopback.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import type { Db } from '../db/database.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { enqueueMail } from './outbox.ts';
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from './retry-schedule.ts';
import { closedSmtpUrl, startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.ts';
import { createMailWorker, describeDeliveryError, type MailLogger, type MailSettings, type MailWorker } from './worker.ts';

const FROM = 'Answerable <no-reply@answerable.test>';

let t: TestDatabase;
let smtp: SmtpTestServer;
before(async () => {
  t = await createTestDatabase({ poolSize: 8 });
  smtp = await startSmtpTestServer();
});
after(async () => {
  await smtp.close();
  await t.close();
});
beforeEach(async () => {
  await t.db.deleteFrom('outbox').execute();
  smtp.received.length = 0;
  smtp.rejectRecipients = undefined;
  smtp.holdData = false;
});

/** Keeps what the worker logged, so a test can hold it to "says so once". */
function quietLogger(): MailLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    info: () => undefined,
    warn: (_details, message) => void warnings.push(message),
    error: (_details, message) => void errors.push(message),
  };
}

function workerFor(smtpUrl: string | undefined, extra: Partial<MailSettings> = {}, logger: MailLogger = quietLogger()): MailWorker {
  return createMailWorker(t.db, { smtpUrl, from: FROM, ...extra }, logger);
}

async function queue(db: Db, recipient: string, subject = 'Your question has been answered', bodyText = 'Question 2031/0042 now has an answer.'): Promise<number> {
  await db.transaction().execute((trx) => enqueueMail(trx, { kind: 'answer_published', recipient, subject, bodyText }));
  const row = await db.selectFrom('outbox').select('id').where('recipient', '=', recipient).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row.id;
}

async function outboxRow(id: number) {
  return t.db
    .selectFrom('outbox')
    .selectAll()
    .select([
      sql<boolean>`next_attempt_at > now()`.as('waiting'),
      sql<number>`extract(epoch from next_attempt_at - now())::float8`.as('waitSeconds'),
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Stands in for the passing of time: the retry is due now. */
async function makeDue(id: number): Promise<void> {
  await t.db.updateTable('outbox').set({ next_attempt_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', id).execute();
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a queued message is delivered with its recipient, subject, body and stable Message-ID', async () => {
  const id = await queue(t.db, 'amara.okafor@example.org', 'Answer to 2031/0042', 'The Mayor has answered your question.');
  const worker = workerFor(smtp.url);

  assert.deepEqual(await worker.runOnce(), { sent: 1, failed: 0, retried: 0 });

  const row = await outboxRow(id);
  assert.equal(smtp.received.length, 1);
  const mail = smtp.received[0]!;
  assert.deepEqual(mail.envelopeTo, ['amara.okafor@example.org']);
  assert.equal(mail.envelopeFrom, 'no-reply@answerable.test');
  assert.equal(mail.headers.get('to'), 'amara.okafor@example.org');
  assert.equal(mail.headers.get('from'), FROM);
  assert.equal(mail.headers.get('subject'), 'Answer to 2031/0042');
  assert.equal(mail.headers.get('message-id'), row.message_id);
  assert.equal(mail.body, 'The Mayor has answered your question.');

  assert.equal(row.state, 'sent');
  assert.ok(row.sent_at instanceof Date);
  assert.equal(row.attempts, 1);
  assert.equal(row.claimed_until, null);
  assert.equal(row.last_error, null);

  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 0 }, 'a sent message is never sent again');
  assert.equal(smtp.received.length, 1);
  await worker.stop();
});

test('a message the server refuses stays pending with the attempt counted, and goes once the server accepts', async () => {
  const id = await queue(t.db, 'refused@example.org');
  const worker = workerFor(smtp.url);
  smtp.rejectRecipients = { code: 450, message: 'Mailbox busy, try later' };

  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 1 });
  let row = await outboxRow(id);
  assert.equal(row.state, 'pending');
  assert.equal(row.attempts, 1);
  assert.equal(row.claimed_until, null);
  assert.ok(row.waiting, 'next_attempt_at is in the future');
  assert.ok(Math.abs(row.waitSeconds - retryDelaySeconds(1)) < 30, `waits about a minute, not ${row.waitSeconds}s`);
  assert.match(row.last_error ?? '', /450/);
  assert.equal(smtp.received.length, 0);

  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 0 }, 'not retried before its time');

  smtp.rejectRecipients = undefined;
  await makeDue(id);
  assert.deepEqual(await worker.runOnce(), { sent: 1, failed: 0, retried: 0 });
  row = await outboxRow(id);
  assert.equal(row.state, 'sent');
  assert.equal(row.attempts, 2);
  assert.equal(smtp.received[0]?.headers.get('message-id'), row.message_id);
  await worker.stop();
});

test('a message queued while the mail server is down is delivered once it is back', async () => {
  const id = await queue(t.db, 'patient@example.org');
  const down = workerFor(await closedSmtpUrl());

  assert.deepEqual(await down.runOnce(), { sent: 0, failed: 0, retried: 1 });
  const row = await outboxRow(id);
  assert.equal(row.state, 'pending');
  assert.equal(row.attempts, 1);
  assert.ok(row.waiting);
  assert.match(row.last_error ?? '', /ECONNREFUSED/);
  await down.stop();

  // The server is back (in the test: the setting now points at a listening one) and the retry falls due.
  const up = workerFor(smtp.url);
  await makeDue(id);
  assert.deepEqual(await up.runOnce(), { sent: 1, failed: 0, retried: 0 });
  assert.equal(smtp.received[0]?.headers.get('message-id'), row.message_id);
  await up.stop();
});

test('a message whose worker stalled past its lease is sent again by another worker under the same Message-ID', async () => {
  const id = await queue(t.db, 'twice@example.org');
  const stalled = await startSmtpTestServer();
  stalled.holdData = true;
  try {
    const first = workerFor(stalled.url);
    const firstRun = first.runOnce();
    await waitFor(() => stalled.held === 1, 'the first worker to be mid-send');

    let row = await outboxRow(id);
    assert.equal(row.state, 'sending');
    assert.equal(row.attempts, 1);

    const second = workerFor(smtp.url);
    assert.deepEqual(await second.runOnce(), { sent: 0, failed: 0, retried: 0 }, 'a live claim is left alone');

    // The first worker's lease runs out, as it would after its process died mid-send.
    await t.db.updateTable('outbox').set({ claimed_until: sql<Date>`now() - interval '1 second'` }).where('id', '=', id).execute();
    assert.deepEqual(await second.runOnce(), { sent: 1, failed: 0, retried: 0 });
    row = await outboxRow(id);
    assert.equal(row.state, 'sent');
    assert.equal(row.attempts, 2);
    const sentAt = row.sent_at;

    // The stalled send completes after all: the receiver gets the message twice, recognisably the same one.
    stalled.releaseHeld('accept');
    assert.deepEqual(await firstRun, { sent: 1, failed: 0, retried: 0 });
    assert.equal(smtp.received[0]?.headers.get('message-id'), row.message_id);
    assert.equal(stalled.received[0]?.headers.get('message-id'), row.message_id);
    row = await outboxRow(id);
    assert.equal(row.state, 'sent');
    assert.deepEqual(row.sent_at, sentAt, 'the first delivery recorded stands');
    await first.stop();
    await second.stop();
  } finally {
    await stalled.close();
  }
});

test('a stalled worker whose send finally fails cannot undo the delivery made after its lease ran out', async () => {
  const id = await queue(t.db, 'overtaken@example.org');
  const stalled = await startSmtpTestServer();
  stalled.holdData = true;
  try {
    const first = workerFor(stalled.url);
    const firstRun = first.runOnce();
    await waitFor(() => stalled.held === 1, 'the first worker to be mid-send');
    await t.db.updateTable('outbox').set({ claimed_until: sql<Date>`now() - interval '1 second'` }).where('id', '=', id).execute();
    const second = workerFor(smtp.url);
    assert.deepEqual(await second.runOnce(), { sent: 1, failed: 0, retried: 0 });

    stalled.releaseHeld('refuse');
    assert.deepEqual(await firstRun, { sent: 0, failed: 0, retried: 0 }, 'the failure is not counted: the row is no longer its claim');
    const row = await outboxRow(id);
    assert.equal(row.state, 'sent');
    assert.equal(row.last_error, null);
    await first.stop();
    await second.stop();
  } finally {
    await stalled.close();
  }
});

test('a row left sending by a worker that died is delivered by the next run, with its Message-ID', async () => {
  const id = await queue(t.db, 'orphan@example.org');
  // Exactly what a worker killed between claim and outcome leaves behind.
  await t.db
    .updateTable('outbox')
    .set({ state: 'sending', attempts: 1, claimed_until: sql<Date>`now() - interval '1 second'` })
    .where('id', '=', id)
    .execute();
  const worker = workerFor(smtp.url);
  assert.deepEqual(await worker.runOnce(), { sent: 1, failed: 0, retried: 0 });
  const row = await outboxRow(id);
  assert.equal(row.state, 'sent');
  assert.equal(row.attempts, 2);
  assert.equal(smtp.received[0]?.headers.get('message-id'), row.message_id);
  await worker.stop();
});

test('two workers running at once deliver every message exactly once', async () => {
  const count = 30;
  for (let i = 0; i < count; i += 1) await queue(t.db, `member${i}@example.org`, `Message ${i}`);
  const workers = [workerFor(smtp.url, { batchSize: 4 }), workerFor(smtp.url, { batchSize: 4 })];

  async function drain(worker: MailWorker): Promise<number> {
    let sent = 0;
    for (;;) {
      const result = await worker.runOnce();
      if (result.sent + result.failed + result.retried === 0) return sent;
      sent += result.sent;
    }
  }
  const sentBy = await Promise.all(workers.map(drain));
  // A worker stops when it finds nothing free to claim; whatever the other still held is now sent too.
  assert.equal(sentBy[0]! + sentBy[1]!, count);

  const rows = await t.db.selectFrom('outbox').select(['message_id', 'state', 'attempts']).execute();
  assert.equal(rows.length, count);
  assert.ok(rows.every((row) => row.state === 'sent' && row.attempts === 1), 'each row claimed once');
  const receivedIds = smtp.received.map((mail) => mail.headers.get('message-id'));
  assert.equal(receivedIds.length, count, 'no message sent twice');
  assert.deepEqual(new Set(receivedIds), new Set(rows.map((row) => row.message_id)));
  await Promise.all(workers.map((worker) => worker.stop()));
});

test('after the last allowed attempt a message is failed, having waited longer each time', async () => {
  const id = await queue(t.db, 'unreachable@example.org');
  const logger = quietLogger();
  const worker = workerFor(await closedSmtpUrl(), {}, logger);

  for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt += 1) {
    assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 1 }, `attempt ${attempt}`);
    const row = await outboxRow(id);
    assert.equal(row.state, 'pending');
    assert.equal(row.attempts, attempt);
    assert.ok(Math.abs(row.waitSeconds - retryDelaySeconds(attempt)) < 30, `after attempt ${attempt} waits ${row.waitSeconds}s`);
    await makeDue(id);
  }
  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 1, retried: 0 });
  const row = await outboxRow(id);
  assert.equal(row.state, 'failed');
  assert.equal(row.attempts, MAX_DELIVERY_ATTEMPTS);
  assert.equal(row.claimed_until, null);
  assert.match(row.last_error ?? '', /ECONNREFUSED/);
  assert.equal(logger.errors.length, 1, 'giving up is logged as an error');

  await makeDue(id);
  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 0 }, 'a failed message is not tried again');
  await worker.stop();
});

test('a message whose worker died on its last allowed attempt is failed rather than tried for ever', async () => {
  const id = await queue(t.db, 'poison@example.org');
  await t.db
    .updateTable('outbox')
    .set({ state: 'sending', attempts: MAX_DELIVERY_ATTEMPTS, claimed_until: sql<Date>`now() - interval '1 second'` })
    .where('id', '=', id)
    .execute();
  const worker = workerFor(smtp.url);
  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 1, retried: 0 });
  const row = await outboxRow(id);
  assert.equal(row.state, 'failed');
  assert.match(row.last_error ?? '', /interrupted/);
  assert.equal(smtp.received.length, 0);
  await worker.stop();
});

test('without an SMTP server configured, mail stays queued (no attempt spent) and the worker says so once', async () => {
  const id = await queue(t.db, 'later@example.org');
  const logger = quietLogger();
  const worker = workerFor(undefined, {}, logger);
  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 0 });
  assert.deepEqual(await worker.runOnce(), { sent: 0, failed: 0, retried: 0 });
  const row = await outboxRow(id);
  assert.equal(row.state, 'pending');
  assert.equal(row.attempts, 0);
  assert.equal(logger.warnings.length, 1);
  assert.match(logger.warnings[0] ?? '', /not delivered/);
  await worker.stop();
});

test('start() delivers in the background and stop() waits for the send in flight', async () => {
  const id = await queue(t.db, 'background@example.org');
  smtp.holdData = true;
  const worker = workerFor(smtp.url);
  worker.start(20);
  await waitFor(() => smtp.held === 1, 'the background run to be mid-send');

  let stopped = false;
  const stopping = worker.stop().then(() => {
    stopped = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(stopped, false, 'stop() has not returned while a send is in flight');
  smtp.releaseHeld('accept');
  await stopping;
  assert.equal((await outboxRow(id)).state, 'sent', 'the in-flight outcome was recorded before stop() returned');

  await queue(t.db, 'after-stop@example.org');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(smtp.received.length, 1, 'nothing runs after stop()');
});

test('an error recorded or logged never carries the SMTP password', () => {
  const smtpUrl = 'smtp://mailer:s3cr%40t-pw@smtp.example.org:587';
  const error = Object.assign(new Error('Invalid login for mailer with s3cr@t-pw\r\n535 5.7.8 rejected'), { code: 'EAUTH', responseCode: 535 });
  const text = describeDeliveryError(error, smtpUrl);
  assert.equal(text, 'EAUTH 535: Invalid login for mailer with *** 535 5.7.8 rejected');
  assert.ok(describeDeliveryError(new Error('x'.repeat(1000)), smtpUrl).length <= 300);
});

test("pino's logger (the app's) is a MailLogger", () => {
  const logger: MailLogger = pino({ level: 'silent' });
  assert.equal(typeof logger.warn, 'function');
});
