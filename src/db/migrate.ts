// Applies the numbered SQL files in migrations/ forward only, each in its own transaction, under a ledger and a lock.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { projectPath } from '../config/paths.ts';
import { AppError } from '../errors/app-error.ts';

const MIGRATIONS_DIR = projectPath('src', 'db', 'migrations');
/** Any fixed number: it names the advisory lock that serialises migrators across processes. */
const MIGRATION_LOCK_KEY = 4_270_301;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match?.[1] || !match[2]) throw new AppError('migration_failed', `Migration file ${file} must be named NNNN_name.sql.`);
      return { version: Number(match[1]), name: match[2], sql: fs.readFileSync(path.join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new AppError('migration_failed', `Migrations must be numbered 1, 2, 3 ... without gaps; found ${migration.version} at position ${index + 1}.`);
    }
  });
  return migrations;
}

let latest: number | undefined;
/** The version the code expects: the number of migration files. */
export function latestVersion(): number {
  latest ??= listMigrations().length;
  return latest;
}

export interface MigrateResult {
  applied: Migration[];
  version: number;
}

const LEDGER = sql`CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;

/**
 * Applies one migration inside the caller's transaction unless the ledger already has it. The advisory lock
 * makes concurrent migrators (two app servers starting at once) take turns.
 */
export async function applyMigration(trx: Db, migration: Migration): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
  await LEDGER.execute(trx);
  const done = await sql<{ version: number }>`SELECT version FROM schema_migrations WHERE version = ${migration.version}`.execute(trx);
  if (done.rows.length > 0) return false;
  try {
    // The file's statements run as one simple-protocol batch, inside the transaction.
    await sql.raw(migration.sql).execute(trx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('migration_failed', `Migration ${migration.version} (${migration.name}) failed and was rolled back: ${message}`, { cause: error });
  }
  await sql`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`.execute(trx);
  return true;
}

/** Brings the schema up to date: each pending migration in its own transaction, all or nothing. */
export async function migrate(db: Db, options: { onApply?: (m: Migration) => void; dir?: string } = {}): Promise<MigrateResult> {
  const applied: Migration[] = [];
  for (const migration of listMigrations(options.dir)) {
    const didApply = await db.transaction().execute((trx) => applyMigration(trx, migration));
    if (didApply) {
      applied.push(migration);
      options.onApply?.(migration);
    }
  }
  return { applied, version: await currentVersion(db) };
}

export async function currentVersion(db: Db): Promise<number> {
  const exists = await sql<{ present: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`.execute(db);
  if (!exists.rows[0]?.present) return 0;
  const result = await sql<{ version: number | null }>`SELECT max(version) AS version FROM schema_migrations`.execute(db);
  return result.rows[0]?.version ?? 0;
}

/** Drops every table and the ledger and builds the schema afresh, inside the caller's transaction (demo reload). */
export async function rebuildSchema(trx: Db): Promise<void> {
  await sql`DROP SCHEMA public CASCADE`.execute(trx);
  await sql`CREATE SCHEMA public`.execute(trx);
  for (const migration of listMigrations()) await applyMigration(trx, migration);
}
