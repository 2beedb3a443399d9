// The CSV column set for clerks migrating from spreadsheets (documented in README and on /admin/imports), its
// template, and the mapping of one row to the import model. The CSV export writes the same columns.
import { stringify } from 'csv-stringify/sync';
import { cleanText, dayOf, idOf, RecordProblem, referenceFor, slugFor, type ImportAnswer, type ImportQuestion, type PartyRef } from '../import-model.ts';

export const CSV_SOURCE = 'csv';

/** Every column, in template order, with what it holds (shown on the admin page). */
export const CSV_COLUMNS: readonly { name: string; required: boolean; description: string }[] = [
  { name: 'reference', required: true, description: 'The question reference, YYYY/NNNN (for example 2023/0412).' },
  { name: 'source_id', required: false, description: "The record's identifier in the system it comes from; the reference when empty. Re-importing a row with the same identifier updates it." },
  { name: 'type', required: false, description: 'written (the default) or oral.' },
  { name: 'title', required: true, description: 'The heading of the question (up to 300 characters).' },
  { name: 'question', required: true, description: 'The text of the question. HTML is reduced to plain paragraphs.' },
  { name: 'asker', required: true, description: 'The name of the member who asked it.' },
  { name: 'asker_id', required: false, description: "The member's identifier (a slug); the asker's name when empty. Members are matched by it." },
  { name: 'asked_on', required: true, description: 'The day the question was tabled, YYYY-MM-DD.' },
  { name: 'due_on', required: false, description: 'The day the answer was due, YYYY-MM-DD.' },
  { name: 'named_day', required: false, description: 'yes when the question asked for an answer on a named day.' },
  { name: 'answering_body', required: false, description: 'The body that answers (for example Transport for London).' },
  { name: 'answering_body_id', required: false, description: "The body's identifier; its name when empty." },
  { name: 'holding_answer', required: false, description: 'The text of a holding answer, if one was published.' },
  { name: 'holding_answered_on', required: false, description: 'The day the holding answer was given.' },
  { name: 'original_answer', required: false, description: 'For a corrected answer: the answer as first published (kept as the earlier version).' },
  { name: 'original_answered_on', required: false, description: 'The day the original answer was published.' },
  { name: 'answer', required: false, description: 'The answer (the corrected text when original_answer is given).' },
  { name: 'answered_on', required: false, description: 'The day the answer (or the correction) was published.' },
  { name: 'answered_by', required: false, description: 'Who answered (a name); required with an answer.' },
  { name: 'answered_by_id', required: false, description: "The answerer's identifier; their name when empty." },
  { name: 'answer_label', required: false, description: 'How the answer is signed (for example The Mayor); the answering body or "Answer" when empty.' },
  { name: 'correction_note', required: false, description: 'Why the answer was corrected (with original_answer).' },
  { name: 'withdrawn_on', required: false, description: 'The day the question was withdrawn, if it was.' },
  { name: 'withdrawal_reason', required: false, description: 'Why it was withdrawn.' },
  { name: 'grouped_with', required: false, description: 'References of questions answered together with it, separated by semicolons.' },
  { name: 'attachments', required: false, description: 'Files the answer points at: one "title <https://...>" per line.' },
];

export const CSV_COLUMN_NAMES = CSV_COLUMNS.map((column) => column.name);
export const CSV_REQUIRED = CSV_COLUMNS.filter((column) => column.required).map((column) => column.name);

/** The template offered for download: the header and one worked example row. */
export const CSV_TEMPLATE_EXAMPLE: Record<string, string> = {
  reference: '2023/0412',
  source_id: '',
  type: 'written',
  title: 'Bus services in Wexbridge',
  question: 'How many bus routes were withdrawn in 2022?',
  asker: 'Jane Example',
  asker_id: '',
  asked_on: '2023-03-01',
  due_on: '2023-03-06',
  named_day: 'no',
  answering_body: 'Transport for Wexbridge',
  answering_body_id: '',
  holding_answer: '',
  holding_answered_on: '',
  original_answer: '',
  original_answered_on: '',
  answer: 'Three routes were withdrawn in 2022.',
  answered_on: '2023-03-05',
  answered_by: 'The Mayor',
  answered_by_id: '',
  answer_label: 'The Mayor',
  correction_note: '',
  withdrawn_on: '',
  withdrawal_reason: '',
  grouped_with: '',
  attachments: '',
};

const text = (row: Record<string, string>, column: string) => (row[column] ?? '').trim();

function party(row: Record<string, string>, nameColumn: string, idColumn: string, required: boolean): PartyRef | null {
  const name = cleanText(text(row, nameColumn), nameColumn, { required, max: 200 });
  if (!name) return null;
  const id = text(row, idColumn) ? idOf(text(row, idColumn), idColumn) : slugFor('x', name, '');
  return { source: CSV_SOURCE, sourceId: id, name };
}

