import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('defaults give the embedded database on port 3000', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.dataDir, path.resolve('./data'));
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.demo, 'auto');
});

test('empty variables count as unset', () => {
  assert.equal(loadConfig({ DATABASE_URL: '', PORT: '' }).port, 3000);
});

test('each malformed variable is named in one readable line', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT="eighty"/],
    [{ PORT: '70000' }, /PORT="70000" is out of range/],
    [{ DATABASE_URL: 'mysql://localhost/x' }, /DATABASE_URL=.*must be a PostgreSQL URL/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud" must be one of/],
    [{ DEMO: 'yes' }, /DEMO="yes" must be one of auto, off/],
    [{ PUBLIC_URL: 'example' }, /PUBLIC_URL/],
  ];
  for (const [env, pattern] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'config_invalid');
        assert.match(error.message, pattern);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      },
    );
  }
});

test('a server URL switches to server mode', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/answerable' }).databaseUrl, 'postgres://u:p@db:5432/answerable');
});
