// Creates and changes staff and member accounts (role and tie, details, disabled, two-factor); every change is
// audited in the same transaction as the change itself.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword } from './password-hash.ts';
import { USER_ROLES } from '../workflow/lifecycle.ts';
import { passwordProblem } from './password-policy.ts';

export const newUserInput = z.object({
  email: z.email('Enter an email address in the correct format, like name@example.com').max(320),
  displayName: z.string().trim().min(1, 'Enter a name').max(200, 'Name must be 200 characters or fewer'),
  role: z.enum(USER_ROLES, { message: `Role must be one of ${USER_ROLES.join(', ')}` }),
  password: z.string(),
  /** The member's own person record (role member). */
  person: z.string().optional(),
  /** The member a staff account acts for (role staff). */
  actingFor: z.string().optional(),
  /** The answering body an officer belongs to (role officer). */
  body: z.string().optional(),
});
export type NewUserInput = z.input<typeof newUserInput>;

/** Who changes an account: a signed-in admin, or the command line (id null, label "cli"). */
export interface AccountActor {
  id: number | null;
  label: string;
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('validation_failed', issue?.message ?? `The ${what} are not valid`, {
    fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])),
  });
}

export interface Ties {
  personId: number | null;
  actingForId: number | null;
  organisationId: number | null;
}

/** The record a role is tied to, looked up by slug; only the tie the role needs is kept, the others are ignored. */
async function resolveTies(trx: Db, role: UserRole, slugs: { person?: string | undefined; actingFor?: string | undefined; body?: string | undefined }): Promise<Ties> {
  const refuse = (field: string, message: string): never => {
    throw new AppError('validation_failed', message, { fields: { [field]: message } });
  };
  const findPerson = async (field: string, slug: string) => {
    const row = await trx.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirst();
    return row?.id ?? refuse(field, `There is no person "${slug}" in the record`);
  };
  const ties: Ties = { personId: null, actingForId: null, organisationId: null };
  if (role === 'member') {
    if (!slugs.person) refuse('person', 'A member account needs the member it belongs to');
    else ties.personId = await findPerson('person', slugs.person);
  }
  if (role === 'staff') {
    if (!slugs.actingFor) refuse('actingFor', 'A staff account needs the member it acts for');
    else ties.actingForId = await findPerson('actingFor', slugs.actingFor);
  }
  if (role === 'officer') {
    if (!slugs.body) refuse('body', 'An officer account needs an answering body');
    else {
      const body = await trx.selectFrom('organisations').select('id').where('slug', '=', slugs.body).where('classification', 'in', ['executive', 'functional_body']).executeTakeFirst();
      ties.organisationId = body?.id ?? refuse('body', `There is no answering body "${slugs.body}"`);
    }
  }
  return ties;
}

export async function createUser(trx: Db, input: NewUserInput, actor: AccountActor) {
  const values = parseInput(newUserInput, input, 'account details');
  const problem = await passwordProblem(values.password, { email: values.email, name: values.displayName });
  if (problem) throw new AppError('validation_failed', problem, { fields: { password: problem } });

  const ties = await resolveTies(trx, values.role, values);
  const existing = await trx.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', values.email.toLowerCase())).executeTakeFirst();
  if (existing) {
    const message = `An account with the email ${values.email} already exists`;
    throw new AppError('conflict', message, { fields: { email: message } });
  }

  const user = await trx
    .insertInto('users')
    .values({
      email: values.email,
      display_name: values.displayName,
      role: values.role,
      password_hash: await hashPassword(values.password),
      person_id: ties.personId,
      acting_for_id: ties.actingForId,
      organisation_id: ties.organisationId,
    })
    .returning(['id', 'email', 'role'])
    .executeTakeFirstOrThrow();
  await auditUser(trx, actor, user.id, 'user.created', null, user.role, { email: user.email, ...tieDetails(values.role, values) });
  return user;
}

async function auditUser(
  trx: Db,
  actor: AccountActor,
  userId: number,
  action: string,
  fromState: string | null,
  toState: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await trx
    .insertInto('audit_events')
    .values({ actor_id: actor.id, actor_label: actor.label, action, record_type: 'user', record_id: userId, from_state: fromState, to_state: toState, details: JSON.stringify(details) })
    .execute();
}

