// Queues mail in the outbox inside the caller's transaction, so a message exists exactly when its change does.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';

export interface OutgoingMail {
  /** What the message is about, e.g. 'answer_published'. */
  kind: string;
  recipient: string;
  subject: string;
  bodyText: string;
}

export async function enqueueMail(trx: Db, mail: OutgoingMail, options: { domain?: string } = {}): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      kind: mail.kind,
      recipient: mail.recipient,
      subject: mail.subject,
      body_text: mail.bodyText,
      message_id: `<${randomUUID()}@${options.domain ?? 'answerable.invalid'}>`,
    })
    .execute();
}
