// Tests for question references and finding them in free text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  compareReferences,
  findReferencesInText,
  formatReference,
  nextReferenceNumber,
  parseReference,
  REFERENCE_MAX_NUMBER,
} from './reference.ts';

const found = (text: string) => findReferencesInText(text).map((r) => r.reference);
const spans = (text: string) => findReferencesInText(text).map((r) => text.slice(r.index, r.index + r.length));

test('formatReference pads to four digits and grows past 9999', () => {
  assert.equal(formatReference(2009, 1), '2009/0001');
  assert.equal(formatReference(2009, 42), '2009/0042');
  assert.equal(formatReference(2009, 1234), '2009/1234');
  assert.equal(formatReference(2009, 9999), '2009/9999');
  assert.equal(formatReference(2009, 10000), '2009/10000');
  assert.equal(formatReference(1900, 1), '1900/0001');
  assert.equal(formatReference(2200, 99999), '2200/99999');
});

test('formatReference rejects impossible parts', () => {
  for (const [year, number] of [[2009, 0], [2009, -1], [2009, 1.5], [1899, 1], [2201, 1], [2009.5, 1], [2009, REFERENCE_MAX_NUMBER + 1], [Number.NaN, 1]] as const) {
    assert.throws(() => formatReference(year, number), RangeError, `${year}/${number}`);
  }
});

test('parseReference accepts canonical references', () => {
  assert.deepEqual(parseReference('2009/1234'), { year: 2009, number: 1234 });
  assert.deepEqual(parseReference('2009/0001'), { year: 2009, number: 1 });
  assert.deepEqual(parseReference('2009/10000'), { year: 2009, number: 10000 });
  assert.deepEqual(parseReference('1900/0001'), { year: 1900, number: 1 });
  assert.deepEqual(parseReference('2200/9999'), { year: 2200, number: 9999 });
});

test('parseReference rejects everything else', () => {
  for (const text of [
    '', '2009/12', '2009/123', '2009/0000', '09/1234', '209/1234', '1899/1234', '2201/1234', '2009/1234 ', ' 2009/1234',
    '2009/1234x', '2009/1234/5', '2009-1234', '2009\\1234', '2009/01234', '2009/00001', '2009/+123', '2009/1e03',
    '532/2008', 'MQT 2009/1234', '２００９/1234', '2009/1234567', '2009/1234\n',
  ]) {
    assert.equal(parseReference(text), null, JSON.stringify(text));
  }
});

test('nextReferenceNumber starts each sequence at 1', () => {
  assert.equal(nextReferenceNumber(null), 1);
  assert.equal(nextReferenceNumber(1), 2);
  assert.equal(nextReferenceNumber(9999), 10000);
  assert.throws(() => nextReferenceNumber(0), RangeError);
  assert.throws(() => nextReferenceNumber(1.5), RangeError);
  assert.throws(() => nextReferenceNumber(REFERENCE_MAX_NUMBER), /exhausted/);
});

test('compareReferences orders by year then number, not as strings', () => {
  const sorted = ['2010/0001', '2009/10000', '2009/9999', '2009/0002', '2008/5000'].sort(compareReferences);
  assert.deepEqual(sorted, ['2008/5000', '2009/0002', '2009/9999', '2009/10000', '2010/0001']);
  assert.equal(compareReferences({ year: 2009, number: 5 }, '2009/0005'), 0);
  assert.equal(compareReferences('2009/0005', { year: 2009, number: 6 }), -1);
  assert.equal(compareReferences('2010/0001', '2009/9999'), 1);
  assert.throws(() => compareReferences('2009/12', '2009/0001'), RangeError);
});

test('findReferencesInText: the forms used in the field', () => {
  assert.deepEqual(found('See 2009/1234.'), ['2009/1234']);
  assert.deepEqual(spans('Further to 2009/1234, will the Mayor'), ['2009/1234']);
  assert.deepEqual(spans('Further to your answer to 2009/1234 ...'), ['2009/1234']);
  assert.deepEqual(spans('MQ 2009/1234 and MQT 2010/0042'), ['2009/1234', '2010/0042']);
  assert.deepEqual(spans('(2009/10000)'), ['2009/10000']);
  assert.deepEqual(found('2009/1234,2009/1235; 2009/1236'), ['2009/1234', '2009/1235', '2009/1236']);
});

test('findReferencesInText: the older number-then-year style after "question"', () => {
  const [ref] = findReferencesInText('Further to my question 532/2008, can the Mayor say');
  assert.deepEqual(ref, { reference: '2008/0532', year: 2008, number: 532, index: 23, length: 8 });
  assert.deepEqual(spans('Question 532/2008'), ['532/2008']);
  assert.deepEqual(found('questions 12/2007'), ['2007/0012']);
  assert.deepEqual(found('question no. 7/2006'), ['2006/0007']);
  assert.deepEqual(found('Question number 1234/2009'), ['2009/1234']);
  assert.deepEqual(found('MQT: 88/2005'), ['2005/0088']);
  assert.deepEqual(found('question #532/2008'), ['2008/0532']);
  // Both readings fit: the current style wins.
  assert.deepEqual(found('question 2008/2009'), ['2008/2009']);
});