/** The tie a role carries, by slug, as the audit trail records it. */
function tieDetails(role: UserRole, slugs: { person?: string | undefined; actingFor?: string | undefined; body?: string | undefined }): Record<string, string> {
  if (role === 'member' && slugs.person) return { person: slugs.person };
  if (role === 'staff' && slugs.actingFor) return { actingFor: slugs.actingFor };
  if (role === 'officer' && slugs.body) return { body: slugs.body };
  return {};
}

export interface CommandOptions {
  now?: Date;
}

const userId = z.number({ message: 'Give the account as a number' }).int().positive();

/** The account row to change, locked until the transaction ends so two admins cannot interleave changes. */
async function lockedUser(trx: Db, id: number) {
  const user = await trx
    .selectFrom('users')
    .leftJoin('people as person', 'person.id', 'users.person_id')
    .leftJoin('people as acting_for', 'acting_for.id', 'users.acting_for_id')
    .leftJoin('organisations as body', 'body.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.disabled_at',
      'users.totp_secret',
      'users.totp_enabled_at',
      'person.slug as person_slug',
      'acting_for.slug as acting_for_slug',
      'body.slug as body_slug',
    ])
    .where('users.id', '=', id)
    .forUpdate('users')
    .executeTakeFirst();
  if (!user) throw new AppError('not_found', 'The account was not found.');
  return user;
}

/** The account with a sign-in email (any case), or a not_found naming the email. */
export async function findUserIdByEmail(db: Db, email: string): Promise<number> {
  const row = await db.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase())).executeTakeFirst();
  if (!row) throw new AppError('not_found', `There is no account with the email ${email}`);
  return row.id;
}

/** Ends the user's browser sessions, including a sign-in half done (password given, second factor still due). */
async function endSessions(trx: Db, id: number, now: Date): Promise<number> {
  const ended = await trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where((eb) => eb.or([eb('user_id', '=', id), eb('pending_user_id', '=', id)]))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(ended.numUpdatedRows);
}

/** Ends every way the user is signed in: browser sessions and API tokens. */
async function signOutEverywhere(trx: Db, id: number, now: Date): Promise<{ sessions: number; tokens: number }> {
  const sessions = await endSessions(trx, id, now);
  const tokens = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return { sessions, tokens: Number(tokens.numUpdatedRows) };
}

export const setRoleInput = z.object({
  userId,
  role: z.enum(USER_ROLES, { message: `Role must be one of ${USER_ROLES.join(', ')}` }),
  person: z.string().optional(),
  actingFor: z.string().optional(),
  body: z.string().optional(),
});
export type SetRoleInput = z.input<typeof setRoleInput>;

/**
 * Changes an account's role and what the role is tied to. A new role ends the user's sessions and API tokens,
 * so the next sign-in meets the new role's requirements (staff roles need a second factor).
 */
export async function setUserRole(trx: Db, input: SetRoleInput, actor: AccountActor, options: CommandOptions = {}) {
  const values = parseInput(setRoleInput, input, 'role details');
  const user = await lockedUser(trx, values.userId);
  if (actor.id === user.id && values.role !== 'admin') {
    throw new AppError('forbidden', 'You cannot remove your own admin role. Ask another admin to do it.', { fields: { role: 'You cannot remove your own admin role. Ask another admin to do it.' } });
  }
  const ties = await resolveTies(trx, values.role, values);
  const before = tieDetails(user.role, { person: user.person_slug ?? undefined, actingFor: user.acting_for_slug ?? undefined, body: user.body_slug ?? undefined });
  const after = tieDetails(values.role, values);
  if (user.role === values.role && JSON.stringify(before) === JSON.stringify(after)) return { id: user.id, role: user.role, changed: false, roleChanged: false };

  const now = options.now ?? new Date();
  await trx
    .updateTable('users')
    .set({ role: values.role, person_id: ties.personId, acting_for_id: ties.actingForId, organisation_id: ties.organisationId, updated_at: now })
    .where('id', '=', user.id)
    .execute();
  const revoked = user.role === values.role ? null : await signOutEverywhere(trx, user.id, now);
  await auditUser(trx, actor, user.id, 'user.role_changed', user.role, values.role, {
    from: { role: user.role, ...before },
    to: { role: values.role, ...after },
    ...(revoked ? { sessionsRevoked: revoked.sessions, tokensRevoked: revoked.tokens } : {}),
  });
  return { id: user.id, role: values.role, changed: true, roleChanged: revoked !== null };
}

