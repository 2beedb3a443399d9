// Somewhere for CLI commands run as child processes to keep their record in tests: a fresh data directory,
// or a fresh database on the server when DATABASE_URL is set. Call cleanUpStores() in the file's after().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database.ts';
import { createTestDatabase } from './test-database.ts';

export const CLI_BIN = fileURLToPath(new URL('../../bin/answerable.js', import.meta.url));
export const serverMode = Boolean(process.env.DATABASE_URL);

const cleanups: (() => Promise<void>)[] = [];

export async function cleanUpStores(): Promise<void> {
  for (const cleanup of cleanups.splice(0)) await cleanup();
}

export async function freshStore(): Promise<{ env: Record<string, string>; open: () => ReturnType<typeof openDatabase> }> {
  if (serverMode) {
    const t = await createTestDatabase();
    const url = t.url!;
    await t.db.destroy();
    cleanups.push(() => t.close());
    return { env: { DATABASE_URL: url }, open: () => openDatabase({ databaseUrl: url }) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-cli-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return { env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }) };
}
