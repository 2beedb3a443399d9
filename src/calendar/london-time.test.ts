import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOfLondonDay, formatLongDate, formatTime, londonDate, londonDateTime } from './london-time.ts';

test('London wall-clock times become the right instants in winter and summer', () => {
  assert.equal(londonDateTime('2009-01-21', '10:00').toISOString(), '2009-01-21T10:00:00.000Z');
  assert.equal(londonDateTime('2009-06-17', '10:00').toISOString(), '2009-06-17T09:00:00.000Z');
  // The morning the clocks went forward in 2009 (29 March, 01:00 GMT).
  assert.equal(londonDateTime('2009-03-29', '12:00').toISOString(), '2009-03-29T11:00:00.000Z');
  assert.equal(londonDateTime('2009-10-25', '12:00').toISOString(), '2009-10-25T12:00:00.000Z');
});

test('the London day of an instant follows British Summer Time', () => {
  assert.equal(londonDate(new Date('2009-06-17T23:30:00Z')), '2009-06-18');
  assert.equal(londonDate(new Date('2009-12-17T23:30:00Z')), '2009-12-17');
});

test('the end of a London day is one minute before midnight local time, to the millisecond', () => {
  assert.equal(endOfLondonDay('2009-06-22').toISOString(), '2009-06-22T22:59:59.999Z');
  assert.equal(endOfLondonDay('2010-12-30').toISOString(), '2010-12-30T23:59:59.999Z');
});

test('dates read as the record writes them', () => {
  assert.equal(formatLongDate('2009-06-17'), 'Wednesday 17 June 2009');
  assert.equal(formatTime(londonDateTime('2009-06-17', '10:00')), '10:00am');
});
