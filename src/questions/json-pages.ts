// Paging for the public JSON lists (members, groups, bodies, topics): one page and its `links.next`.
import { z } from 'zod';

export const LIST_PAGE_SIZE = 100;

export const pageQuery = z.object({
  page: z.coerce
    .number({ message: 'Page must be a whole number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(10_000, 'Page is too large')
    .default(1),
});

/** Paths whose last segment is a slug (`/members/:slug` ...): anything else names nothing, so it is a 404. */
export const slugParam = z.object({ slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/) });

export function pageOf<T>(items: readonly T[], page: number, url: (page: number) => string) {
  const start = (page - 1) * LIST_PAGE_SIZE;
  const slice = items.slice(start, start + LIST_PAGE_SIZE);
  return {
    items: slice,
    links: {
      self: url(page),
      next: start + LIST_PAGE_SIZE < items.length ? url(page + 1) : null,
      previous: page > 1 ? url(page - 1) : null,
    },
  };
}
