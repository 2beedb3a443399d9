// Turns admin forms, query strings and JSON bodies into command input, refusing junk with a message per field.
import { z } from 'zod';
import type { AuditRecordType, UserRole } from '../db/schema.ts';
import { AppError } from '../errors/app-error.ts';
import { formText } from '../web/commands.ts';
import { USER_ROLES } from '../workflow/lifecycle.ts';
import { AUDIT_RECORD_TYPES } from './admin.presenter.ts';

const blankAsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const roleFilter = z.object({
  role: z.preprocess(blankAsAbsent, z.enum(USER_ROLES, { message: `Role must be one of ${USER_ROLES.join(', ')}` }).optional()),
});

/** ?role= on the account lists: empty means every role. */
export function parseRoleFilter(query: unknown): { role: UserRole | undefined } {
  const parsed = roleFilter.safeParse(query ?? {});
  if (!parsed.success) throw new AppError('validation_failed', parsed.error.issues[0]?.message ?? 'Choose a role', { fields: { role: parsed.error.issues[0]?.message ?? 'Choose a role' } });
  return { role: parsed.data.role };
}

/** ?type=&id= on the audit page and API: both or neither (the page then shows only the form). */
export function parseAuditQuery(query: unknown): { type: AuditRecordType; id: number } | undefined {
  const raw = (query ?? {}) as Record<string, unknown>;
  const type = blankAsAbsent(raw.type);
  const id = blankAsAbsent(raw.id);
  if (type === undefined && id === undefined) return undefined;
  const fields: Record<string, string> = {};
  if (typeof type !== 'string' || !(AUDIT_RECORD_TYPES as string[]).includes(type)) fields.type = 'Choose the kind of record';
  const idText = typeof id === 'string' ? id.trim() : '';
  if (!/^[1-9][0-9]{0,14}$/.test(idText)) fields.id = 'Enter the record’s number, like 42';
  if (Object.keys(fields).length > 0) throw new AppError('validation_failed', Object.values(fields)[0] ?? 'Choose a record', { fields });
  return { type: type as AuditRecordType, id: Number(idText) };
}

/** A form's fields as text (a repeated field keeps its first value); command schemas do the validating. */
export function formFields<K extends string>(body: unknown, keys: readonly K[]): Record<K, string | undefined> {
  const form = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const first = (value: unknown) => formText(Array.isArray(value) ? value[0] : value);
  return Object.fromEntries(keys.map((key) => [key, first(form[key])])) as Record<K, string | undefined>;
}

export const NEW_ACCOUNT_FIELDS = ['displayName', 'email', 'role', 'password', 'person', 'actingFor', 'body'] as const;
export const ROLE_FIELDS = ['role', 'person', 'actingFor', 'body'] as const;
export const DETAIL_FIELDS = ['displayName', 'email'] as const;
