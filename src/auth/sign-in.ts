// Checks a sign-in attempt: the same work and the same answer whether or not the email exists, with rate limits
// per account and per address that hold across every app server (they live in the database).
import type { Db } from '../db/database.ts';
import { hashPassword, verifyPassword } from '../users/password-hash.ts';

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

let dummyHash: Promise<string> | undefined;
/** Verified against when the email is unknown, so the response takes as long as for a real account. */
function decoyHash(): Promise<string> {
  dummyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return dummyHash;
}

export type SignInOutcome = { ok: true; userId: number } | { ok: false; reason: 'invalid' | 'rate_limited' };

export async function attemptSignIn(db: Db, input: { email: string; password: string; ip: string; now?: Date }): Promise<SignInOutcome> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const [byAccount, byAddress] = await Promise.all([
    db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('email_lower', '=', email).where('succeeded', '=', false).where('attempted_at', '>', since).executeTakeFirstOrThrow(),
    db.selectFrom('sign_in_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('ip', '=', input.ip).where('succeeded', '=', false).where('attempted_at', '>', since).executeTakeFirstOrThrow(),
  ]);
  if (Number(byAccount.n) >= MAX_FAILURES_PER_ACCOUNT || Number(byAddress.n) >= MAX_FAILURES_PER_ADDRESS) {
    await db.insertInto('sign_in_attempts').values({ email_lower: email, ip: input.ip, succeeded: false, attempted_at: now }).execute();
    return { ok: false, reason: 'rate_limited' };
  }
  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
    .executeTakeFirst();
  const passwordMatches = await verifyPassword(user?.password_hash ?? (await decoyHash()), input.password);
  const ok = Boolean(user && user.password_hash && user.disabled_at === null && passwordMatches);
  await db.insertInto('sign_in_attempts').values({ email_lower: email, ip: input.ip, succeeded: ok, attempted_at: now }).execute();
  return ok && user ? { ok: true, userId: user.id } : { ok: false, reason: 'invalid' };
}