test('findReferencesInText: dates and longer numbers are not references', () => {
  assert.deepEqual(found('12/2009/1234'), []);
  assert.deepEqual(found('2009/12/31'), []);
  assert.deepEqual(found('2009/1231/'), []);
  assert.deepEqual(found('2009/1234/5'), []);
  assert.deepEqual(found('12009/1234'), []);
  assert.deepEqual(found('2009/1234567'), []);
  assert.deepEqual(found('2009/12345678'), []);
  assert.deepEqual(found('2009/1234.5'), []);
  assert.deepEqual(found('31.2009/1234'), []);
  assert.deepEqual(found('https://example.org/questions/2009/1234'), []);
  assert.deepEqual(found('ref2009/1234'), []);
  assert.deepEqual(found('2009/1234abc'), []);
  assert.deepEqual(found('2009/123'), []);
  assert.deepEqual(found('on 12/2009 the Mayor'), []); // month/year without "question"
  assert.deepEqual(found('532/2008'), []);
  assert.deepEqual(found('question 12/2009/1234'), []);
  assert.deepEqual(found('question532/2008'), []);
  assert.deepEqual(found('requestion 532/2008'), []);
  assert.deepEqual(found('question 0/2008'), []);
  assert.deepEqual(found('question 5/1800'), []);
  assert.deepEqual(found('1850/1234 and 2300/1234'), []);
  assert.deepEqual(found('2009/0000'), []);
  assert.deepEqual(found('2009/01234'), []);
});

test('findReferencesInText: spans are exact around unicode text', () => {
  const text = '“Further to 2009/1234” — 🚇 MQT 2010/0001…';
  const refs = findReferencesInText(text);
  assert.deepEqual(spans(text), ['2009/1234', '2010/0001']);
  assert.deepEqual(refs.map((r) => r.index), [text.indexOf('2009/1234'), text.indexOf('2010/0001')]);
  assert.deepEqual(found('Frage 2009/1234 über'), ['2009/1234']);
  assert.deepEqual(found('é2009/1234'), []);
});

test('findReferencesInText: results are in order of appearance, whichever style', () => {
  const text = 'MQT 2010/0002, question 532/2008 and 2009/0001';
  assert.deepEqual(found(text), ['2010/0002', '2008/0532', '2009/0001']);
});

test('property: formatReference then parseReference round-trips', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 99999 }), (year, number) => {
      const text = formatReference(year, number);
      assert.deepEqual(parseReference(text), { year, number });
      assert.ok(/^\d{4}\/\d{4,5}$/.test(text));
      assert.deepEqual(findReferencesInText(`Further to ${text}, `), [{ reference: text, year, number, index: 11, length: text.length }]);
    }),
  );
});

test('property: parseReference only accepts what formatReference produces', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '/', ' ', 'x'), maxLength: 12 }), (text) => {
      const parts = parseReference(text);
      if (parts) assert.equal(formatReference(parts.year, parts.number), text);
    }),
    { numRuns: 2000 },
  );
});

test('property: compareReferences is consistent with the parts', () => {
  const ref = fc.record({ year: fc.integer({ min: 1900, max: 2200 }), number: fc.integer({ min: 1, max: 99999 }) });
  fc.assert(
    fc.property(ref, ref, (a, b) => {
      assert.equal(compareReferences(a, b), -compareReferences(b, a) || 0);
      assert.equal(compareReferences(formatReference(a.year, a.number), b), compareReferences(a, b));
      assert.equal(compareReferences(a, b) === 0, a.year === b.year && a.number === b.number);
    }),
  );
});

test('property: findReferencesInText never throws, and every hit is a valid reference at its span', () => {
  const check = (text: string) => {
    for (const r of findReferencesInText(text)) {
      assert.equal(formatReference(r.year, r.number), r.reference);
      const cited = text.slice(r.index, r.index + r.length);
      assert.ok(cited === r.reference || cited.endsWith(`/${r.year}`), cited);
    }
  };
  fc.assert(fc.property(fc.string({ unit: 'binary' }), check));
  fc.assert(fc.property(fc.string({ unit: 'grapheme' }), check));
  // Strings made mostly of the characters references are built from find the edge cases faster.
  const dense = fc.string({ unit: fc.constantFrom('2', '0', '9', '1', '/', ' ', '.', '-', 'q', 'question ', 'MQT '), maxLength: 40 });
  fc.assert(fc.property(dense, check), { numRuns: 3000 });
});
