// Compiles the Sass, copies the front-end assets into public/assets with brotli and gzip copies, skipping the work
// when nothing changed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { projectRoot } from '../config/paths.ts';

const root = projectRoot;
const out = path.join(root, 'public', 'assets');
const entry = path.join(root, 'src', 'web', 'assets', 'application.scss');
const cssFile = path.join(out, 'application.css');

function newestSource(): number {
  const dir = path.join(root, 'src', 'web', 'assets');
  const pkg = path.join(root, 'node_modules', 'govuk-frontend', 'package.json');
  return Math.max(...fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs), fs.statSync(pkg).mtimeMs);
}

const COMPRESSED = ['application.css', 'application.js', 'govuk-frontend.min.js', 'favicon.svg'];

export async function buildAssets(options: { force?: boolean } = {}): Promise<boolean> {
  const complete = COMPRESSED.every((file) => fs.existsSync(path.join(out, `${file}.br`)) && fs.existsSync(path.join(out, `${file}.gz`)));
  if (!options.force && complete && fs.existsSync(cssFile) && fs.statSync(cssFile).mtimeMs >= newestSource()) return false;
  fs.mkdirSync(out, { recursive: true });
  // Loaded only when a build is needed: the compiler is large and the running service never needs it.
  const sass = await import('sass');
  const result = sass.compile(entry, {
    style: 'compressed',
    importers: [new sass.NodePackageImporter(root)],
    quietDeps: true,
    silenceDeprecations: ['import'],
  });
  fs.writeFileSync(cssFile, result.css);
  const govuk = path.join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk');
  fs.copyFileSync(path.join(govuk, 'govuk-frontend.min.js'), path.join(out, 'govuk-frontend.min.js'));
  fs.copyFileSync(path.join(root, 'src', 'web', 'assets', 'application.js'), path.join(out, 'application.js'));
  fs.copyFileSync(path.join(root, 'src', 'web', 'assets', 'favicon.svg'), path.join(out, 'favicon.svg'));
  // Precompressed copies for @fastify/static's preCompressed option: compressed once here at the highest
  // settings, never per request.
  for (const file of COMPRESSED) {
    const body = fs.readFileSync(path.join(out, file));
    fs.writeFileSync(path.join(out, `${file}.br`), zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(path.join(out, `${file}.gz`), zlib.gzipSync(body, { level: 9 }));
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const t0 = Date.now();
  const built = await buildAssets({ force: process.argv.includes('--force') });
  console.log(built ? `Built public/assets in ${Date.now() - t0} ms` : 'public/assets is up to date');
}
