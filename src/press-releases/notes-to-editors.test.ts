// Drafting the notes to editors from citations (pure): the trade's wording, dates spoken as editors write them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answererPhrase, draftNotesToEditors, notesParts, ordinal, spokenDate, spokenMonth, type CitationFacts } from './notes-to-editors.ts';

const june: CitationFacts = {
  position: 1,
  kind: 'oral',
  askerName: 'Hannah Okoye',
  answererLabel: 'Mayor of Wexbridge',
  meetingTitle: "Mayor's Question Time",
  meetingDate: '2009-06-17',
};
const may: CitationFacts = { ...june, position: 2, kind: 'written', meetingDate: '2009-05-20' };

test('ordinals', () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 17, 21, 22, 23, 31, 101, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '17th', '21st', '22nd', '23rd', '31st', '101st', '111th']);
});

test('dates are spoken as editors write them, with the year only when it is not this year', () => {
  assert.equal(spokenDate('2009-06-17', '2009-06-18'), 'Wednesday the 17th of June');
  assert.equal(spokenDate('2009-06-17', '2026-11-25'), 'Wednesday the 17th of June 2009');
  assert.equal(spokenMonth('2009-05-20', '2009-06-18'), 'May');
  assert.equal(spokenMonth('2009-05-20', '2026-11-25'), 'May 2009');
});

test('the answerer is named by office', () => {
  assert.equal(answererPhrase('Mayor of Wexbridge'), 'The Mayor');
  assert.equal(answererPhrase('Deputy Mayor for Policing'), 'The Deputy Mayor for Policing');
});

test('the storyline: the June oral answer, then the May written answer "to a previous question", each followed by its block', () => {
  assert.equal(
    draftNotesToEditors([june, may], '2009-06-18'),
    [
      "The Mayor gave the following oral answer to a question put by Hannah Okoye at Mayor's Question Time on Wednesday the 17th of June:",
      '[citation 1]',
      'The Mayor also gave the following written answer to a previous question, asked in May:',
      '[citation 2]',
    ].join('\n\n'),
  );
});

test('a written answer cited first is not "previous", and a later oral one is "also"', () => {
  const notes = draftNotesToEditors([{ ...may, position: 1 }, { ...june, position: 2 }], '2009-06-18');
  assert.match(notes, /^The Mayor gave the following written answer to a question, asked in May:/);
  assert.match(notes, /The Mayor also gave the following oral answer/);
});

test('no citations, no notes', () => {
  assert.equal(draftNotesToEditors([], '2009-06-18'), '');
});

test('stored notes split into text and placeholders; a placeholder must stand alone on its paragraph', () => {
  assert.deepEqual(notesParts('Intro.\n\n[citation 2]\n\nSee [citation 1] too.\n\n\n'), [
    { kind: 'text', text: 'Intro.' },
    { kind: 'citation', position: 2 },
    { kind: 'text', text: 'See [citation 1] too.' },
  ]);
});
