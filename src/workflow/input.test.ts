import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { bodyText, characterCount, cleanText, cleanTitle, idList, parseInput, titleText } from './input.ts';

test('cleanText keeps newlines and tabs, normalises line endings, drops other control characters, trims', () => {
  assert.equal(cleanText('  a\r\nb\rc\n\td\u0000e\u0007\u001b[31m\u007f\u0085\u009f  '), 'a\nb\nc\n\tde[31m');
  assert.equal(cleanText('<script>alert(1)</script> & "quotes"'), '<script>alert(1)</script> & "quotes"');
});

test('cleanTitle makes one line', () => {
  assert.equal(cleanTitle(' Bus\n\nreliability\tin   the east '), 'Bus reliability in the east');
});

test('cleaned text never holds a control character other than newline and tab', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      const cleaned = cleanText(s);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(cleaned, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
      assert.equal(cleaned, cleaned.trim());
      assert.equal(cleanText(cleaned), cleaned);
      assert.doesNotMatch(cleanTitle(s), /[\n\t]/);
    }),
  );
});

test('lengths are counted in characters, as PostgreSQL counts them', () => {
  assert.equal(characterCount('🚌🚌'), 2);
  assert.equal(titleText().safeParse('🚌'.repeat(300)).success, true);
  assert.equal(titleText().safeParse('🚌'.repeat(301)).success, false);
  assert.equal(bodyText().safeParse('x'.repeat(20_000)).success, true);
  assert.equal(bodyText().safeParse('x'.repeat(20_001)).success, false);
});

test('id lists are de-duplicated and sorted', () => {
  assert.deepEqual(idList('topics').parse([3, 1, 3]), [1, 3]);
  assert.equal(idList('topics').safeParse([0]).success, false);
});

test('parseInput throws validation_failed with the first message per field', () => {
  const schema = z.object({ title: titleText(), body: bodyText() });
  assert.throws(
    () => parseInput(schema, { title: '', body: 7 }, 'The question'),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'validation_failed');
      assert.deepEqual(error.fields, { title: 'Enter a title', body: 'Enter the text of the question' });
      assert.equal(error.message, 'The question has a problem: Enter a title; Enter the text of the question.');
      return true;
    },
  );
  assert.throws(() => parseInput(schema, null, 'The question'), { code: 'validation_failed' });
});
