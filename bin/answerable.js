#!/usr/bin/env node
// Runs the command line from its plain-JavaScript build in dist/cli/ (scripts/build-cli.ts, run by `npm ci`) while
// that build is newer than every source file; otherwise straight from the TypeScript sources through tsx, so
// `npx answerable` needs no build step and an edited source never runs stale. ANSWERABLE_FROM_SOURCE=1 forces tsx.
import { fileURLToPath, pathToFileURL, URL } from 'node:url';
import { currentBuild } from './built-cli.js';

const built = process.env.ANSWERABLE_FROM_SOURCE === '1' ? null : currentBuild(fileURLToPath(new URL('..', import.meta.url)));
if (built) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
