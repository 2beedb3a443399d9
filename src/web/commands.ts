// Runs a workflow command for a web or API request: in one transaction, with the request's clock and the site's
// address, so the change, its audit event and its mail are written together or not at all.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import type { WorkflowOptions } from '../workflow/workflow.repository.ts';

export function workflowOptions(app: FastifyInstance): WorkflowOptions {
  const publicUrl = app.ctx.config.publicUrl;
  let mailDomain = 'answerable.invalid';
  try {
    mailDomain = new URL(publicUrl).hostname || mailDomain;
  } catch {
    // a malformed PUBLIC_URL is refused by config; keep the default here
  }
  return { now: app.now(), publicUrl, mailDomain };
}

export async function runCommand<T>(app: FastifyInstance, command: (trx: Db, options: WorkflowOptions) => Promise<T>): Promise<T> {
  const options = workflowOptions(app);
  return app.ctx.db.transaction().execute((trx) => command(trx, options));
}

/** A positive integer id from a URL parameter, or 404 (an id that is not a number names nothing). */
export function idParam(value: string | undefined, what: string): number {
  if (value === undefined || !/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2_147_483_647) throw new AppError('not_found', `${what} was not found.`);
  return Number(value);
}

/** A JSON request body as an object (an API client that sends nothing, or an array, gets a clear 400). */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request', 'Send a JSON object in the request body.');
  return body as Record<string, unknown>;
}

/** Form fields arrive as text; these turn them into what commands take, leaving bad values for the command to refuse. */
export const formId = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return /^[0-9]{1,10}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
};

export const formIds = (value: unknown): number[] => {
  const list = Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
  return list.map((v) => formId(v)).filter((v): v is number => v !== undefined);
};

export const formText = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const formObject = z.record(z.string(), z.unknown());
