// The retry rule of the outbox: growing waits, a ceiling, and a point where it gives up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasNoAttemptsLeft, MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from './retry-schedule.ts';

test('waits 1 minute, 5, 30, 2 hours, 6, 12, then a day at most', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelaySeconds),
    [60, 300, 1800, 7200, 21600, 43200, 86400, 86400, 86400],
  );
});

test('never waits less after a later failure', () => {
  for (let attempt = 1; attempt < 40; attempt += 1) assert.ok(retryDelaySeconds(attempt + 1) >= retryDelaySeconds(attempt));
});

test('gives up after the last allowed attempt, about two days in', () => {
  assert.equal(hasNoAttemptsLeft(MAX_DELIVERY_ATTEMPTS - 1), false);
  assert.equal(hasNoAttemptsLeft(MAX_DELIVERY_ATTEMPTS), true);
  assert.equal(hasNoAttemptsLeft(3, 3), true);
  let waited = 0;
  for (let attempt = 1; attempt < MAX_DELIVERY_ATTEMPTS; attempt += 1) waited += retryDelaySeconds(attempt);
  assert.ok(waited > 36 * 3600 && waited < 60 * 3600, `${waited / 3600} hours`);
});

test('an attempt number below 1 is a programming error', () => {
  assert.throws(() => retryDelaySeconds(0), RangeError);
  assert.throws(() => retryDelaySeconds(1.5), RangeError);
});
