// Keeps browser sessions in the database (so they can be revoked), storing only a hash of each session id.
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';

/** What a session carries between requests. */
export interface SessionData {
  userId?: number | undefined;
  /** Password accepted, second factor still due. */
  pendingUserId?: number | undefined;
  /** Epoch milliseconds when the session began: the absolute timeout counts from here. */
  createdAt?: number | undefined;
  /** A one-off message for the next page ("You have signed out"). */
  flash?: string | undefined;
  _csrf?: string | undefined;
}

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_TIMEOUTS: SessionTimeouts = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

type Callback = (error?: unknown) => void;
type GetCallback = (error: unknown, session?: (SessionData & { lastSeenAt?: number }) | null) => void;

/** Get, set and destroy over the sessions table (the shape session stores commonly take). */
export function databaseSessionStore(db: Db, timeouts: SessionTimeouts, now: () => Date = () => new Date()) {
  return {
    set(sessionId: string, session: SessionData, callback: Callback) {
      const at = now();
      const createdAt = new Date(session.createdAt ?? at.getTime());
      db.insertInto('sessions')
        .values({
          id_hash: hashSessionId(sessionId),
          user_id: session.userId ?? null,
          pending_user_id: session.pendingUserId ?? null,
          csrf_secret: session._csrf ?? '',
          flash: session.flash ?? null,
          created_at: createdAt,
          last_seen_at: at,
          expires_at: new Date(createdAt.getTime() + timeouts.absoluteMs),
        })
        .onConflict((oc) =>
          oc.column('id_hash').doUpdateSet({
            user_id: session.userId ?? null,
            pending_user_id: session.pendingUserId ?? null,
            csrf_secret: session._csrf ?? '',
            flash: session.flash ?? null,
            last_seen_at: at,
          }),
        )
        .execute()
        .then(() => callback(), callback);
    },
    get(sessionId: string, callback: GetCallback) {
      const at = now();
      db.selectFrom('sessions')
        .select(['user_id', 'pending_user_id', 'csrf_secret', 'flash', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'])
        .where('id_hash', '=', hashSessionId(sessionId))
        .executeTakeFirst()
        .then((row) => {
          const live = row && row.revoked_at === null && row.expires_at > at && at.getTime() - row.last_seen_at.getTime() < timeouts.idleMs;
          if (!live) return callback(null, null);
          callback(null, {
            userId: row.user_id ?? undefined,
            pendingUserId: row.pending_user_id ?? undefined,
            createdAt: row.created_at.getTime(),
            flash: row.flash ?? undefined,
            _csrf: row.csrf_secret || undefined,
            lastSeenAt: row.last_seen_at.getTime(),
          });
        }, callback);
    },
    destroy(sessionId: string, callback: Callback) {
      db.updateTable('sessions')
        .set({ revoked_at: now() })
        .where('id_hash', '=', hashSessionId(sessionId))
        .where('revoked_at', 'is', null)
        .execute()
        .then(() => callback(), callback);
    },
  };
}
