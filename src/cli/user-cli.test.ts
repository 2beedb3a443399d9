import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { migrate } from '../db/migrate.ts';
import { CLI_BIN, cleanUpStores, freshStore } from '../testing/cli-store.ts';
import { createUser } from '../users/user.repository.ts';

const bin = CLI_BIN;
after(cleanUpStores);

function run(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete base.DATABASE_URL;
  return spawnSync(process.execPath, [bin, ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 120_000 });
}

function assertOneLineError(result: ReturnType<typeof run>, pattern: RegExp) {
  assert.equal(result.status, 1, `expected exit 1, got ${result.status}: ${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
}

test('the user subcommands explain themselves with --help', () => {
  for (const command of ['list', 'set-role', 'disable', 'enable', 'reset-two-factor']) {
    const result = run(['user', command, '--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`Usage: answerable user ${command}`));
  }
  assert.match(run(['user', 'set-role', '--help']).stdout, /--acting-for <slug>/);
});

test('user list, set-role, disable and enable change accounts, audited as "cli", and refuse bad input with one line', async () => {
  const store = await freshStore();
  const setup = await store.open();
  try {
    await migrate(setup.db);
    await setup.db.transaction().execute(async (trx) => {
      await trx.insertInto('people').values({ slug: 'priya-okafor', name: 'Priya Okafor' }).execute();
      await trx.insertInto('organisations').values({ slug: 'police', name: 'Wexbridge Police Service', classification: 'functional_body' }).execute();
      await createUser(trx, { email: 'sam@example.org', displayName: 'Sam Clerk', role: 'clerk', password: 'a long and unusual passphrase' }, { id: null, label: 'test' });
      await createUser(trx, { email: 'ada@example.org', displayName: 'Ada Admin', role: 'admin', password: 'another unusual passphrase' }, { id: null, label: 'test' });
      const sam = await trx.selectFrom('users').select('id').where('email', '=', 'sam@example.org').executeTakeFirstOrThrow();
      await trx.insertInto('api_tokens').values({ user_id: sam.id, name: 'laptop', token_hash: 'hash-of-a-token', token_prefix: 'ans_abcdef' }).execute();
    });
  } finally {
    await setup.close();
  }

  const list = run(['user', 'list'], store.env);
  assert.equal(list.status, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /^EMAIL\s+NAME\s+ROLE\s+TIED TO\s+TWO-FACTOR\s+STATUS\s+LAST SIGN-IN$/);
  assert.match(list.stdout, /ada@example\.org\s+Ada Admin\s+admin\s+-\s+not enrolled\s+active\s+-/);
  assert.match(list.stdout, /sam@example\.org\s+Sam Clerk\s+clerk/);
  const admins = run(['user', 'list', '--role', 'admin'], store.env);
  assert.equal(admins.status, 0, admins.stderr);
  assert.doesNotMatch(admins.stdout, /sam@example\.org/);

  assertOneLineError(run(['user', 'list', '--role', 'mayor'], store.env), /^answerable: Role must be one of/);
  assertOneLineError(run(['user', 'set-role', 'nobody@example.org', 'clerk'], store.env), /^answerable: There is no account with the email nobody@example\.org$/);
  assertOneLineError(run(['user', 'set-role', 'sam@example.org', 'mayor'], store.env), /^answerable: Role must be one of member, staff/);
  assertOneLineError(run(['user', 'set-role', 'sam@example.org', 'officer'], store.env), /^answerable: An officer account needs an answering body \(--body <slug>\)$/);
  assertOneLineError(run(['user', 'set-role', 'sam@example.org', 'member', '--person', 'nobody'], store.env), /no person "nobody" in the record \(--person <slug>\)/);
  assertOneLineError(run(['user', 'disable', 'nobody@example.org'], store.env), /There is no account with the email/);
  assertOneLineError(run(['user', 'enable', 'sam@example.org'], store.env), /is not disabled/);

  const setRole = run(['user', 'set-role', 'SAM@example.org', 'officer', '--body', 'police'], store.env);
  assert.equal(setRole.status, 0, setRole.stderr);
  assert.match(setRole.stdout, /SAM@example\.org is now officer\./);
  const disable = run(['user', 'disable', 'sam@example.org'], store.env);
  assert.equal(disable.status, 0, disable.stderr);
  assert.match(disable.stdout, /Disabled sam@example\.org/);
  assertOneLineError(run(['user', 'disable', 'sam@example.org'], store.env), /already disabled/);
  const listed = run(['user', 'list'], store.env);
  assert.match(listed.stdout, /sam@example\.org\s+Sam Clerk\s+officer\s+Body: Wexbridge Police Service\s+not enrolled\s+disabled/);
  const enable = run(['user', 'enable', 'sam@example.org'], store.env);
  assert.equal(enable.status, 0, enable.stderr);

  const handle = await store.open();
  try {
    const sam = await handle.db.selectFrom('users').select(['id', 'role', 'organisation_id', 'disabled_at']).where('email', '=', 'sam@example.org').executeTakeFirstOrThrow();
    assert.equal(sam.role, 'officer');
    assert.notEqual(sam.organisation_id, null);
    assert.equal(sam.disabled_at, null);
    const token = await handle.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', sam.id).executeTakeFirstOrThrow();
    assert.notEqual(token.revoked_at, null, 'the new role ended the API token');
    const events = await handle.db
      .selectFrom('audit_events')
      .select(['actor_id', 'actor_label', 'action', 'from_state', 'to_state'])
      .where('record_type', '=', 'user')
      .where('record_id', '=', sam.id)
      .where('actor_label', '=', 'cli')
      .orderBy('id')
      .execute();
    assert.deepEqual(events, [
      { actor_id: null, actor_label: 'cli', action: 'user.role_changed', from_state: 'clerk', to_state: 'officer' },
      { actor_id: null, actor_label: 'cli', action: 'user.disabled', from_state: 'active', to_state: 'disabled' },
      { actor_id: null, actor_label: 'cli', action: 'user.enabled', from_state: 'disabled', to_state: 'active' },
    ]);
  } finally {
    await handle.close();
  }
});
