// Who is acting: a signed-in user (browser session or API token) with their role and what the role is tied to.
import type { UserRole } from '../db/schema.ts';

export interface Actor {
  userId: number;
  role: UserRole;
  email: string;
  displayName: string;
  /** For a member: their own person record. */
  personId: number | null;
  /** For staff: the member they act for. */
  actingForId: number | null;
  /** For an officer: their answering body. */
  organisationId: number | null;
}

/** The member on whose behalf questions are drafted and tabled (the member, or the member their staff act for). */
export function memberPersonId(actor: Actor): number | null {
  if (actor.role === 'member') return actor.personId;
  if (actor.role === 'staff') return actor.actingForId;
  return null;
}

/** What the audit trail records as the actor's label. */
export function actorLabel(actor: Actor): string {
  return `${actor.displayName} (${actor.role})`;
}

export const STAFF_ROLES = ['clerk', 'officer', 'approver', 'admin'] as const satisfies readonly UserRole[];

/** Roles that must use a second factor (TOTP) to sign in. */
export function requiresTwoFactor(role: UserRole): boolean {
  return (STAFF_ROLES as readonly UserRole[]).includes(role);
}

/** Where each role starts after signing in. */
export function homeFor(role: string): string {
  switch (role) {
    case 'member':
    case 'staff':
      return '/work/questions';
    case 'clerk':
      return '/work/clerk';
    case 'approver':
    case 'officer':
      return '/work/answers';
    case 'admin':
      return '/admin/users';
    case 'press_officer':
      return '/work/press-releases';
    default:
      return '/account';
  }
}
