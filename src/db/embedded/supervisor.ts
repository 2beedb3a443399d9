// Starts and stops the embedded PGlite process, and turns its failures into one readable line.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../config/paths.ts';
import { AppError } from '../../errors/app-error.ts';
import { lockDataDir, prepareDataDir, type DataDirLock } from './data-dir-lock.ts';
import type { ChildMessage, ParentMessage } from './pglite-server.js';

export interface EmbeddedServer {
  port: number;
  /** Where PGlite keeps its files, or undefined for an in-memory database. */
  dataDir: string | undefined;
  recoveredStaleLock: boolean;
  stop(): Promise<void>;
}

const childScript = projectPath('src', 'db', 'embedded', 'pglite-server.js');
const STARTUP_TIMEOUT_MS = 120_000;
const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Starts PGlite in a child process. With a data directory it is locked for this process; without one the
 * database lives in memory (tests).
 */
export async function startEmbeddedServer(options: { dataDir?: string }): Promise<EmbeddedServer> {
  let lock: DataDirLock | undefined;
  let pgliteDir: string | undefined;
  if (options.dataDir !== undefined) {
    prepareDataDir(options.dataDir);
    lock = lockDataDir(options.dataDir);
    pgliteDir = path.join(options.dataDir, 'pglite');
    if (lock.recovered) {
      // The process that held the lock is gone, so the postmaster pid file it left is stale too.
      fs.rmSync(path.join(pgliteDir, 'postmaster.pid'), { force: true });
    }
  }

  const child = fork(childScript, [], {
    execArgv: [],
    env: { ...process.env, ANSWERABLE_PGLITE_DIR: pgliteDir ?? '' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });

  try {
    const port = await waitForReady(child, () => stderr);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      port,
      dataDir: pgliteDir,
      recoveredStaleLock: lock?.recovered ?? false,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          const message: ParentMessage = { type: 'shutdown' };
          if (child.connected) child.send(message);
          else child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        lock?.release();
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    lock?.release();
    throw error;
  }
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new AppError('database_unavailable', `The embedded database did not start within ${STARTUP_TIMEOUT_MS / 1000} s.`));
    }, STARTUP_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      child.removeAllListeners('message');
    };
    child.on('message', (message: ChildMessage) => {
      done();
      if (message.type === 'ready') resolve(message.port);
      else reject(new AppError('database_unavailable', `The embedded database failed to start: ${message.message}`));
    });
    child.once('exit', (code, signal) => {
      done();
      const detail = stderr().trim().split('\n').filter(Boolean).pop();
      reject(
        new AppError(
          'database_unavailable',
          `The embedded database stopped while starting (${signal ?? `exit ${code}`})${detail ? `: ${detail}` : ''}.`,
        ),
      );
    });
  });
}
