// Runs the whole test suite: builds the assets, finds every *.test.ts under src/ and hands them to node's test runner.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAssets } from '../src/web/build-assets.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const files = (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => path.join('src', file))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(' ')}`);
  process.exit(1);
}
await buildAssets();
const concurrency = Math.max(1, Math.min(2, os.availableParallelism()));
console.log(`Running ${files.length} test files on ${process.env.DATABASE_URL ? 'the PostgreSQL server' : 'embedded PGlite'} (concurrency ${concurrency}).`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
});
process.exit(result.status ?? 1);
