// Response schemas for members (people who have sat in the assembly): the list and one member with their terms.
import { z } from 'zod';
import { component, isoDate, OrganisationRef, slug, url } from './common.ts';
import { pageOfItems, profileFields, RecordLinks } from './profile.ts';

export const Membership = component(
  'Membership',
  z.object({
    organisation: z.object({ slug, name: z.string(), classification: z.enum(['assembly', 'party_group', 'executive', 'functional_body', 'other']) }),
    role: z.enum(['member', 'leader', 'mayor', 'deputy_mayor', 'commissioner', 'chair', 'officer']),
    label: z.string().nullable(),
    startDate: isoDate,
    endDate: isoDate.nullable(),
    endReason: z.enum(['term_ended', 'resigned', 'changed_group', 'retired', 'died', 'removed', 'lost_election']).nullable(),
  }),
  'A dated term in the assembly, a party group or an office',
);

export const MemberListItem = component(
  'MemberListItem',
  z.object({ slug, name: z.string(), url, apiUrl: url, current: z.boolean().describe('Sits in the assembly today'), partyGroup: OrganisationRef.nullable().describe('Today, for current members') }),
);

export const MemberList = component('MemberList', pageOfItems(MemberListItem), 'Current members first, then former members');

export const Member = component(
  'Member',
  z.object({
    slug,
    name: z.string(),
    url,
    memberships: z.array(Membership),
    ...profileFields,
    links: RecordLinks,
  }),
  'A member with their terms and a profile of their questions',
);
