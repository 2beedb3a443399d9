import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CLI_BIN, cleanUpStores, freshStore, serverMode } from '../testing/cli-store.ts';

const bin = CLI_BIN;
after(cleanUpStores);

function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
  delete base.DATABASE_URL;
  return spawnSync(process.execPath, [bin, ...args], { env: { ...base, ...env }, input, encoding: 'utf8', timeout: 120_000 });
}

function assertOneLineError(result: ReturnType<typeof run>, pattern: RegExp) {
  assert.equal(result.status, 1, `expected exit 1, got ${result.status}: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
}

test('every command explains itself with --help', () => {
  for (const args of [['--help'], ['serve', '--help'], ['migrate', '--help'], ['demo', '--help'], ['user', 'add', '--help']]) {
    const result = run(args);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage: answerable/);
  }
});

test('a malformed environment variable stops the command with one line naming it', () => {
  assertOneLineError(run(['migrate'], { PORT: 'lots' }), /^answerable: Configuration problem: PORT="lots"/);
  assertOneLineError(run(['migrate'], { DATABASE_URL: 'mysql://db/x' }), /DATABASE_URL=.*must be a PostgreSQL URL/);
});

test('an unreachable database server is one clear line', () => {
  assertOneLineError(run(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/answerable' }), /Cannot reach the PostgreSQL server at .*127\.0\.0\.1:1.*connection refused/);
});

test('a database that does not exist on the server is one clear line', { skip: !serverMode && 'needs the PostgreSQL server (DATABASE_URL)' }, () => {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/answerable_no_such_database';
  assertOneLineError(run(['migrate'], { DATABASE_URL: url.toString() }), /does not exist/);
});

test('a data directory that cannot be written is one clear line', () => {
  const file = path.join(os.tmpdir(), `answerable-not-a-dir-${process.pid}`);
  fs.writeFileSync(file, '');
  assertOneLineError(run(['migrate'], { DATA_DIR: path.join(file, 'data') }), /data directory .* cannot be written .*DATA_DIR/);
  fs.rmSync(file);
});

test('a port already in use is one clear line, and the database is closed again', async () => {
  const store = await freshStore();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, 'localhost', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    assertOneLineError(run(['serve'], { ...store.env, PORT: String(port), DEMO: 'off' }), new RegExp(`Port ${port} is already in use`));
  } finally {
    blocker.close();
  }
  if (!serverMode) assert.equal(fs.existsSync(path.join(store.env.DATA_DIR!, 'answerable.lock')), false);
});

test('serve starts with the demo, answers pages, and stops cleanly on SIGTERM; the next start is quick', async () => {
  const store = await freshStore();
  const serveOnce = async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [bin, 'serve'], { env: { ...process.env, ...store.env, PORT: '0', LOG_LEVEL: 'silent', ...(serverMode ? {} : { DATABASE_URL: '' }) } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), 90_000);
      child.stdout.on('data', () => {
        const match = /running on (http:\/\/localhost:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
    });
    const seconds = (Date.now() - started) / 1000;
    const home = await fetch(`${url}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Wexbridge/);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; database: { mode: string } };
    assert.equal(health.status, 'ok');
    assert.equal(health.database.mode, serverMode ? 'server' : 'embedded');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    return { seconds, output };
  };
  const first = await serveOnce();
  assert.match(first.output, /Loaded the demo assembly/);
  assert.ok(first.seconds < 60, `first start took ${first.seconds} s`);
  const second = await serveOnce();
  assert.doesNotMatch(second.output, /Loading the demo/);
  assert.ok(second.seconds < 5 * 2, `second start took ${second.seconds} s`);
  if (!serverMode) assert.equal(fs.existsSync(path.join(store.env.DATA_DIR!, 'answerable.lock')), false);
});

test('killing the demo load part-way leaves the database before or after, never between', async () => {
  const store = await freshStore();
  const migrated = run(['migrate'], store.env);
  assert.equal(migrated.status, 0, migrated.stderr);
  const child = spawn(process.execPath, [bin, 'demo'], { env: { ...process.env, ...store.env, LOG_LEVEL: 'silent', ...(serverMode ? {} : { DATABASE_URL: '' }) }, detached: true });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/Loading questions: \d+ of/.test(output)) resolve();
    });
    child.once('exit', () => resolve());
  });
  // A crash: the command and (embedded) its database process die at once, with no chance to clean up.
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // It had already finished: the "after" case.
  }
  await exited;
  const handle = await store.open();
  let loaded: boolean;
  try {
    const count = async (table: 'organisations' | 'people' | 'meetings' | 'questions' | 'answer_versions' | 'audit_events') =>
      Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const counts = await Promise.all((['organisations', 'people', 'meetings', 'questions', 'answer_versions'] as const).map(count));
    const finished = await handle.db.selectFrom('audit_events').select('id').where('action', '=', 'assembly.demo_loaded').execute();
    loaded = finished.length === 1;
    if (loaded) {
      // After: everything, down to the last event the load writes.
      for (const n of counts) assert.ok(n > 0);
    } else {
      // Before: nothing at all, not even the audit trail of the questions already written.
      assert.deepEqual(counts, [0, 0, 0, 0, 0]);
      assert.equal(await count('audit_events'), 0);
    }
    if (!serverMode) {
      // The embedded load is slow enough to be caught part-way every time, and the crash left its lock behind.
      assert.equal(loaded, false, `the kill came too late to test anything:\n${output}`);
      assert.equal(handle.recoveredStaleLock, true);
    }
  } finally {
    await handle.close();
  }
  if (!loaded) {
    const again = run(['demo'], store.env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Loaded the demo assembly: \d+ people, \d+ meetings, \d+ questions/);
  }
  assertOneLineError(run(['demo'], store.env), /already holds a record/);
});

test('user add creates an account, and refuses bad input with one line', async () => {
  const store = await freshStore();
  assert.equal(run(['migrate'], store.env).status, 0);
  const ok = run(['user', 'add', '--email', 'clerk@example.org', '--name', 'Sam Clerk', '--role', 'clerk'], store.env, 'a long and unusual passphrase\n');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Created clerk account clerk@example.org/);
  assertOneLineError(run(['user', 'add', '--email', 'clerk@example.org', '--name', 'Again', '--role', 'clerk'], store.env, 'another unusual passphrase'), /already exists/);
  assertOneLineError(run(['user', 'add', '--email', 'x@example.org', '--name', 'X', '--role', 'mayor'], store.env, 'another unusual passphrase'), /Role must be one of/);
  assertOneLineError(run(['user', 'add', '--email', 'y@example.org', '--name', 'Y', '--role', 'admin'], store.env, 'password1'), /too common/);
  assertOneLineError(run(['user', 'add', '--email', 'z@example.org', '--name', 'Z', '--role', 'admin'], store.env, 'short'), /at least 8 characters/);
  assertOneLineError(run(['user', 'add', '--email', 'm@example.org', '--name', 'M', '--role', 'member', '--person', 'nobody'], store.env, 'another unusual passphrase'), /no person "nobody"/);
  const handle = await store.open();
  try {
    const users = await handle.db.selectFrom('users').select(['email', 'password_hash']).execute();
    assert.equal(users.length, 1);
    assert.match(users[0]?.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await handle.db.selectFrom('audit_events').select(['action', 'actor_label']).execute();
    assert.deepEqual(audit, [{ action: 'user.created', actor_label: 'cli' }]);
  } finally {
    await handle.close();
  }
});
