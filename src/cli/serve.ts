// `answerable serve`: the web service, with a clean shutdown of the server and the embedded database on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { createMailWorker, type MailWorker } from '../mail/worker.ts';
import { buildApp } from '../web/app.ts';
import { buildAssets } from '../web/build-assets.ts';
import { loadDemoIfEmpty, openForCommand, type Say } from './boot.ts';

export interface RunningService {
  app: FastifyInstance;
  handle: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

export async function startService(config: Config, say: Say): Promise<RunningService> {
  await buildAssets();
  let handle = await openForCommand(config, say);
  let app: FastifyInstance | undefined;
  try {
    if (config.demo === 'auto' && (await loadDemoIfEmpty(handle, say)) && handle.mode === 'embedded') {
      // PGlite's WebAssembly memory grows for the one big load and never shrinks; reopening the embedded
      // database once after it brings the idle footprint back to that of any later start (about 200 MB less).
      await handle.close();
      handle = await openForCommand(config, say);
    }
    app = await buildApp({ db: handle.db, mode: handle.mode, config, pageCacheSeconds: config.pageCacheSeconds });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await app?.close().catch(() => undefined);
    await handle.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new AppError('port_in_use', `Port ${config.port} is already in use. Stop whatever is using it, or set PORT to a free port.`);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (error as NodeJS.ErrnoException).code === 'ENOTFOUND') {
      throw new AppError('config_invalid', `HOST=${config.host} is not an address this machine can listen on.`);
    }
    throw error;
  }
  // Mail leaves through the outbox: the worker runs beside the web server and stops before the database does.
  const mail: MailWorker = createMailWorker(handle.db, { smtpUrl: config.smtpUrl, from: config.mailFrom }, app.log);
  mail.start(config.mailWorkerIntervalMs);
  if (!config.smtpUrl) say('SMTP_URL is not set: notifications are kept in the outbox until it is.');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  const running = app;
  return {
    app: running,
    handle,
    url: `http://localhost:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await mail.stop();
      await running.close();
      await handle.close();
    },
  };
}

export async function serveCommand(config: Config, say: Say): Promise<void> {
  const service = await startService(config, say);
  say(`Answerable is running on ${service.url} (${service.handle.mode === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL server'}). Press Ctrl+C to stop.`);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      say(`Received ${signal}: stopping.`);
      service.stop().then(resolve, (error: unknown) => {
        say(`Stopped with an error: ${error instanceof Error ? error.message : String(error)}`);
        resolve();
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
