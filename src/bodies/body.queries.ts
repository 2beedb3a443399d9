// Answering bodies: the Mayor's office and the functional bodies that answer questions on the Mayor's behalf.
import type { Db } from '../db/database.ts';

const BODY_CLASSIFICATIONS = ['executive', 'functional_body'] as const;

export async function answeringBodies(db: Db) {
  return db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'short_name', 'abbreviation', 'classification'])
    .where('classification', 'in', BODY_CLASSIFICATIONS)
    .orderBy('name')
    .execute();
}

export async function findBodyBySlug(db: Db, slug: string) {
  return db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name', 'short_name', 'abbreviation', 'classification'])
    .where('classification', 'in', BODY_CLASSIFICATIONS)
    .where('slug', '=', slug)
    .executeTakeFirst();
}
