// A test database with the demo assembly loaded and the app built over it, on a fixed clock.
import type { FastifyInstance } from 'fastify';
import { londonDate } from '../calendar/london-time.ts';
import { readDemoData } from '../demo/demo-data.ts';
import { loadDemo, type DemoLoadResult } from '../demo/load-demo.ts';
import { buildApp } from '../web/app.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

/** Wednesday 25 November 2026, noon: the demo's "current" meetings are placed relative to this. */
export const FIXED_NOW = new Date('2026-11-25T12:00:00Z');

export interface DemoApp {
  t: TestDatabase;
  app: FastifyInstance;
  loaded: DemoLoadResult;
  close(): Promise<void>;
}

export async function createDemoApp(): Promise<DemoApp> {
  const t = await createTestDatabase();
  try {
    const data = await readDemoData();
    const loaded = await t.db.transaction().execute((trx) => loadDemo(trx, data, { today: londonDate(FIXED_NOW) }));
    if (!loaded) throw new Error('the demo did not load into a fresh database');
    const app = await buildApp({ db: t.db, mode: t.mode, config: { publicUrl: 'http://answerable.test', logLevel: 'silent' }, now: () => FIXED_NOW });
    return {
      t,
      app,
      loaded,
      async close() {
        await app.close();
        await t.close();
      },
    };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** The public reference of a demo question, looked up by its title. */
export async function referenceOf(t: TestDatabase, title: string): Promise<string> {
  const row = await t.db
    .selectFrom('questions')
    .select(['reference_year', 'reference_number'])
    .where('title', '=', title)
    .where('reference_number', 'is not', null)
    .executeTakeFirstOrThrow();
  return `${row.reference_year}/${String(row.reference_number).padStart(4, '0')}`;
}
