// npm run bench:import: `answerable import` against a raw COPY of the same rows into the same tables, on the
// PostgreSQL server, for the December 2023 Commons file and a synthetic file in the same format (BENCH_SIZE questions,
// default 1,000,000, and a tenth of that), printing throughput ratios (target: import >= 50% of COPY) and the
// import's peak RSS at both synthetic sizes (target: flat as the file grows).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { writeSynthetic } from './lib/synthetic-questions.ts';

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMMONS = path.join(ROOT, '../shared/data/uk-parliament-written-questions/commons-2023-12.json');
const LONGFORM = path.join(ROOT, '../shared/data/uk-parliament-written-questions/longform-2023-12.json');
const TABLES = ['people', 'organisations', 'questions', 'answer_versions', 'question_groupings', 'question_attachments', 'reference_sequences', 'audit_events'] as const;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-bench-import-'));
const created: string[] = [];
const log = (line: string) => console.log(line);

function urlFor(name: string): string {
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshDatabase(label: string): Promise<string> {
  const name = `answerable_bench_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  const handle = await openDatabase({ databaseUrl: urlFor(name) });
  await migrate(handle.db);
  await handle.close();
  return urlFor(name);
}

async function dropAll(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** Runs the real CLI in a child process; returns seconds and the peak resident set (VmHWM) polled from /proc. */
async function importWithCli(url: string, file: string, extra: string[] = []): Promise<{ seconds: number; peakMb: number; summary: string }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/answerable.js'), 'import', file, '--format', 'uk-parliament', ...extra], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // The child has gone.
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`import failed (${code}): ${err.trim().split('\n').pop()}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakMb: peakKb / 1024, summary: out.trim().split('\n').find((l) => l.startsWith('Imported')) ?? '' };
}

/** Dumps the rows the import wrote (COPY TO files), then times only COPY FROM those files into a fresh database. */
async function copySameRows(fromUrl: string, label: string): Promise<{ seconds: number; rows: number }> {
  const source = new pg.Client({ connectionString: fromUrl });
  await source.connect();
  const files: Record<string, string> = {};
  let rows = 0;
  for (const table of TABLES) {
    const where = table === 'audit_events' ? " WHERE action LIKE 'question.import%'" : table === 'people' || table === 'organisations' ? ' WHERE source IS NOT NULL' : '';
    files[table] = path.join(work, `${label}-${table}.copy`);
    await pipeline(source.query(copyTo(`COPY (SELECT * FROM ${table}${where} ORDER BY 1) TO STDOUT`)), fs.createWriteStream(files[table]));
    rows += Number((await source.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}${where}`)).rows[0]?.n ?? 0);
  }
  await source.end();
  const target = new pg.Client({ connectionString: await freshDatabase(`${label}_copy`) });
  await target.connect();
  const started = process.hrtime.bigint();
  await target.query('BEGIN');
  // Rows the migrations seed (none in these tables today) would clash on their ids; the import starts empty too.
  for (const table of TABLES) await pipeline(fs.createReadStream(files[table] as string), target.query(copyFrom(`COPY ${table} FROM STDIN`)));
  await target.query('COMMIT');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await target.end();
  for (const file of Object.values(files)) fs.rmSync(file, { force: true });
  return { seconds, rows };
}

async function compare(label: string, file: string, questions: number, extra: string[] = []) {
  const url = await freshDatabase(label);
  const imported = await importWithCli(url, file, extra);
  const copied = await copySameRows(url, label);
  const ratio = copied.seconds / imported.seconds;
  // The CLI reports the import's own time (without starting Node and connecting): the ratio the file size decides.
  const own = Number(/ in ([\d.]+) s\./.exec(imported.summary)?.[1] ?? imported.seconds);
  log(`${label}: ${questions.toLocaleString('en-GB')} questions (${copied.rows.toLocaleString('en-GB')} rows)`);
  log(`  import ${imported.seconds.toFixed(1)} s (${Math.round(questions / imported.seconds).toLocaleString('en-GB')} questions/s), peak RSS ${imported.peakMb.toFixed(0)} MB`);
  log(`  COPY   ${copied.seconds.toFixed(1)} s (${Math.round(questions / copied.seconds).toLocaleString('en-GB')} questions/s)`);
  log(`  import throughput = ${(ratio * 100).toFixed(0)}% of COPY (target >= 50%) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}; without process start-up (${own.toFixed(1)} s): ${((copied.seconds / own) * 100).toFixed(0)}%`);
  log(`  ${imported.summary}`);
  return { ...imported, ratio };
}

try {
  log(`Server: ${SERVER.replace(/\/\/[^@]*@/, '//***@')}; synthetic sizes ${Math.round(SIZE / 10).toLocaleString('en-GB')} and ${SIZE.toLocaleString('en-GB')}`);
  if (fs.existsSync(COMMONS)) await compare('commons', COMMONS, 2989, ['--longform', LONGFORM]);
  else log(`(skipping the Commons file: ${COMMONS} is absent)`);
  const peaks: number[] = [];
  for (const size of [Math.max(1, Math.round(SIZE / 10)), SIZE]) {
    const file = path.join(work, `synthetic-${size}.json`);
    const started = Date.now();
    await writeSynthetic(file, size);
    log(`(wrote ${file}: ${(fs.statSync(file).size / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    peaks.push((await compare(`synthetic_${size}`, file, size)).peakMb);
    fs.rmSync(file, { force: true });
  }
  // Flat means the peak does not follow the file: a tenfold file may add V8's warm-up, never the file's size.
  const [small = 0, large = 0] = peaks;
  log(`Peak RSS: ${small.toFixed(0)} MB -> ${large.toFixed(0)} MB for a file 10x larger (${large - small < 150 ? 'flat: it does not grow with the file' : 'GROWS with the file'})`);
} finally {
  await dropAll();
  fs.rmSync(work, { recursive: true, force: true });
}
