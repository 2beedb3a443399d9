// Test factories for the order paper: party groups of a given size in a test world, each member with an account,
// and accepted oral questions tabled by them at known moments.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { acceptedQuestion, uniqueTag, type MeetingFixture, type World } from '../workflow/test-factories.ts';

export interface TestGroup {
  organisationId: number;
  name: string;
  members: Actor[];
}

/** A party group of `size` new assembly members (each with a member account), in the world's assembly since 2000. */
export async function partyGroup(db: Db, world: World, name: string, size: number): Promise<TestGroup> {
  const tag = uniqueTag();
  const org = await db
    .insertInto('organisations')
    .values({ slug: `group-${tag}`, name, short_name: name.replace(/ Group$/, ''), classification: 'party_group', parent_id: world.assemblyId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const members: Actor[] = [];
  for (let i = 1; i <= size; i++) {
    const personName = `${name.replace(/ Group$/, '')} Member ${i}`;
    const person = await db.insertInto('people').values({ slug: `person-${tag}-${i}`, name: personName }).returning('id').executeTakeFirstOrThrow();
    await db
      .insertInto('memberships')
      .values([
        { person_id: person.id, organisation_id: world.assemblyId, role: 'member', label: 'Assembly Member', start_date: '2000-05-04' },
        { person_id: person.id, organisation_id: org.id, role: i === 1 ? 'leader' : 'member', start_date: '2000-05-04' },
        // The leader holds a member term as well, as the demo records it: still one member of the group.
        ...(i === 1 ? [{ person_id: person.id, organisation_id: org.id, role: 'member' as const, start_date: '2000-05-04' }] : []),
      ])
      .execute();
    const email = `member.${tag}.${i}@example.test`;
    const user = await db
      .insertInto('users')
      .values({ email, display_name: personName, role: 'member', password_hash: 'not-a-real-hash', person_id: person.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    members.push({ userId: user.id, role: 'member', email, displayName: personName, personId: person.id, actingForId: null, organisationId: null });
  }
  return { organisationId: org.id, name, members };
}

/** An accepted oral question tabled by `asker` at `tabledAt`. */
export async function acceptedOral(db: Db, world: World, asker: Actor, tabledAt: Date, title: string, meeting: MeetingFixture = world.meetings.future) {
  return acceptedQuestion(db, world, { type: 'oral', asker, now: tabledAt, title, meeting });
}
