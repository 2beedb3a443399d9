import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { currentVersion, latestVersion, listMigrations, migrate } from './migrate.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase();
});
after(async () => {
  await t.close();
});

test('a migrated database is at the latest version and migrating again changes nothing', async () => {
  assert.equal(await currentVersion(t.db), latestVersion());
  const again = await migrate(t.db);
  assert.deepEqual(again.applied, []);
  assert.equal(again.version, latestVersion());
});

test('migration files are numbered without gaps', () => {
  const versions = listMigrations().map((m) => m.version);
  assert.deepEqual(versions, versions.map((_, i) => i + 1));
});

test('a migration that fails part-way leaves nothing of itself behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-migrations-'));
  for (const m of listMigrations()) fs.writeFileSync(path.join(dir, `${String(m.version).padStart(4, '0')}_${m.name}.sql`), m.sql);
  const next = String(latestVersion() + 1).padStart(4, '0');
  fs.writeFileSync(path.join(dir, `${next}_half_done.sql`), 'CREATE TABLE half_done (id integer);\nINSERT INTO half_done VALUES (1);\nSELECT no_such_function();');
  await assert.rejects(migrate(t.db, { dir }), (error: Error) => {
    assert.match(error.message, /half_done\) failed and was rolled back/);
    return true;
  });
  const table = await sql<{ present: boolean }>`SELECT to_regclass('half_done') IS NOT NULL AS present`.execute(t.db);
  assert.equal(table.rows[0]?.present, false);
  assert.equal(await currentVersion(t.db), latestVersion());
  fs.rmSync(dir, { recursive: true });
});

test('concurrent migrators take turns and apply each migration once', async () => {
  const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
  for (const r of results) assert.equal(r.version, latestVersion());
  const ledger = await t.db.selectFrom('schema_migrations').select('version').execute();
  assert.equal(ledger.length, latestVersion());
});

test('audit events are append-only in the database itself', async () => {
  const row = await t.db
    .insertInto('audit_events')
    .values({ actor_label: 'test', action: 'test.event', record_type: 'assembly', record_id: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await assert.rejects(t.db.updateTable('audit_events').set({ actor_label: 'rewritten' } as never).where('id', '=', row.id).execute(), /cannot be changed or deleted/);
  await assert.rejects(t.db.deleteFrom('audit_events').where('id', '=', row.id).execute(), /cannot be changed or deleted/);
  await assert.rejects(sql`TRUNCATE audit_events`.execute(t.db), /cannot be changed or deleted/);
  const still = await t.db.selectFrom('audit_events').select('actor_label').where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.equal(still.actor_label, 'test');
});

test('states are named values the database checks', async () => {
  const assembly = await t.db.insertInto('organisations').values({ slug: 'check-assembly', name: 'Check', classification: 'assembly' }).returning('id').executeTakeFirstOrThrow();
  await assert.rejects(
    t.db.insertInto('organisations').values({ slug: 'bad-class', name: 'Bad', classification: 'parliament' as never }).execute(),
    /violates check constraint/,
  );
  const person = await t.db.insertInto('people').values({ slug: 'check-person', name: 'Check Person' }).returning('id').executeTakeFirstOrThrow();
  const meeting = await t.db
    .insertInto('meetings')
    .values({ slug: 'check-meeting', assembly_id: assembly.id, meeting_type: 'mqt', title: 'MQT', meets_on: '2030-01-16', starts_at: '2030-01-16T10:00:00Z', place: 'Chamber', tabling_cutoff_at: '2030-01-06T12:00:00Z' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const base = { question_type: 'written' as const, title: 'T', body: 'B', asker_id: person.id, meeting_id: meeting.id };
  // An accepted question must have a reference; a draft must not.
  await assert.rejects(t.db.insertInto('questions').values({ ...base, state: 'accepted' }).execute(), /violates check constraint/);
  await assert.rejects(t.db.insertInto('questions').values({ ...base, state: 'draft', reference_year: 2030, reference_number: 1 }).execute(), /violates check constraint/);
  await assert.rejects(t.db.insertInto('questions').values({ ...base, state: 'rejected' }).execute(), /violates check constraint/);
  await t.db.insertInto('questions').values({ ...base, state: 'draft' }).execute();
});
