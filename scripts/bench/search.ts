// npm run bench:search: the same seeded corpus and 200 queries on the PostgreSQL server, embedded PGlite and
// SQLite FTS5 (the baseline); p50/p95 per engine and the ratios against the targets in issue 5.
// BENCH_SIZE (default 1,000,000) scales the corpus; BENCH_ENGINES=server,pglite,sqlite picks engines.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { parseSearchQuery } from '../../src/search/search-query.ts';
import { searchQuestions } from '../../src/search/search.queries.ts';
import { benchQueries, makeWorld, percentile, readLanguage, REAL_DATA, seeded, type BenchQuery } from './lib/corpus.ts';
import { loadPostgres, loadSqlite, sqliteSearch } from './lib/loaders.ts';

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const ENGINES = (process.env.BENCH_ENGINES ?? 'server,pglite,sqlite').split(',');
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SEED = 20261129;
const TODAY = '2025-12-10';
const log = (s: string) => console.log(s);

interface Engine {
  name: string;
  run(q: BenchQuery): Promise<number>;
  close(): Promise<void>;
}

interface Timing {
  engine: string;
  p50: number;
  p95: number;
  byKind: Record<string, number>;
  totals: number[];
}

/** Query by query, each engine in turn, so that load from elsewhere on the machine falls on all engines alike. */
async function measure(engines: Engine[], queries: BenchQuery[]): Promise<Timing[]> {
  for (const q of queries.slice(0, 10)) for (const e of engines) await e.run(q); // warm caches and plans
  const times = engines.map(() => [] as number[]);
  const totals = engines.map(() => [] as number[]);
  const kinds = engines.map(() => new Map<string, number[]>());
  for (const q of queries) {
    for (const [i, e] of engines.entries()) {
      const started = process.hrtime.bigint();
      totals[i]!.push(await e.run(q));
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      times[i]!.push(ms);
      kinds[i]!.set(q.kind, [...(kinds[i]!.get(q.kind) ?? []), ms]);
    }
  }
  return engines.map((e, i) => {
    const byKind = Object.fromEntries([...kinds[i]!].map(([k, v]) => [k, percentile(v, 95)]));
    const timing = { engine: e.name, p50: percentile(times[i]!, 50), p95: percentile(times[i]!, 95), byKind, totals: totals[i]! };
    log(`${e.name.padEnd(8)} p50 ${timing.p50.toFixed(1)} ms  p95 ${timing.p95.toFixed(1)} ms  p95 by kind (ms) ${JSON.stringify(Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, Math.round(v)])))}`);
    return timing;
  });
}

async function postgresEngine(name: string, handle: DatabaseHandle, world: ReturnType<typeof makeWorld>, lang: NonNullable<ReturnType<typeof readLanguage>>, close: () => Promise<void>): Promise<Engine> {
  await migrate(handle.db);
  const started = Date.now();
  await loadPostgres(handle.pool, name === 'server', world, lang, SIZE, SEED, log);
  log(`${name}: loaded ${SIZE.toLocaleString('en-GB')} questions in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return {
    name,
    run: async (q) => (await searchQuestions(handle.db, parseSearchQuery({ q: q.text }), { today: TODAY, pageSize: 20 })).total,
    close,
  };
}

async function main() {
  const lang = readLanguage();
  if (!lang) {
    log(`bench:search skipped: the real records are not at ${REAL_DATA} (they sit beside the project in ../shared/data).`);
    return;
  }
  const world = makeWorld(seeded(SEED));
  const queries = benchQueries(lang, SEED + 1);
  log(`bench:search: ${SIZE.toLocaleString('en-GB')} questions, ${queries.length} queries, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  const engines: Engine[] = [];
  // An interrupted run still drops its server database and removes its SQLite file.
  const stop = () => {
    void Promise.allSettled(engines.map((e) => e.close())).then(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (ENGINES.includes('sqlite')) {
      const { default: Database } = await import('better-sqlite3');
      const file = path.join(os.tmpdir(), `answerable-bench-${process.pid}.sqlite`);
      const db = new Database(file);
      const started = Date.now();
      loadSqlite(db, world, lang, SIZE, SEED);
      log(`sqlite: loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      const search = sqliteSearch(db);
      engines.push({
        name: 'sqlite',
        run: (q) => Promise.resolve(search(q.fts5, TODAY).total),
        close: () => {
          db.close();
          fs.rmSync(file, { force: true });
          return Promise.resolve();
        },
      });
    }
    if (ENGINES.includes('server')) {
      const name = `answerable_bench_${process.pid}`;
      const admin = new pg.Client({ connectionString: SERVER_URL });
      let created = false;
      try {
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        created = true;
      } catch (error) {
        log(`server: skipped, no PostgreSQL server at ${SERVER_URL} (${(error as Error).message})`);
        await admin.end().catch(() => undefined);
      }
      if (created) {
        const url = new URL(SERVER_URL);
        url.pathname = `/${name}`;
        const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
        engines.push(
          await postgresEngine('server', handle, world, lang, async () => {
            await handle.close();
            await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            await admin.end();
          }),
        );
      }
    }
    if (ENGINES.includes('pglite')) {
      const handle = await openDatabase({});
      engines.push(await postgresEngine('pglite', handle, world, lang, () => handle.close()));
    }
    const results = await measure(engines, queries);
    report(results, queries);
  } finally {
    for (const e of engines) await e.close();
  }
}

function report(results: Timing[], queries: BenchQuery[]) {
  const get = (e: string) => results.find((r) => r.engine === e);
  const [sqlite, server, pglite] = [get('sqlite'), get('server'), get('pglite')];
  if (sqlite && server) {
    const mismatched = queries.filter((_, i) => sqlite.totals[i] !== server.totals[i]).length;
    log(`totals differing between SQLite and PostgreSQL (different stemmers and stop words; PostgreSQL estimates past 10,000): ${mismatched} of ${queries.length}`);
    const ratio = server.p95 / sqlite.p95;
    log(`server p95 / sqlite p95 = ${ratio.toFixed(2)} (target ≤ 2): ${ratio <= 2 ? 'met' : 'NOT met'}`);
  }
  if (server && pglite) {
    const ratio = pglite.p95 / server.p95;
    log(`pglite p95 / server p95 = ${ratio.toFixed(2)} (target ≤ 2): ${ratio <= 2 ? 'met' : 'NOT met'}`);
  }
}

await main();
