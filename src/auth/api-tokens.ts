// Per-user API tokens for the workflow API: shown once, stored as a hash, revocable.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { Actor } from './actor.ts';
import { recordAudit } from '../audit/audit.ts';

const PREFIX = 'ans_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(trx: Db, actor: Actor, name: string): Promise<{ id: number; token: string }> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw new AppError('validation_failed', 'Enter a name for the token, up to 100 characters', { fields: { name: 'Enter a name for the token, up to 100 characters' } });
  }
  const token = `${PREFIX}${randomBytes(24).toString('base64url')}`;
  const row = await trx
    .insertInto('api_tokens')
    .values({ user_id: actor.userId, name: trimmed, token_hash: hashToken(token), token_prefix: token.slice(0, 10) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, { action: 'api_token.created', recordType: 'api_token', recordId: row.id, toState: 'active', details: { name: trimmed } });
  return { id: row.id, token };
}

export async function revokeApiToken(trx: Db, actor: Actor, tokenId: number): Promise<void> {
  const row = await trx.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', tokenId).where('user_id', '=', actor.userId).forUpdate().executeTakeFirst();
  if (!row) throw new AppError('not_found', 'There is no such token.');
  if (row.revoked_at) throw new AppError('conflict', 'That token has already been revoked.');
  await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', tokenId).execute();
  await recordAudit(trx, actor, { action: 'api_token.revoked', recordType: 'api_token', recordId: tokenId, fromState: 'active', toState: 'revoked' });
}

export async function listApiTokens(db: Db, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The user a bearer token belongs to, if the token is live. */
export async function userIdForToken(db: Db, token: string): Promise<number | undefined> {
  if (!token.startsWith(PREFIX)) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return row.user_id;
}
