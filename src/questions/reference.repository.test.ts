import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { allocateReference, recordIssuedReference } from './reference.repository.ts';

let t: TestDatabase;
before(async () => {
  t = await createTestDatabase({ poolSize: 8 });
});
after(async () => {
  await t.close();
});

test('references run from 1 per calendar year', async () => {
  const a = await t.db.transaction().execute((trx) => allocateReference(trx, 2031));
  const b = await t.db.transaction().execute((trx) => allocateReference(trx, 2031));
  const c = await t.db.transaction().execute((trx) => allocateReference(trx, 2032));
  assert.deepEqual([a.number, b.number, c.number], [1, 2, 1]);
});

test('a rolled-back acceptance leaves no gap', async () => {
  await assert.rejects(
    t.db.transaction().execute(async (trx) => {
      await allocateReference(trx, 2033);
      throw new Error('clerk cancelled');
    }),
  );
  const next = await t.db.transaction().execute((trx) => allocateReference(trx, 2033));
  assert.equal(next.number, 1);
});

test('clerks accepting at once never share a number and never leave a gap', async () => {
  const clerks = 40;
  const results = await Promise.all(
    Array.from({ length: clerks }, (_, i) =>
      t.db
        .transaction()
        .execute(async (trx) => {
          const reference = await allocateReference(trx, 2034);
          // Some acceptances fail after taking a number: their numbers must be reissued, not lost.
          if (i % 5 === 0) throw new Error('rejected after allocation');
          return reference.number;
        })
        .catch(() => null),
    ),
  );
  const issued = results.filter((n): n is number => n !== null).sort((x, y) => x - y);
  assert.equal(issued.length, clerks - clerks / 5);
  assert.deepEqual(issued, Array.from({ length: issued.length }, (_, i) => i + 1));
});

test('a reference recorded from an import moves the sequence on, never back', async () => {
  await t.db.transaction().execute((trx) => recordIssuedReference(trx, 2035, 1234));
  await t.db.transaction().execute((trx) => recordIssuedReference(trx, 2035, 12));
  const next = await t.db.transaction().execute((trx) => allocateReference(trx, 2035));
  assert.equal(next.number, 1235);
});