export const updateUserInput = z.object({
  userId,
  email: z.email('Enter an email address in the correct format, like name@example.com').max(320),
  displayName: z.string().trim().min(1, 'Enter a name').max(200, 'Name must be 200 characters or fewer'),
});
export type UpdateUserInput = z.input<typeof updateUserInput>;

/** Changes an account's name and sign-in email. */
export async function updateUser(trx: Db, input: UpdateUserInput, actor: AccountActor, options: CommandOptions = {}) {
  const values = parseInput(updateUserInput, input, 'account details');
  const user = await lockedUser(trx, values.userId);
  const taken = await trx
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', values.email.toLowerCase()))
    .where('id', '<>', user.id)
    .executeTakeFirst();
  if (taken) {
    const message = `An account with the email ${values.email} already exists`;
    throw new AppError('conflict', message, { fields: { email: message } });
  }
  const changes: Record<string, { from: string; to: string }> = {};
  if (user.email !== values.email) changes.email = { from: user.email, to: values.email };
  if (user.display_name !== values.displayName) changes.displayName = { from: user.display_name, to: values.displayName };
  if (Object.keys(changes).length === 0) return { id: user.id, changed: false };
  await trx.updateTable('users').set({ email: values.email, display_name: values.displayName, updated_at: options.now ?? new Date() }).where('id', '=', user.id).execute();
  await auditUser(trx, actor, user.id, 'user.updated', null, null, changes);
  return { id: user.id, changed: true };
}

export const accountInput = z.object({ userId });
export type AccountInput = z.input<typeof accountInput>;

/** Stops an account signing in, and ends its sessions and API tokens at once. */
export async function disableUser(trx: Db, input: AccountInput, actor: AccountActor, options: CommandOptions = {}) {
  const values = parseInput(accountInput, input, 'account');
  const user = await lockedUser(trx, values.userId);
  if (actor.id === user.id) throw new AppError('forbidden', 'You cannot disable your own account. Ask another admin to do it.');
  if (user.disabled_at) throw new AppError('conflict', `The account ${user.email} is already disabled.`);
  const now = options.now ?? new Date();
  await trx.updateTable('users').set({ disabled_at: now, updated_at: now }).where('id', '=', user.id).execute();
  const revoked = await signOutEverywhere(trx, user.id, now);
  await auditUser(trx, actor, user.id, 'user.disabled', 'active', 'disabled', { sessionsRevoked: revoked.sessions, tokensRevoked: revoked.tokens });
  return { id: user.id, disabledAt: now };
}

/** Lets a disabled account sign in again (with its password; old sessions and tokens stay revoked). */
export async function enableUser(trx: Db, input: AccountInput, actor: AccountActor, options: CommandOptions = {}) {
  const values = parseInput(accountInput, input, 'account');
  const user = await lockedUser(trx, values.userId);
  if (!user.disabled_at) throw new AppError('conflict', `The account ${user.email} is not disabled.`);
  await trx.updateTable('users').set({ disabled_at: null, updated_at: options.now ?? new Date() }).where('id', '=', user.id).execute();
  await auditUser(trx, actor, user.id, 'user.enabled', 'disabled', 'active');
  return { id: user.id };
}

/**
 * Forgets an account's authenticator and recovery codes (a lost phone), so the user enrols again at the next
 * sign-in; their sessions end, since they were opened with the old second factor.
 */
export async function resetTwoFactor(trx: Db, input: AccountInput, actor: AccountActor, options: CommandOptions = {}) {
  const values = parseInput(accountInput, input, 'account');
  const user = await lockedUser(trx, values.userId);
  const now = options.now ?? new Date();
  const enrolled = user.totp_enabled_at !== null;
  await trx.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, updated_at: now }).where('id', '=', user.id).execute();
  const codes = await trx.updateTable('recovery_codes').set({ used_at: now }).where('user_id', '=', user.id).where('used_at', 'is', null).executeTakeFirst();
  const sessions = await endSessions(trx, user.id, now);
  await auditUser(trx, actor, user.id, 'user.two_factor_reset', enrolled ? 'enrolled' : 'not_enrolled', 'not_enrolled', {
    recoveryCodesCancelled: Number(codes.numUpdatedRows),
    sessionsRevoked: sessions,
  });
  return { id: user.id };
}
