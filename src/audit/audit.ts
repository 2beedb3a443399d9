// Writes audit events inside the caller's transaction: who did what to which record, from which state to which.
import type { Actor } from '../auth/actor.ts';
import { actorLabel } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import type { AuditRecordType } from '../db/schema.ts';

export interface AuditEntry {
  action: string;
  recordType: AuditRecordType;
  recordId: number;
  fromState?: string | null;
  toState?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(trx: Db, actor: Actor | { system: string }, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({
      actor_id: 'userId' in actor ? actor.userId : null,
      actor_label: 'userId' in actor ? actorLabel(actor) : actor.system,
      action: entry.action,
      record_type: entry.recordType,
      record_id: entry.recordId,
      from_state: entry.fromState ?? null,
      to_state: entry.toState ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/** The audit trail of one record, oldest first (for admins). */
export async function auditTrail(db: Db, recordType: AuditRecordType, recordId: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'occurred_at', 'actor_label', 'action', 'from_state', 'to_state', 'details'])
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('id')
    .execute();
}
