// The command line's plain-JavaScript build (scripts/build-cli.ts) behaves as the TypeScript sources do, and
// bin/answerable.js only runs it while no source has changed since it was built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { currentBuild } from '../../bin/built-cli.js';
import { buildCli } from '../../scripts/build-cli.ts';
import { projectPath } from '../config/paths.ts';
import { CSV_TEMPLATE_EXAMPLE, csvTemplate } from '../imports/formats/csv.ts';
import { cleanUpStores, freshStore } from '../testing/cli-store.ts';

after(cleanUpStores);

function fakeProject(): { root: string; touch: (file: string, secondsFromNow: number) => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-built-cli-'));
  const touch = (file: string, secondsFromNow: number) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (!fs.existsSync(full)) fs.writeFileSync(full, '');
    const when = new Date(Date.now() + secondsFromNow * 1000);
    fs.utimesSync(full, when, when);
  };
  return { root, touch };
}

test('the build runs only while it is newer than every source file (tests aside) and the package lock', () => {
  const { root, touch } = fakeProject();
  try {
    touch('src/cli/main.ts', -60);
    touch('src/imports/run-import.ts', -60);
    assert.equal(currentBuild(root), null, 'no build at all');
    touch('dist/cli/main.mjs', -30);
    assert.equal(currentBuild(root), null, 'a build without its stamp (interrupted) is not used');
    touch('dist/cli/built-at', -30);
    assert.equal(currentBuild(root), path.join(root, 'dist', 'cli', 'main.mjs'));
    touch('src/imports/run-import.test.ts', 0);
    assert.equal(currentBuild(root), path.join(root, 'dist', 'cli', 'main.mjs'), 'a test file is not in the build');
    touch('package-lock.json', 0);
    assert.equal(currentBuild(root), null, 'changed packages (kysely and zod are bundled) run from source');
    touch('package-lock.json', -60);
    assert.equal(currentBuild(root), path.join(root, 'dist', 'cli', 'main.mjs'));
    touch('src/imports/run-import.ts', 0);
    assert.equal(currentBuild(root), null, 'an edited source runs from source, never stale');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the built command line gives the same answers as the sources: help, an import and an export', async () => {
  const outdir = projectPath('dist', `test-${process.pid}`);
  await buildCli(outdir);
  try {
    const entry = path.join(outdir, 'main.mjs');
    const sourceBin = projectPath('bin', 'answerable.js');
    const run = (how: 'built' | 'source', args: string[], env: Record<string, string>) => {
      const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ANSWERABLE_FROM_SOURCE: '1' };
      delete base.DATABASE_URL;
      const result = spawnSync(process.execPath, [how === 'built' ? entry : sourceBin, ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 120_000 });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    for (const args of [['--help'], ['import', '--help'], ['export', '--help']]) assert.deepEqual(run('built', args, {}), run('source', args, {}), args.join(' '));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answerable-built-cli-data-'));
    try {
      const file = path.join(dir, 'questions.csv');
      fs.writeFileSync(file, csvTemplate());
      const outputs: Record<string, string> = {};
      for (const how of ['built', 'source'] as const) {
        const store = await freshStore();
        const imported = run(how, ['import', file, '--format', 'csv'], store.env);
        assert.equal(imported.status, 0, imported.stderr);
        assert.match(imported.stdout, /1 records; 1 created, 0 updated, 0 unchanged, 0 skipped/);
        const exported = run(how, ['export', '--format', 'ndjson'], store.env);
        assert.equal(exported.status, 0, exported.stderr);
        outputs[how] = exported.stdout.replace(/"(imported_at|created_at|updated_at)":"[^"]*"/g, '"$1":""');
      }
      assert.match(outputs.built ?? '', new RegExp(String(CSV_TEMPLATE_EXAMPLE.title)));
      assert.equal(outputs.built, outputs.source);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
