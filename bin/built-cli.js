// Whether the plain-JavaScript build of the command line (dist/cli/, from scripts/build-cli.ts) can run: it exists
// and no source file has changed since it was built. Kept apart from bin/answerable.js so a test can check it.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The build's entry point under `root`, or null when there is none, or when a non-test source under src/ or
 * package-lock.json (kysely and zod are bundled in) is newer than the build's stamp: an edited source or a changed
 * package always runs through tsx, never a stale build.
 * @param {string} root the project folder
 * @returns {string | null}
 */
export function currentBuild(root) {
  const entry = path.join(root, 'dist', 'cli', 'main.mjs');
  let stamp;
  try {
    stamp = fs.statSync(path.join(root, 'dist', 'cli', 'built-at')).mtimeMs;
    fs.statSync(entry);
  } catch {
    return null;
  }
  const lock = path.join(root, 'package-lock.json');
  if (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > stamp) return null;
  const src = path.join(root, 'src');
  for (const file of fs.readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    if (fs.statSync(path.join(src, file)).mtimeMs > stamp) return null;
  }
  return entry;
}
