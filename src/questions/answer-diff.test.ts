import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { answerChanges } from './answer-diff.ts';

test('a correction shows the words it removed and the words it added', () => {
  const parts = answerChanges('The fund will be four million pounds in 2026.', 'The fund will be three million pounds in 2026.');
  assert.deepEqual(
    parts.filter((p) => p.kind !== 'same').map((p) => [p.kind, p.text.trim()]),
    [
      ['removed', 'four'],
      ['added', 'three'],
    ],
  );
});

test('the parts always rebuild both versions exactly', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (before, after) => {
      const parts = answerChanges(before, after);
      assert.equal(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join(''), before);
      assert.equal(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join(''), after);
    }),
    { numRuns: 2000 },
  );
});

test('versions that differ only by whitespace still rebuild exactly', () => {
  const parts = answerChanges('# ', '#');
  assert.equal(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join(''), '# ');
  assert.equal(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join(''), '#');
});

test('identical versions have no changes', () => {
  assert.deepEqual(answerChanges('Same text.', 'Same text.'), [{ kind: 'same', text: 'Same text.' }]);
});
