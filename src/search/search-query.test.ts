import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../errors/app-error.ts';
import { MAX_PAGE, parseSearchQuery, searchQueryToParams } from './search-query.ts';
import { splitHighlights, START_MARK, STOP_MARK } from './snippet.ts';

const rejects = (input: Record<string, unknown>, field: string, message: RegExp) => {
  assert.throws(
    () => parseSearchQuery(input),
    (error: unknown) => error instanceof AppError && error.status === 400 && Object.keys(error.fields ?? {}).some((k) => k === field || k.startsWith(`${field}.`)) && message.test(error.message),
  );
};

test('any text typed into the search box is accepted and never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (q) => {
      const parsed = parseSearchQuery({ q });
      assert.ok(parsed.q === undefined || (parsed.q.length <= 500 && ![...parsed.q].some((c) => c.charCodeAt(0) < 9)));
    }),
    { numRuns: 300 },
  );
  assert.equal(parseSearchQuery({ q: '   ' }).q, undefined);
  assert.equal(parseSearchQuery({ q: ['first', 'second'] }).q, 'first');
  assert.equal(parseSearchQuery({ q: 'a'.repeat(900) }).q?.length, 500);
});

test('defaults: relevance with words, newest without; page 1', () => {
  assert.deepEqual(
    { sort: parseSearchQuery({}).sort, page: parseSearchQuery({}).page, member: parseSearchQuery({}).member },
    { sort: 'newest', page: 1, member: [] },
  );
  assert.equal(parseSearchQuery({ q: 'police' }).sort, 'relevance');
  assert.deepEqual(parseSearchQuery({ member: ['a-b', 'c', 'a-b'] }).member, ['a-b', 'c']);
  assert.equal(parseSearchQuery({ type: '', status: '' }).type, undefined);
});

test('bad values are a 400 naming the field in words', () => {
  rejects({ from: '2024-02-30' }, 'from', /From date must be a real date/);
  rejects({ to: 'yesterday' }, 'to', /To date must be a real date/);
  rejects({ from: '2024-05-01', to: '2024-04-01' }, 'from', /on or before/);
  rejects({ page: '99999999' }, 'page', new RegExp(`Page must be ${MAX_PAGE} or less`));
  rejects({ page: 'banana' }, 'page', /Page must be a whole number/);
  rejects({ page: '0' }, 'page', /1 or more/);
  rejects({ type: 'telepathic' }, 'type', /written.*oral/);
  rejects({ status: 'lost' }, 'status', /Status must be one of/);
  rejects({ member: '<script>' }, 'member', /Member must be a reference/);
  rejects({ year: '20x4' }, 'year', /Year must be a year/);
  rejects({ sort: 'random' }, 'sort', /Sort must be/);
});

test('a search survives the trip through its URL parameters', () => {
  const slug = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8})?$/);
  fc.assert(
    fc.property(
      fc.record({
        q: fc.option(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== '' && ![...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)), { nil: undefined }),
        member: fc.uniqueArray(slug, { maxLength: 3 }),
        group: fc.uniqueArray(slug, { maxLength: 2 }),
        body: fc.option(slug, { nil: undefined }),
        type: fc.option(fc.constantFrom('written' as const, 'oral' as const), { nil: undefined }),
        year: fc.option(fc.integer({ min: 1990, max: 2030 }), { nil: undefined }),
        from: fc.option(fc.constantFrom('2020-01-01', '2021-06-30'), { nil: undefined }),
        sort: fc.constantFrom('relevance' as const, 'newest' as const, 'oldest' as const),
        page: fc.integer({ min: 1, max: MAX_PAGE }),
      }),
      (v) => {
        const query = parseSearchQuery({ ...v, page: String(v.page), year: v.year === undefined ? undefined : String(v.year) });
        const again = parseSearchQuery(Object.fromEntries([...new Set(searchQueryToParams(query).keys())].map((k) => [k, searchQueryToParams(query).getAll(k).length > 1 ? searchQueryToParams(query).getAll(k) : searchQueryToParams(query).get(k)])));
        assert.deepEqual(again, query);
      },
    ),
    { numRuns: 200 },
  );
  assert.equal(searchQueryToParams(parseSearchQuery({ q: 'bus', page: '3' }), { page: 1 }).toString(), 'q=bus');
});

test('snippets split into plain segments; markers never reach the page', () => {
  assert.deepEqual(splitHighlights(`a ${START_MARK}<b>${STOP_MARK} c`), [
    { text: 'a ', highlighted: false },
    { text: '<b>', highlighted: true },
    { text: ' c', highlighted: false },
  ]);
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constant(START_MARK), fc.constant(STOP_MARK))), (parts) => {
      const text = parts.join('');
      const segments = splitHighlights(text);
      assert.equal(segments.map((s) => s.text).join(''), text.replaceAll(START_MARK, '').replaceAll(STOP_MARK, ''));
      for (const s of segments) assert.ok(!s.text.includes(START_MARK) && !s.text.includes(STOP_MARK) && s.text !== '');
    }),
  );
});
