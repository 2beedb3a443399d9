// What admins read: every account with what its role is tied to, the choices for those ties, and any record's audit trail.
import type { Db } from '../db/database.ts';
import type { UserRole } from '../db/schema.ts';

function accounts(db: Db) {
  return db
    .selectFrom('users')
    .leftJoin('people as person', 'person.id', 'users.person_id')
    .leftJoin('people as acting_for', 'acting_for.id', 'users.acting_for_id')
    .leftJoin('organisations as body', 'body.id', 'users.organisation_id')
    .select((eb) => [
      'users.id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.disabled_at',
      'users.totp_enabled_at',
      'users.created_at',
      'person.slug as person_slug',
      'person.name as person_name',
      'acting_for.slug as acting_for_slug',
      'acting_for.name as acting_for_name',
      'body.slug as body_slug',
      'body.name as body_name',
      // A session is written with a user only once sign-in is complete (second factor included).
      eb.selectFrom('sessions').select((s) => s.fn.max('sessions.created_at').as('at')).whereRef('sessions.user_id', '=', 'users.id').as('last_sign_in_at'),
    ]);
}

export type AccountRow = Awaited<ReturnType<ReturnType<typeof accounts>['executeTakeFirstOrThrow']>>;

export async function listAccounts(db: Db, filter: { role?: UserRole | undefined } = {}): Promise<AccountRow[]> {
  let query = accounts(db);
  if (filter.role) query = query.where('users.role', '=', filter.role);
  return query.orderBy('users.display_name').orderBy('users.id').execute();
}

export async function findAccount(db: Db, id: number): Promise<AccountRow | undefined> {
  return accounts(db).where('users.id', '=', id).executeTakeFirst();
}

export interface TieChoice {
  slug: string;
  name: string;
}

/** The records a role can be tied to: members of an assembly (for member and staff accounts) and answering bodies (for officers). */
export async function tieChoices(db: Db): Promise<{ members: TieChoice[]; bodies: TieChoice[] }> {
  const members = await db
    .selectFrom('people')
    .select(['people.slug', 'people.name'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships')
          .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
          .select('memberships.id')
          .whereRef('memberships.person_id', '=', 'people.id')
          .where('memberships.role', '=', 'member')
          .where('organisations.classification', '=', 'assembly'),
      ),
    )
    .orderBy('people.name')
    .orderBy('people.slug')
    .execute();
  const bodies = await db
    .selectFrom('organisations')
    .select(['slug', 'name'])
    .where('classification', 'in', ['executive', 'functional_body'])
    .orderBy('name')
    .orderBy('slug')
    .execute();
  return { members, bodies };
}
