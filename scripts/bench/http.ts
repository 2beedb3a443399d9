// HTTP benchmark (npm run bench:http): the question page and a search page under 50 concurrent connections
// (autocannon), against a bare Fastify route returning a fixed string, measured in the same run on the same
// machine. The app runs in a child process on the demo data (embedded PGlite, or the server with DATABASE_URL)
// so autocannon and the server do not share an event loop. Target: question page throughput >= 50% of the bare
// route. Environment: BENCH_SECONDS (default 5 per round), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 50),
// BENCH_PAGE_CACHE_SECONDS (default 5, as `answerable serve`; 0 renders every request).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

interface Targets {
  bare: string;
  bareSameBytes: string;
  question: string;
  search: string;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_RATIO = 0.5;
const ACCEPT_ENCODING = 'gzip, deflate, br';
/** Seconds anonymous pages may come from the app's micro-cache (src/web/page-cache.ts); 0 measures every render. */
const PAGE_CACHE_SECONDS = Number(process.env.BENCH_PAGE_CACHE_SECONDS ?? 5);

/** The child: the demo app and a bare Fastify server on free ports; it reports their URLs and waits. */
async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { londonDate } = await import('../../src/calendar/london-time.ts');
  const { readDemoData } = await import('../../src/demo/demo-data.ts');
  const { loadDemo } = await import('../../src/demo/load-demo.ts');
  const { FIXED_NOW } = await import('../../src/testing/demo-app.ts');
  const { createTestDatabase } = await import('../../src/testing/test-database.ts');
  const { buildApp } = await import('../../src/web/app.ts');
  type Context = Parameters<typeof buildApp>[0] & { pageCacheSeconds?: number };
  const t = await createTestDatabase();
  const data = await readDemoData();
  await t.db.transaction().execute((trx) => loadDemo(trx, data, { today: londonDate(FIXED_NOW) }));
  const context: Context = {
    db: t.db,
    mode: t.mode,
    config: { publicUrl: 'http://answerable.test', logLevel: 'silent' },
    now: () => FIXED_NOW,
    pageCacheSeconds: PAGE_CACHE_SECONDS,
  };
  const app = await buildApp(context);
  const demo = {
    app,
    t,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
  await demo.app.listen({ port: 0, host: '127.0.0.1' });

  // A question with a correction: several answer versions, a difference, a timeline and related questions.
  const question = await demo.t.db
    .selectFrom('questions')
    .innerJoin('answer_versions', 'answer_versions.question_id', 'questions.id')
    .select(['questions.reference_year', 'questions.reference_number'])
    .where('answer_versions.kind', '=', 'correction')
    .orderBy('questions.id')
    .executeTakeFirstOrThrow();
  // For context: a bare route sending the question page's own bytes, as the benchmark's client receives them.
  const questionPath = `/questions/${question.reference_year}/${String(question.reference_number).padStart(4, '0')}`;
  const sample = await demo.app.inject({ url: questionPath, headers: { 'accept-encoding': ACCEPT_ENCODING } });
  const bare = Fastify();
  bare.get('/', async () => 'Answerable');
  bare.get('/page', async (_request, reply) => {
    for (const name of ['content-type', 'content-encoding', 'vary']) {
      const value = sample.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.send(sample.rawPayload);
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const port = (server: { server: { address(): unknown } }) => (server.server.address() as { port: number }).port;
  const appUrl = `http://127.0.0.1:${port(demo.app)}`;
  const targets: Targets = {
    bare: `http://127.0.0.1:${port(bare)}/`,
    bareSameBytes: `http://127.0.0.1:${port(bare)}/page`,
    question: `${appUrl}${questionPath}`,
    search: `${appUrl}/search?q=police`,
  };
  process.send?.({ targets, mode: demo.t.mode });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    void (async () => {
      await bare.close();
      await demo.close();
      process.exit(0);
    })();
  });
}

interface Measured {
  name: string;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(name: string, url: string, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // Every request asks for compression as browsers do (the bare route's few bytes are sent as they are).
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { 'accept-encoding': ACCEPT_ENCODING } }, (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) errors += 1;
      latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: errors + result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { targets, mode } = await new Promise<{ targets: Targets; mode: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { targets: Targets; mode: string }));
    child.once('exit', (code) => reject(new Error(`the app exited (${code ?? 'signal'}) before it was ready`)));
  });
  console.log(`HTTP benchmark: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per target, database ${mode}, page cache ${PAGE_CACHE_SECONDS} s`);
  const list = [
    ['bare Fastify route', targets.bare],
    ['question page', targets.question],
    ['search page (/search?q=police)', targets.search],
    ['bare route, question page bytes', targets.bareSameBytes],
  ] as const;
  for (const [name, url] of list) console.log(`  ${name}: ${url}`);
  const rounds: Measured[][] = list.map(() => []);
  try {
    // A short warm-up first: compiled templates, JIT and the database's caches, as a running service has them.
    for (const [name, url] of list) await measure(name, url, Math.min(2, SECONDS));
    // The targets take turns, round after round, so a busy moment on a shared machine hits them all alike; each
    // target's median round is reported.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [i, [name, url]] of list.entries()) rounds[i]?.push(await measure(name, url, SECONDS));
      console.log(`  round ${round} of ${ROUNDS} done`);
    }
  } finally {
    child.send('stop');
  }
  const results = rounds.map((r) => [...r].sort((a, b) => a.throughput - b.throughput)[Math.floor(r.length / 2)]).filter((r): r is Measured => r !== undefined);
  const bare = results[0];
  if (!bare) return;
  console.log('');
  console.log('target                            req/s   p50 ms   p95 ms   p99 ms  errors  vs bare');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(32)} ${r.throughput.toFixed(0).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.errors).padStart(7)} ${((100 * r.throughput) / bare.throughput).toFixed(1).padStart(7)}%`,
    );
  }
  const question = results[1];
  if (question) {
    const ratio = question.throughput / bare.throughput;
    console.log('');
    console.log(
      `Question page throughput is ${(100 * ratio).toFixed(1)}% of the bare route (target >= ${100 * TARGET_RATIO}%): ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}`,
    );
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
