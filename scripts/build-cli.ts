// Builds the command line into plain JavaScript in dist/cli/ (npm ci runs this as `prepare`; `npm run build:cli`
// by hand). bin/answerable.js runs the build while it is newer than every source file and falls back to the
// TypeScript sources through tsx otherwise, so an edit is never run stale.
//
// Why: tsx's module hooks cost a round trip per module loaded; `answerable import` started in about 2.4 s that way
// against about 0.6 s built (measured on the 2-core CI machine), and the start-up counted against small imports.
// Packages stay external (loaded from node_modules as usual) except kysely and zod: plain ESM of 263 and 95 small
// files that only our code imports, which load in a quarter of a second less bundled. Code splitting keeps each
// command's own modules, and the packages only they use, out of the others' start-up.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = ['kysely', 'zod'];
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const external = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

/**
 * Builds into `outdir` (default dist/cli) beside a fresh copy that replaces the old one in two renames, so a command
 * started meanwhile finds either the whole old build, the whole new one, or none (and then runs from source).
 */
export async function buildCli(outdir = path.join(root, 'dist', 'cli')): Promise<void> {
  const fresh = `${outdir}.new-${process.pid}`;
  const old = `${outdir}.old-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  await build({
    entryPoints: { main: path.join(root, 'src', 'cli', 'main.ts') },
    outdir: fresh,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    banner: { js: '// Built by scripts/build-cli.ts from src/: edit the sources, not this file.' },
  });
  // The stamp bin/built-cli.js compares with the sources' modification times.
  fs.writeFileSync(path.join(fresh, 'built-at'), `${new Date().toISOString()}\n`);
  if (fs.existsSync(outdir)) fs.renameSync(outdir, old);
  fs.renameSync(fresh, outdir);
  fs.rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await buildCli();
