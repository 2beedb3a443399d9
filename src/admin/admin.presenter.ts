// What admins are shown of accounts and audit events, field by field, for the API and the pages alike.
import type { AuditRecordType, UserRole } from '../db/schema.ts';
import type { AccountRow } from './admin.queries.ts';

export const ROLE_LABELS: Record<UserRole, { name: string; hint: string }> = {
  member: { name: 'Member', hint: 'An assembly member: choose the member below.' },
  staff: { name: 'Member’s staff', hint: 'Drafts and tables questions for a member: choose who they act for below.' },
  press_officer: { name: 'Press officer', hint: 'Drafts and publishes a party group’s press releases.' },
  clerk: { name: 'Clerk', hint: 'The assembly’s secretariat: accepts questions, runs meetings. Needs two-factor sign-in.' },
  officer: { name: 'Officer', hint: 'Drafts answers for an answering body: choose the body below. Needs two-factor sign-in.' },
  approver: { name: 'Approver', hint: 'The executive’s private office: allocates, approves and publishes answers. Needs two-factor sign-in.' },
  admin: { name: 'Admin', hint: 'Manages accounts and reads audit trails. Needs two-factor sign-in.' },
};

/** Every kind of record the audit trail covers (a Record, so a new kind in the schema must be named here). */
export const AUDIT_RECORD_TYPE_LABELS: Record<AuditRecordType, string> = {
  question: 'Question',
  answer_version: 'Answer version',
  answer_draft: 'Answer draft',
  allocation: 'Allocation',
  meeting: 'Meeting',
  order_paper: 'Order paper',
  transcript: 'Transcript',
  person: 'Person',
  organisation: 'Organisation',
  membership: 'Membership',
  user: 'Account',
  api_token: 'API token',
  session: 'Session',
  press_release: 'Press release',
  import: 'Import',
  assembly: 'Assembly',
};
export const AUDIT_RECORD_TYPES = Object.keys(AUDIT_RECORD_TYPE_LABELS) as [AuditRecordType, ...AuditRecordType[]];

export interface TiedTo {
  kind: 'person' | 'acting_for' | 'body';
  slug: string;
  name: string;
}

export function tiedTo(row: AccountRow): TiedTo | null {
  if (row.role === 'member' && row.person_slug) return { kind: 'person', slug: row.person_slug, name: row.person_name ?? row.person_slug };
  if (row.role === 'staff' && row.acting_for_slug) return { kind: 'acting_for', slug: row.acting_for_slug, name: row.acting_for_name ?? row.acting_for_slug };
  if (row.role === 'officer' && row.body_slug) return { kind: 'body', slug: row.body_slug, name: row.body_name ?? row.body_slug };
  return null;
}

/** The tie in words, for tables: "Member: Priya Okafor", "Acts for: Priya Okafor", "Body: Police". */
export function tieLabel(tie: TiedTo | null): string {
  if (!tie) return '';
  return `${{ person: 'Member', acting_for: 'Acts for', body: 'Body' }[tie.kind]}: ${tie.name}`;
}

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

export function presentAccount(row: AccountRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.display_name,
    role: row.role,
    tiedTo: tiedTo(row),
    twoFactorEnrolled: row.totp_enabled_at !== null,
    disabled: row.disabled_at !== null,
    disabledAt: iso(row.disabled_at),
    lastSignInAt: iso(row.last_sign_in_at),
    createdAt: iso(row.created_at),
  };
}

export interface AuditEventRow {
  id: number | string;
  occurred_at: Date;
  actor_label: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  details: Record<string, unknown>;
}

export function presentAuditEvent(row: AuditEventRow) {
  return {
    id: Number(row.id),
    occurredAt: iso(row.occurred_at),
    actor: row.actor_label,
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    details: row.details,
  };
}

/** An event's details as key/value text for a table cell; the template escapes both. */
export function detailPairs(details: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(details ?? {}).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
}

export function auditRowsForPage(rows: AuditEventRow[]) {
  return rows.map((row) => ({ ...presentAuditEvent(row), occurredAt: row.occurred_at, pairs: detailPairs(row.details) }));
}

/** The role radios, each with a hint saying what the role does and which tie it needs. */
export function roleRadioItems(selected: unknown) {
  return (Object.entries(ROLE_LABELS) as [UserRole, { name: string; hint: string }][]).map(([value, label]) => ({
    value,
    text: label.name,
    hint: { text: label.hint },
    checked: selected === value,
  }));
}

/** Items for a tie select: "None" first, then the choices by name. */
export function choiceItems(choices: { slug: string; name: string }[], selected: unknown, none: string) {
  return [{ value: '', text: none, selected: !selected }, ...choices.map((c) => ({ value: c.slug, text: c.name, selected: selected === c.slug }))];
}

export function auditTypeItems(selected: unknown) {
  return [
    { value: '', text: 'Choose a kind of record', selected: !selected },
    ...(Object.entries(AUDIT_RECORD_TYPE_LABELS) as [AuditRecordType, string][]).map(([value, text]) => ({ value, text, selected: selected === value })),
  ];
}
