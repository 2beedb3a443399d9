// Delivers the outbox: claims due messages under a lease, sends them outside any transaction, and records the outcome.
//
// Delivery is at least once. A worker that dies after the SMTP server accepted a message but before the row was
// marked sent leaves it 'sending'; once its lease runs out another worker sends it again under the same
// Message-ID (outbox.message_id), so the receiver can recognise the duplicate. Nothing is ever lost.
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { hasNoAttemptsLeft, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from './retry-schedule.ts';

export interface MailSettings {
  /** smtp://user:pass@host:587 or smtps://...; undefined keeps mail queued, undelivered. */
  smtpUrl: string | undefined;
  /** The From address of every message, e.g. 'Answerable <no-reply@example.org>'. */
  from: string;
  /** Messages claimed per run (default 10). */
  batchSize?: number;
  /** How long a claim lasts before another worker may take the message over (default 2 minutes). */
  leaseMs?: number;
  /** Longest one SMTP send may take before it is abandoned (default 60 seconds); must be well under leaseMs. */
  sendTimeoutMs?: number;
  /** Attempts before a message is marked 'failed' (default MAX_DELIVERY_ATTEMPTS). */
  maxAttempts?: number;
}

/** What the worker needs of a logger; pino's and Fastify's loggers fit. */
export interface MailLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface MailRunResult {
  sent: number;
  /** Given up for good in this run (state 'failed'). */
  failed: number;
  /** Put back to 'pending' with a later next_attempt_at. */
  retried: number;
}

export interface MailWorker {
  runOnce(): Promise<MailRunResult>;
  /** Runs now and then every intervalMs, straight away again while there is a backlog. */
  start(intervalMs: number): void;
  /** Stops the schedule and waits for any run in flight; rows it could not finish stay claimed until their lease ends. */
  stop(): Promise<void>;
}

interface ClaimedMail {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  body_text: string;
  message_id: string;
  /** Attempts including this one; also the claim's fencing token (see recordFailure). */
  attempts: number;
}

const consoleLogger: MailLogger = {
  info: (details, message) => console.info(message, details),
  warn: (details, message) => console.warn(message, details),
  error: (details, message) => console.error(message, details),
};

// A send may only start while this much of the lease would remain after it, so that a slow send never overlaps
// another worker's claim of the same row.
const LEASE_SAFETY_MARGIN_MS = 10_000;

export function createMailWorker(db: Db, settings: MailSettings, logger: MailLogger = consoleLogger): MailWorker {
  const batchSize = settings.batchSize ?? 10;
  const leaseMs = settings.leaseMs ?? 2 * 60_000;
  const sendTimeoutMs = settings.sendTimeoutMs ?? 60_000;
  const maxAttempts = settings.maxAttempts ?? MAX_DELIVERY_ATTEMPTS;
  if (sendTimeoutMs + LEASE_SAFETY_MARGIN_MS >= leaseMs) {
    throw new RangeError('sendTimeoutMs plus a 10 second margin must be shorter than leaseMs');
  }

  const transport =
    settings.smtpUrl === undefined
      ? undefined
      : nodemailer.createTransport({
          url: settings.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        });
  let warnedUndelivered = false;
  const inFlight = new Set<Promise<unknown>>();
  let running = false;
  let timer: NodeJS.Timeout | undefined;

  async function runBatch(): Promise<MailRunResult & { claimed: number }> {
    const result = { sent: 0, failed: 0, retried: 0, claimed: 0 };
    if (!transport) {
      // Claiming would spend attempts on nothing; left pending, the queue is delivered once SMTP is configured.
      if (!warnedUndelivered) {
        warnedUndelivered = true;
        const { pending } = await db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('pending'))
          .where('state', '=', 'pending')
          .executeTakeFirstOrThrow();
        logger.warn({ pending: Number(pending) }, 'No SMTP server is configured (SMTP_URL): mail stays queued in the outbox and is not delivered');
      }
      return result;
    }

    const claimStartedAt = performance.now();
    const { claimed, abandoned } = await claimDueMail(db, { batchSize, leaseMs, maxAttempts });
    result.claimed = claimed.length;
    result.failed += abandoned;
    if (abandoned > 0) logger.error({ count: abandoned }, 'Outbox messages given up: their worker stopped mid-send on the last attempt');

    for (const [index, mail] of claimed.entries()) {
      if (performance.now() - claimStartedAt > leaseMs - sendTimeoutMs - LEASE_SAFETY_MARGIN_MS) {
        await releaseClaims(db, claimed.slice(index));
        break;
      }
      try {
        await transport.sendMail({
          from: settings.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.body_text,
          messageId: mail.message_id,
          signal: AbortSignal.timeout(sendTimeoutMs),
        });
      } catch (error) {
        const reason = describeDeliveryError(error, settings.smtpUrl);
        const outcome = await recordFailure(db, mail, reason, maxAttempts);
        if (outcome === 'failed') {
          result.failed += 1;
          logger.error({ outboxId: mail.id, kind: mail.kind, attempts: mail.attempts, reason }, 'Outbox message given up after its last attempt');
        } else if (outcome === 'retried') {
          result.retried += 1;
          logger.warn({ outboxId: mail.id, kind: mail.kind, attempts: mail.attempts, reason }, 'Outbox message not delivered; will retry');
        }
        continue;
      }
      await recordSent(db, mail.id);
      result.sent += 1;
    }
    return result;
  }

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    const forget = () => inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  async function tick(intervalMs: number): Promise<void> {
    timer = undefined;
    let backlog = false;
    try {
      const result = await track(runBatch());
      backlog = result.claimed === batchSize;
    } catch (error) {
      logger.error({ reason: describeDeliveryError(error, settings.smtpUrl) }, 'Mail worker run failed; will try again');
    }
    if (running) {
      timer = setTimeout(() => void tick(intervalMs), backlog ? 0 : intervalMs);
      timer.unref();
    }
  }

  return {
    async runOnce() {
      const { sent, failed, retried } = await track(runBatch());
      return { sent, failed, retried };
    },
    start(intervalMs) {
      if (running) return;
      running = true;
      timer = setTimeout(() => void tick(intervalMs), 0);
      timer.unref();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      transport?.close();
    },
  };
}

