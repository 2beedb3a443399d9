// @ts-check
// The embedded database's own process: PGlite served on a loopback socket so the app reaches it through pg,
// and a long query never blocks the app's event loop. Plain JavaScript, so this process loads no compiler.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** @typedef {{ type: 'ready'; port: number } | { type: 'failed'; message: string }} ChildMessage */
/** @typedef {{ type: 'shutdown' }} ParentMessage */

/** PostgreSQL's default of 128MB of shared buffers would double this process's memory for no gain here. */
const SHARED_BUFFERS = '16MB';

/** @param {ChildMessage} message */
function send(message) {
  process.send?.(message);
}

const dataDir = process.env.ANSWERABLE_PGLITE_DIR || undefined;
/** @type {PGlite | undefined} */
let db;
/** @type {PGLiteSocketServer | undefined} */
let server;
let stopping = false;

/** @param {number} code */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await server?.stop();
    await db?.close();
  } finally {
    process.exit(code);
  }
}

// The parent decides when to stop; a Ctrl-C reaching the whole process group must not cut a write short.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => void stop(0));
process.on('message', (/** @type {ParentMessage} */ message) => {
  if (message.type === 'shutdown') void stop(0);
});
// The parent died without saying goodbye: close cleanly so the data directory stays consistent.
process.on('disconnect', () => void stop(0));

/** Opens the database, lowering shared_buffers once (it takes effect at the next start). */
async function open() {
  let opened = await PGlite.create(dataDir ? { dataDir } : {});
  if (dataDir) {
    const current = await opened.query('SHOW shared_buffers');
    const value = /** @type {{ shared_buffers?: string } | undefined} */ (current.rows[0])?.shared_buffers;
    if (value !== SHARED_BUFFERS) {
      await opened.exec(`ALTER SYSTEM SET shared_buffers = '${SHARED_BUFFERS}'`);
      await opened.close();
      opened = await PGlite.create({ dataDir });
    }
  }
  return opened;
}

try {
  db = await open();
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  let port = 0;
  server.addEventListener('listening', (event) => {
    const detail = /** @type {CustomEvent<{ port?: number }>} */ (event).detail;
    port = detail.port ?? 0;
  });
  await server.start();
  send({ type: 'ready', port });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  await stop(1);
}
