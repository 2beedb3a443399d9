// The follow-up reference parser: segments rejoin to the original, only matched references link, hostile text stays escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createViewEnvironment } from '../web/views.ts';
import { citedReferences, linkedParagraphs, segmentReferences } from './question-references.ts';

const joined = (text: string, linkable?: ReadonlySet<string>) => segmentReferences(text, linkable).map((s) => s.text).join('');
const refs = (text: string) => segmentReferences(text).flatMap((s) => (s.kind === 'reference' ? [s.reference] : []));

test('the usual spellings of a citation become references', () => {
  assert.deepEqual(refs('Further to 2009/1234, what now?'), ['2009/1234']);
  assert.deepEqual(refs('Further to question 532/2008 and MQ 2009/0007'), ['2008/0532', '2009/0007']);
  assert.deepEqual(refs('See MQT 2010/12345.'), ['2010/12345']);
  assert.deepEqual(refs('2009/1234,2009/1235'), ['2009/1234', '2009/1235']);
});

test('dates, fractions, years and paths are not references', () => {
  assert.deepEqual(refs('In 2008/09 and on 12/2009 and 2009/12/31 and /a/2009/1234 and 532/2008'), []);
});

test('the reference segment keeps the text as written, with its canonical form beside it', () => {
  const segments = segmentReferences('Further to question 532/2008.');
  assert.deepEqual(segments, [
    { kind: 'text', text: 'Further to question ' },
    { kind: 'reference', text: '532/2008', reference: '2008/0532', year: 2008, number: 532 },
    { kind: 'text', text: '.' },
  ]);
});

test('only references in the linkable set become reference segments', () => {
  const segments = segmentReferences('2009/0001 and 2009/0002', new Set(['2009/0002']));
  assert.deepEqual(segments.map((s) => s.kind), ['text', 'reference']);
  assert.equal(segments[0]!.text, '2009/0001 and ');
});

test('citedReferences lists each reference once, in first-seen order', () => {
  assert.deepEqual(citedReferences(['MQ 2009/0002 and 2009/0001', 'question 2/2009']).map((r) => r.reference), ['2009/0002', '2009/0001']);
});

const hostileText = fc.array(
  fc.oneof(
    fc.string(),
    fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;', "'", '2009/1234', 'question 532/2008', 'MQ 2010/0001', '\n\n', '</a>', '<a href="/x">2009/0001</a>'),
  ),
  { maxLength: 12 },
).map((parts) => parts.join(''));

test('property: segments rejoin to the original text, with or without a linkable set', () => {
  fc.assert(
    fc.property(hostileText, (text) => {
      assert.equal(joined(text), text);
      assert.equal(joined(text, new Set(['2009/1234'])), text);
      for (const s of segmentReferences(text)) assert.ok(s.text.length > 0);
    }),
    { numRuns: 500 },
  );
});

test('property: rendered text never carries markup from the input, and links only the references', () => {
  const env = createViewEnvironment();
  const render = (text: string) =>
    env.renderString('{% from "questions/views/linked-text.njk" import linkedText %}{{ linkedText(paragraphs) }}', {
      paragraphs: linkedParagraphs(text, new Set(['2009/1234', '2008/0532', '2010/0001'])),
    });
  fc.assert(
    fc.property(hostileText, (text) => {
      const html = render(text);
      const withoutOurTags = html.replace(/<p class="govuk-body">|<\/p>|<a class="govuk-link" href="\/questions\/\d{4}\/\d{4,6}">|<\/a>/g, '');
      assert.doesNotMatch(withoutOurTags, /[<>"]/, 'no tag or quote from the input survives unescaped');
      const links = [...html.matchAll(/href="\/questions\/([^"]+)"/g)].map((m) => m[1]);
      for (const link of links) assert.ok(['2009/1234', '2008/0532', '2010/0001'].includes(link!));
    }),
    { numRuns: 300 },
  );
  assert.match(render('Further to question 532/2008'), /Further to question <a class="govuk-link" href="\/questions\/2008\/0532">532\/2008<\/a>/);
});
