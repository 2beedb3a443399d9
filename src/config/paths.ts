// Where the project's files are on disk. Every module finds templates, migrations, demo data and assets from the
// project root rather than from its own file, so the same code runs from src/ through tsx or from the one-file
// build of the command line in dist/ (scripts/build-cli.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'answerable') return dir;
    if (path.dirname(dir) === dir) throw new Error(`Answerable's package.json was not found above ${start}`);
  }
}

/** The folder holding package.json. */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the project: projectPath('src', 'db', 'migrations'). */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot, ...parts);
}