function attachmentsOf(value: string) {
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, index) => {
      const match = /^(.*?)\s*<(https?:\/\/[^\s>]+)>$/.exec(line);
      const title = cleanText(match ? match[1] || match[2] : line, `attachment ${index + 1}`, { required: true, max: 500 });
      return { title, url: match?.[2] ?? null, fileType: null, sizeBytes: null };
    });
}

export function mapCsvRow(raw: unknown): ImportQuestion {
  const row = raw as Record<string, string>;
  const askedOn = dayOf(text(row, 'asked_on'), 'asked_on', true) as string;
  const reference = text(row, 'reference');
  if (!reference) throw new RecordProblem('reference is missing');
  const type = text(row, 'type') || 'written';
  if (type !== 'written' && type !== 'oral') throw new RecordProblem(`type must be written or oral, not ${JSON.stringify(type)}`);
  const named = text(row, 'named_day').toLowerCase();
  if (!['', 'yes', 'no', 'true', 'false'].includes(named)) throw new RecordProblem('named_day must be yes or no');
  const body = party(row, 'answering_body', 'answering_body_id', false);
  const answers: ImportAnswer[] = [];
  const answeredBy = () => {
    const by = party(row, 'answered_by', 'answered_by_id', true) as PartyRef;
    return by;
  };
  const label = () => cleanText(text(row, 'answer_label'), 'answer_label', { required: false, max: 200 }) || body?.name || 'Answer';
  const holding = cleanText(text(row, 'holding_answer'), 'holding_answer', { required: false, max: 100000 });
  const holdingOn = dayOf(text(row, 'holding_answered_on'), 'holding_answered_on');
  if (holding) {
    if (!holdingOn) throw new RecordProblem('holding_answer with no holding_answered_on');
    answers.push({ key: 'holding', kind: 'holding', body: holding, publishedOn: holdingOn, answeredBy: answeredBy(), label: label(), corrects: null, correctionNote: null });
  }
  const original = cleanText(text(row, 'original_answer'), 'original_answer', { required: false, max: 100000 });
  const answer = cleanText(text(row, 'answer'), 'answer', { required: false, max: 100000 });
  const answeredOn = dayOf(text(row, 'answered_on'), 'answered_on');
  const note = cleanText(text(row, 'correction_note'), 'correction_note', { required: false, max: 2000 });
  if (answer && !answeredOn) throw new RecordProblem('an answer with no answered_on');
  if (!answer && answeredOn) throw new RecordProblem('answered_on with no answer');
  if (original && !answer) throw new RecordProblem('original_answer with no corrected answer');
  if (note && !original) throw new RecordProblem('a correction with no original answer');
  if (original) {
    const originalOn = dayOf(text(row, 'original_answered_on'), 'original_answered_on', true) as string;
    answers.push({ key: 'answer', kind: 'substantive', body: original, publishedOn: originalOn, answeredBy: answeredBy(), label: label(), corrects: null, correctionNote: null });
    answers.push({ key: 'correction', kind: 'correction', body: answer, publishedOn: answeredOn as string, answeredBy: answeredBy(), label: label(), corrects: 'answer', correctionNote: note || 'Corrected.' });
  } else if (answer) {
    answers.push({ key: 'answer', kind: 'substantive', body: answer, publishedOn: answeredOn as string, answeredBy: answeredBy(), label: label(), corrects: null, correctionNote: null });
  }
  const withdrawnOn = dayOf(text(row, 'withdrawn_on'), 'withdrawn_on');
  return {
    source: CSV_SOURCE,
    sourceId: text(row, 'source_id') ? idOf(text(row, 'source_id'), 'source_id') : reference,
    sourceReference: reference,
    reference: referenceFor(reference, askedOn),
    type,
    title: cleanText(text(row, 'title'), 'title', { required: true, max: 300 }),
    body: cleanText(text(row, 'question'), 'question', { required: true, max: 20000 }),
    asker: party(row, 'asker', 'asker_id', true) as PartyRef,
    answeringBody: body,
    askedOn,
    dueOn: dayOf(text(row, 'due_on'), 'due_on'),
    namedDay: named === 'yes' || named === 'true',
    holdingAnsweredOn: holding ? null : holdingOn,
    withdrawnOn,
    withdrawalReason: withdrawnOn ? cleanText(text(row, 'withdrawal_reason'), 'withdrawal_reason', { required: false, max: 2000 }) || 'Withdrawn.' : null,
    answers,
    grouped: [...new Set(text(row, 'grouped_with').split(';').map((g) => g.trim()).filter(Boolean))].sort(),
    attachments: attachmentsOf(text(row, 'attachments')),
  };
}

/** The template file: the header and the worked example. */
export function csvTemplate(): string {
  return stringify([CSV_COLUMN_NAMES, CSV_COLUMN_NAMES.map((name) => CSV_TEMPLATE_EXAMPLE[name] ?? '')]);
}
