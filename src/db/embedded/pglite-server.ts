// The embedded database's own process: PGlite served on a loopback socket so the app reaches it through pg,
// and a long query never blocks the app's event loop.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type ChildMessage = { type: 'ready'; port: number } | { type: 'failed'; message: string };
export type ParentMessage = { type: 'shutdown' };

function send(message: ChildMessage): void {
  process.send?.(message);
}

const dataDir = process.env.ANSWERABLE_PGLITE_DIR;
let db: PGlite | undefined;
let server: PGLiteSocketServer | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
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
process.on('message', (message: ParentMessage) => {
  if (message.type === 'shutdown') void stop(0);
});
// The parent died without saying goodbye: close cleanly so the data directory stays consistent.
process.on('disconnect', () => void stop(0));

try {
  db = await PGlite.create(dataDir ? { dataDir } : {});
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  let port = 0;
  server.addEventListener('listening', (event) => {
    const detail = (event as CustomEvent<{ port?: number }>).detail;
    port = detail.port ?? 0;
  });
  await server.start();
  send({ type: 'ready', port });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  await stop(1);
}
