// Response schemas for answering bodies (the Mayor's office and the functional bodies).
import { z } from 'zod';
import { component, slug, url } from './common.ts';
import { pageOfItems, profileFields, RecordLinks } from './profile.ts';

const bodyFields = { slug, name: z.string(), shortName: z.string().nullable(), abbreviation: z.string().nullable(), url };

export const BodyListItem = component('BodyListItem', z.object({ ...bodyFields, apiUrl: url }));

export const BodyList = component('BodyList', pageOfItems(BodyListItem), 'Every answering body');

export const Body = component(
  'Body',
  z.object({ ...bodyFields, ...profileFields, links: RecordLinks }),
  'An answering body with a profile of the questions it has answered',
);
