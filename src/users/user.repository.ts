// Creates and reads staff and member accounts; every account change is audited in the same transaction.
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword } from './password-hash.ts';
import { passwordProblem } from './password-policy.ts';

export const USER_ROLES = ['member', 'staff', 'press_officer', 'clerk', 'officer', 'approver', 'admin'] as const satisfies readonly UserRole[];

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

export async function createUser(trx: Db, input: NewUserInput, actor: { id: number | null; label: string }) {
  const parsed = newUserInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('validation_failed', issue?.message ?? 'The account details are not valid', {
      fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message])),
    });
  }
  const values = parsed.data;
  const problem = await passwordProblem(values.password, { email: values.email, name: values.displayName });
  if (problem) throw new AppError('validation_failed', problem, { fields: { password: problem } });

  const personSlug = values.role === 'member' ? values.person : undefined;
  const actingSlug = values.role === 'staff' ? values.actingFor : undefined;
  if (values.role === 'member' && !personSlug) throw new AppError('validation_failed', 'A member account needs the member it belongs to (--person <slug>)');
  if (values.role === 'staff' && !actingSlug) throw new AppError('validation_failed', 'A staff account needs the member it acts for (--acting-for <slug>)');
  if (values.role === 'officer' && !values.body) throw new AppError('validation_failed', 'An officer account needs an answering body (--body <slug>)');
  const findPerson = async (slug: string) => {
    const row = await trx.selectFrom('people').select('id').where('slug', '=', slug).executeTakeFirst();
    if (!row) throw new AppError('validation_failed', `There is no person "${slug}" in the record`);
    return row.id;
  };
  const personId = personSlug ? await findPerson(personSlug) : null;
  const actingForId = actingSlug ? await findPerson(actingSlug) : null;
  let organisationId: number | null = null;
  if (values.role === 'officer' && values.body) {
    const body = await trx.selectFrom('organisations').select('id').where('slug', '=', values.body).where('classification', 'in', ['executive', 'functional_body']).executeTakeFirst();
    if (!body) throw new AppError('validation_failed', `There is no answering body "${values.body}"`);
    organisationId = body.id;
  }
  const existing = await trx.selectFrom('users').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', values.email.toLowerCase())).executeTakeFirst();
  if (existing) throw new AppError('conflict', `An account with the email ${values.email} already exists`);

  const user = await trx
    .insertInto('users')
    .values({
      email: values.email,
      display_name: values.displayName,
      role: values.role,
      password_hash: await hashPassword(values.password),
      person_id: personId,
      acting_for_id: actingForId,
      organisation_id: organisationId,
    })
    .returning(['id', 'email', 'role'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('audit_events')
    .values({ actor_id: actor.id, actor_label: actor.label, action: 'user.created', record_type: 'user', record_id: user.id, to_state: user.role })
    .execute();
  return user;
}
