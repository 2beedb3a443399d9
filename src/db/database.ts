// Opens the database: the embedded PGlite process by default, or a PostgreSQL server when DATABASE_URL is set.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError, isAppError } from '../errors/app-error.ts';
import { startEmbeddedServer, type EmbeddedServer } from './embedded/supervisor.ts';
import type { Database } from './schema.ts';

// Calendar days stay 'YYYY-MM-DD' strings (a JS Date would move them with the time zone); counts become numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type DatabaseMode = 'embedded' | 'server';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  pool: pg.Pool;
  mode: DatabaseMode;
  /** Where the embedded database keeps its files (undefined in server mode or in memory). */
  dataDir: string | undefined;
  recoveredStaleLock: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder for the embedded database; omit for an in-memory embedded database. */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  let embedded: EmbeddedServer | undefined;
  let pool: pg.Pool;
  if (options.databaseUrl !== undefined) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
  } else {
    embedded = await startEmbeddedServer(options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
    // PGlite is one backend: one connection at a time keeps every transaction whole.
    pool = new pg.Pool({
      host: '127.0.0.1',
      port: embedded.port,
      user: 'postgres',
      database: 'postgres',
      max: 1,
      idleTimeoutMillis: 0,
    });
  }
  // A dropped idle connection must not crash the process; the pool reconnects on the next query.
  pool.on('error', () => undefined);

  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw describeConnectionError(error, options.databaseUrl);
  }

  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    mode: embedded ? 'embedded' : 'server',
    dataDir: embedded?.dataDir,
    recoveredStaleLock: embedded?.recoveredStaleLock ?? false,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/** Turns a driver error at connection time into one line that names the problem and the fix. */
export function describeConnectionError(error: unknown, databaseUrl: string | undefined): AppError {
  if (isAppError(error)) return error;
  const where = databaseUrl ? redactUrl(databaseUrl) : 'the embedded database';
  const err = error as { code?: string; message?: string };
  switch (err.code) {
    case 'ECONNREFUSED':
      return new AppError('database_unavailable', `Cannot reach the PostgreSQL server at ${where}: connection refused. Is it running? Check DATABASE_URL.`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError('database_unavailable', `Cannot find the PostgreSQL host in ${where}. Check the host name in DATABASE_URL.`, { cause: error });
    case 'ETIMEDOUT':
      return new AppError('database_unavailable', `Timed out connecting to ${where}. Check DATABASE_URL and the network.`, { cause: error });
    case '28P01':
    case '28000':
      return new AppError('database_unavailable', `PostgreSQL refused the credentials in ${where}. Check the user and password in DATABASE_URL.`, { cause: error });
    case '3D000':
      return new AppError('database_unavailable', `The database named in ${where} does not exist. Create it (createdb) or fix DATABASE_URL.`, { cause: error });
    default:
      return new AppError('database_unavailable', `Cannot connect to ${where}: ${err.message ?? String(error)}`, { cause: error });
  }
}

export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
