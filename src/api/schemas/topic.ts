// Response schemas for topics.
import { z } from 'zod';
import { component, count, slug, url } from './common.ts';
import { pageOfItems, profileFields, RecordLinks } from './profile.ts';

export const TopicListItem = component(
  'TopicListItem',
  z.object({ slug, name: z.string(), description: z.string().nullable(), questions: count.describe('Public questions on the topic'), url, apiUrl: url }),
);

export const TopicList = component('TopicList', pageOfItems(TopicListItem), 'Every topic');

export const Topic = component(
  'Topic',
  z.object({ slug, name: z.string(), description: z.string().nullable(), url, ...profileFields, links: RecordLinks }),
  'A topic with a profile of the questions on it',
);
