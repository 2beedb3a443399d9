// Reads and validates the environment once at boot, failing with one readable line per problem.
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

const databaseUrl = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      return false;
    }
  }, 'must be a PostgreSQL URL such as postgres://user:password@localhost:5432/answerable');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: z.enum(['auto', 'off']).default('auto'),
  SMTP_URL: z
    .string()
    .refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'smtp:' || url.protocol === 'smtps:';
      } catch {
        return false;
      }
    }, 'must be an SMTP URL such as smtp://user:password@mail.example.org:587 or smtps://...')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).default('Answerable <no-reply@answerable.invalid>'),
  MAIL_WORKER_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
});

export interface Config {
  port: number;
  host: string;
  /** Undefined means the embedded PGlite database under dataDir. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  publicUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** 'auto' loads the demo assembly on first start into an empty database. */
  demo: 'auto' | 'off';
  /** Undefined keeps mail in the outbox, undelivered, until it is set. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailWorkerIntervalMs: number;
  /** Seconds an anonymous visitor's page may be served from each app server's micro-cache; 0 turns it off. */
  pageCacheSeconds: number;
}

/** Environment variables, documented in the README; keep this list and the README in step. */
export const ENVIRONMENT_VARIABLES = Object.keys(schema.shape);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in schema.shape && value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return `${name}=${JSON.stringify(present[name] ?? '')} ${describeIssue(issue)}`;
    });
    throw new AppError('config_invalid', `Configuration problem: ${problems.join('; ')}`);
  }
  const values = result.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    dataDir: path.resolve(values.DATA_DIR),
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/$/, ''),
    logLevel: values.LOG_LEVEL,
    demo: values.DEMO,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    mailWorkerIntervalMs: values.MAIL_WORKER_INTERVAL_MS,
    pageCacheSeconds: values.PAGE_CACHE_SECONDS,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `is not valid (${issue.message})`;
    case 'too_small':
    case 'too_big':
      return `is out of range (${issue.message})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    default:
      return issue.message;
  }
}
