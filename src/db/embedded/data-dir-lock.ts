// A lock file in the data directory so two processes never open the same embedded database; a lock left by a crash is recovered.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../errors/app-error.ts';

export interface DataDirLock {
  path: string;
  /** True when a lock left by a process that no longer runs was taken over. */
  recovered: boolean;
  release(): void;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process that nobody has reaped yet still answers signal 0; on Linux its state tells.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/s.test(stat);
  } catch {
    return true;
  }
}

export function prepareDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const probe = path.join(dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError(
      'data_dir_unusable',
      `The data directory ${dataDir} cannot be written (${code}). Set DATA_DIR to a folder this user can write, or use DATABASE_URL.`,
      { cause: error },
    );
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, 'answerable.lock');
  let recovered = false;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' });
      return {
        path: lockPath,
        recovered,
        release() {
          try {
            const held = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: number };
            if (held.pid === process.pid) fs.rmSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder !== undefined && holder !== process.pid && processIsAlive(holder)) {
        throw new AppError(
          'data_dir_in_use',
          `The embedded database in ${dataDir} is in use by another Answerable process (pid ${holder}). Stop it first, or set DATA_DIR to another folder.`,
        );
      }
      fs.rmSync(lockPath, { force: true });
      recovered = true;
    }
  }
  throw new AppError('data_dir_in_use', `Could not lock the data directory ${dataDir}; remove ${lockPath} if no Answerable is running.`);
}

function readHolder(lockPath: string): number | undefined {
  try {
    const held = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    return typeof held.pid === 'number' ? held.pid : undefined;
  } catch {
    return undefined;
  }
}