/**
 * Claims due messages in one short transaction: pending ones whose time has come, and 'sending' ones whose lease
 * ran out (their worker died). SKIP LOCKED lets workers on several app servers claim side by side without
 * waiting on, or ever sharing, a row.
 */
async function claimDueMail(
  db: Db,
  options: { batchSize: number; leaseMs: number; maxAttempts: number },
): Promise<{ claimed: ClaimedMail[]; abandoned: number }> {
  return db.transaction().execute(async (trx) => {
    // A message whose sending keeps killing the worker must not be retried for ever.
    const abandoned = await trx
      .updateTable('outbox')
      .set({ state: 'failed', claimed_until: null, last_error: 'delivery interrupted (the worker stopped mid-send) on the last attempt' })
      .where('state', '=', 'sending')
      .where('claimed_until', '<', sql<Date>`now()`)
      .where('attempts', '>=', options.maxAttempts)
      .executeTakeFirst();

    const due = trx
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', sql<Date>`now()`)]),
          eb.and([eb('state', '=', 'sending'), eb('claimed_until', '<', sql<Date>`now()`)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(options.batchSize)
      .forUpdate()
      .skipLocked();

    const claimed = await trx
      .updateTable('outbox')
      .set((eb) => ({
        state: 'sending',
        claimed_until: sql<Date>`now() + make_interval(secs => ${options.leaseMs / 1000}::float8)`,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', 'in', due)
      .returning(['id', 'kind', 'recipient', 'subject', 'body_text', 'message_id', 'attempts'])
      .execute();
    claimed.sort((a, b) => a.id - b.id);
    return { claimed, abandoned: Number(abandoned.numUpdatedRows) };
  });
}

async function recordSent(db: Db, id: number): Promise<void> {
  // Unfenced: if another worker took the row over meanwhile, the message has still been delivered.
  await db
    .updateTable('outbox')
    .set({ state: 'sent', sent_at: sql<Date>`now()`, claimed_until: null, last_error: null })
    .where('id', '=', id)
    .where('state', '<>', 'sent')
    .execute();
}

/**
 * Puts a failed message back for a later attempt, or gives it up. Each claim adds one to attempts, so matching
 * on attempts touches the row only while it is still this worker's claim: a worker that overran its lease
 * cannot overwrite the outcome of the one that took over.
 */
async function recordFailure(db: Db, mail: ClaimedMail, reason: string, maxAttempts: number): Promise<'failed' | 'retried' | 'taken_over'> {
  const giveUp = hasNoAttemptsLeft(mail.attempts, maxAttempts);
  const updated = await db
    .updateTable('outbox')
    .set(
      giveUp
        ? { state: 'failed', claimed_until: null, last_error: reason }
        : {
            state: 'pending',
            claimed_until: null,
            last_error: reason,
            next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryDelaySeconds(mail.attempts)}::float8)`,
          },
    )
    .where('id', '=', mail.id)
    .where('state', '=', 'sending')
    .where('attempts', '=', mail.attempts)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return 'taken_over';
  return giveUp ? 'failed' : 'retried';
}

/** Hands back claims this run has no time left to send, without counting an attempt. */
async function releaseClaims(db: Db, mails: ClaimedMail[]): Promise<void> {
  for (const mail of mails) {
    await db
      .updateTable('outbox')
      .set((eb) => ({ state: 'pending', claimed_until: null, attempts: eb('attempts', '-', 1) }))
      .where('id', '=', mail.id)
      .where('state', '=', 'sending')
      .where('attempts', '=', mail.attempts)
      .execute();
  }
}

/** One short line for last_error and the log: the error code, SMTP reply code and message, never the SMTP password. */
export function describeDeliveryError(error: unknown, smtpUrl: string | undefined): string {
  const err = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts: string[] = [];
  if (typeof err.code === 'string') parts.push(err.code);
  if (typeof err.responseCode === 'number') parts.push(String(err.responseCode));
  const message = typeof err.message === 'string' ? err.message : String(error);
  let text = `${parts.join(' ')}${parts.length > 0 ? ': ' : ''}${message}`;
  for (const secret of passwordIn(smtpUrl)) text = text.split(secret).join('***');
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function passwordIn(smtpUrl: string | undefined): string[] {
  if (smtpUrl === undefined) return [];
  try {
    const password = new URL(smtpUrl).password;
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {
      // A malformed escape: the raw form is all there is to hide.
    }
    return [...new Set([decoded, password])].filter((value) => value.length > 0);
  } catch {
    return [];
  }
}
