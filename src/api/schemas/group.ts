// Response schemas for party groups.
import { z } from 'zod';
import { component, count, isoDate, slug, url } from './common.ts';
import { pageOfItems, profileFields, RecordLinks } from './profile.ts';

export const GroupListItem = component(
  'GroupListItem',
  z.object({ slug, name: z.string(), shortName: z.string().nullable(), foundedOn: isoDate.nullable(), dissolvedOn: isoDate.nullable(), currentMembers: count, url, apiUrl: url }),
);

export const GroupList = component('GroupList', pageOfItems(GroupListItem), 'Every party group');

export const Group = component(
  'Group',
  z.object({
    slug,
    name: z.string(),
    shortName: z.string().nullable(),
    foundedOn: isoDate.nullable(),
    dissolvedOn: isoDate.nullable(),
    url,
    memberships: z.array(
      z.object({
        member: z.object({ slug, name: z.string(), url }),
        role: z.enum(['member', 'leader', 'mayor', 'deputy_mayor', 'commissioner', 'chair', 'officer']),
        label: z.string().nullable(),
        startDate: isoDate,
        endDate: isoDate.nullable(),
        endReason: z.enum(['term_ended', 'resigned', 'changed_group', 'retired', 'died', 'removed', 'lost_election']).nullable(),
      }),
    ),
    ...profileFields,
    links: RecordLinks,
  }),
  'A party group with its members over time and a profile of their questions',
);
