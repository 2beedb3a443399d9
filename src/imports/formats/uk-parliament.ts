// The UK Parliament written-questions API (`{ value, links }` objects, as a list or an API page of `results`),
// mapped to the import model, with the long-form companion file restoring text the bulk API clipped.
import { cleanText, dayOf, idOf, RecordProblem, referenceFor, type ImportAnswer, type ImportAttachment, type ImportQuestion, type PartyRef } from '../import-model.ts';
import { importProblem, jsonObjectEntries } from '../source.ts';

export const UK_PARLIAMENT_SOURCE = 'uk-parliament';

export interface LongForm {
  question?: string;
  answer?: string;
}

/** The long-form file: `{ "<id>": { "question_text", "answer_text" } }`. Small (one entry per clipped question). */
export async function readLongForm(file: string): Promise<Map<string, LongForm>> {
  const texts = new Map<string, LongForm>();
  for await (const { key, value } of jsonObjectEntries(file)) {
    if (typeof value !== 'object' || value === null) throw importProblem(`The long-form file's entry ${key} is not an object.`);
    const entry = value as Record<string, unknown>;
    texts.set(key, {
      question: typeof entry.question_text === 'string' ? entry.question_text : undefined,
      answer: typeof entry.answer_text === 'string' ? entry.answer_text : undefined,
    });
  }
  return texts;
}

function member(id: unknown, named: unknown, field: string): PartyRef {
  const name = typeof named === 'object' && named !== null && typeof (named as { name?: unknown }).name === 'string' ? (named as { name: string }).name : null;
  return { source: UK_PARLIAMENT_SOURCE, sourceId: `member:${idOf(id, field)}`, name: name ? cleanText(name, `${field} name`, { required: true, max: 200 }) : null };
}

function attachmentsOf(value: unknown): ImportAttachment[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new RecordProblem('attachments is not a list');
  return value.map((raw, index) => {
    const a = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const url = typeof a.url === 'string' && /^https?:\/\//.test(a.url) ? a.url : null;
    const title = cleanText(a.title ?? a.fileName ?? url, `attachment ${index + 1} title`, { required: true, max: 500 });
    const size = typeof a.fileSizeBytes === 'number' && Number.isSafeInteger(a.fileSizeBytes) && a.fileSizeBytes >= 0 ? a.fileSizeBytes : null;
    return { title, url, fileType: typeof a.fileType === 'string' ? a.fileType.slice(0, 100) : null, sizeBytes: size };
  });
}

/** Whether a parsed element looks like this format at all (checked on the first record: a wrong --format stops at once). */
export function looksLikeUkParliament(value: unknown): boolean {
  const inner: unknown = typeof value === 'object' && value !== null && 'value' in value ? value.value : value;
  const v = inner as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && ('uin' in v || 'questionText' in v);
}

export function mapUkParliament(raw: unknown, longForm: Map<string, LongForm>): ImportQuestion {
  if (typeof raw !== 'object' || raw === null) throw new RecordProblem('not an object');
  const inner: unknown = 'value' in raw ? raw.value : raw;
  const v = inner as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) throw new RecordProblem('value is not an object');
  const sourceId = idOf(v.id, 'id');
  const long = longForm.get(sourceId);
  const uin = idOf(v.uin, 'uin');
  const askedOn = dayOf(v.dateTabled, 'dateTabled', true) as string;
  const body = cleanText(long?.question ?? v.questionText, 'questionText', { required: true, max: 20000 });
  const heading = cleanText(v.heading, 'heading', { required: false, max: 300 });
  const title = heading || (body.length > 300 ? `${body.slice(0, 299)}…` : body);
  const bodyName = cleanText(v.answeringBodyName, 'answeringBodyName', { required: false, max: 200 });
  const answeringBody = v.answeringBodyId !== null && v.answeringBodyId !== undefined
    ? { source: UK_PARLIAMENT_SOURCE, sourceId: `body:${idOf(v.answeringBodyId, 'answeringBodyId')}`, name: bodyName || null }
    : null;
  if (answeringBody && !answeringBody.name) throw new RecordProblem('answeringBodyName is missing');

  const answers: ImportAnswer[] = [];
  const answerText = cleanText(long?.answer ?? v.answerText, 'answerText', { required: false, max: 100000 });
  const answeredOn = dayOf(v.dateAnswered, 'dateAnswered');
  let holdingAnsweredOn = dayOf(v.dateHoldingAnswer, 'dateHoldingAnswer');
  if (answerText && !answeredOn) throw new RecordProblem('an answer with no dateAnswered');
  if (answeredOn && !answerText) throw new RecordProblem('dateAnswered with no answerText');
  if (answerText && answeredOn) {
    if (v.answeringMemberId === null || v.answeringMemberId === undefined) throw new RecordProblem('an answer with no answeringMemberId');
    const answeredBy = member(v.answeringMemberId, v.answeringMember, 'answeringMemberId');
    const label = bodyName || 'Answer';
    if (v.answerIsHolding === true) {
      answers.push({ key: 'holding', kind: 'holding', body: answerText, publishedOn: holdingAnsweredOn ?? answeredOn, answeredBy, label, corrects: null, correctionNote: null });
      holdingAnsweredOn = null;
    } else if (v.answerIsCorrection === true) {
      // The original text is kept as the earlier version; without it there is nothing for the correction to correct.
      const original = cleanText(v.originalAnswerText, 'originalAnswerText', { required: false, max: 100000 });
      if (!original) throw new RecordProblem('a correction with no original answer (originalAnswerText is empty)');
      const correctedOn = dayOf(v.dateAnswerCorrected, 'dateAnswerCorrected', true) as string;
      const correctedBy = v.correctingMemberId === null || v.correctingMemberId === undefined ? answeredBy : member(v.correctingMemberId, v.correctingMember, 'correctingMemberId');
      answers.push({ key: 'answer', kind: 'substantive', body: original, publishedOn: answeredOn, answeredBy, label, corrects: null, correctionNote: null });
      answers.push({ key: 'correction', kind: 'correction', body: answerText, publishedOn: correctedOn, answeredBy: correctedBy, label, corrects: 'answer', correctionNote: 'Corrected by the answering department.' });
    } else {
      answers.push({ key: 'answer', kind: 'substantive', body: answerText, publishedOn: answeredOn, answeredBy, label, corrects: null, correctionNote: null });
    }
  }
  const grouped = Array.isArray(v.groupedQuestions) ? v.groupedQuestions.map((g) => idOf(g, 'groupedQuestions')) : [];
  const withdrawn = v.isWithdrawn === true;
  return {
    source: UK_PARLIAMENT_SOURCE,
    sourceId,
    sourceReference: uin,
    reference: referenceFor(uin, askedOn),
    type: 'written',
    title,
    body,
    asker: member(v.askingMemberId, v.askingMember, 'askingMemberId'),
    answeringBody,
    askedOn,
    dueOn: dayOf(v.dateForAnswer, 'dateForAnswer'),
    namedDay: v.isNamedDay === true,
    holdingAnsweredOn,
    // The API gives no withdrawal date: the day tabled is the only day the record can vouch for.
    withdrawnOn: withdrawn ? (dayOf(v.dateWithdrawn, 'dateWithdrawn') ?? askedOn) : null,
    withdrawalReason: withdrawn ? 'Withdrawn by the member.' : null,
    answers,
    grouped: [...new Set(grouped)].sort(),
    attachments: attachmentsOf(v.attachments),
  };
}
