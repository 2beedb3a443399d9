// One typed error for everything a user or operator can cause: a stable code, an HTTP status and a message safe to show.

export type AppErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorised'
  | 'rate_limited'
  | 'config_invalid'
  | 'database_unavailable'
  | 'data_dir_unusable'
  | 'data_dir_in_use'
  | 'port_in_use'
  | 'migration_failed'
  | 'demo_invalid';

const statusByCode: Record<AppErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorised: 401,
  rate_limited: 429,
  config_invalid: 500,
  database_unavailable: 503,
  data_dir_unusable: 500,
  data_dir_in_use: 500,
  port_in_use: 500,
  migration_failed: 500,
  demo_invalid: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  /** Per-field messages for forms and API clients. */
  readonly fields: Record<string, string> | undefined;

  constructor(code: AppErrorCode, message: string, options: { fields?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusByCode[code];
    this.fields = options.fields;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
