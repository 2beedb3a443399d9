// The public shape of a membership (a dated term in an organisation or post).
import type { MembershipRow } from './member.queries.ts';

export function presentMembership(m: MembershipRow) {
  return {
    organisation: { slug: m.organisationSlug, name: m.organisationName, classification: m.classification },
    role: m.role,
    label: m.label,
    startDate: m.startDate,
    endDate: m.endDate,
    endReason: m.endReason,
  };
}
