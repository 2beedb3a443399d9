// Our own NDJSON export read back: one question per line, as src/exports/question-export.ts writes it, so an
// export imported into an empty database reproduces the record.
import { cleanText, dayOf, idOf, RecordProblem, referenceFor, type ImportAnswer, type ImportQuestion, type PartyRef } from '../import-model.ts';

export const NATIVE_SOURCE = 'answerable';

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

function party(value: unknown, field: string): PartyRef & { slug?: string } {
  if (!isObj(value)) throw new RecordProblem(`${field} is missing`);
  const slug = typeof value.slug === 'string' ? value.slug : undefined;
  const sourceId = value.source_id ?? slug;
  return {
    source: typeof value.source === 'string' && value.source ? value.source : NATIVE_SOURCE,
    sourceId: idOf(sourceId, `${field}.source_id`),
    name: cleanText(value.name, `${field}.name`, { required: true, max: 200 }),
    ...(slug ? { slug } : {}),
  };
}

export function looksLikeNdjsonExport(value: unknown): boolean {
  return isObj(value) && typeof value.reference === 'string' && 'question' in value;
}

export function mapNdjson(raw: unknown): ImportQuestion {
  if (!isObj(raw)) throw new RecordProblem('not an object');
  const reference = typeof raw.reference === 'string' ? raw.reference : '';
  if (!reference) throw new RecordProblem('reference is missing');
  const askedOn = dayOf(raw.asked_on, 'asked_on', true) as string;
  const type = raw.type === 'oral' ? 'oral' : raw.type === 'written' ? 'written' : null;
  if (!type) throw new RecordProblem('type must be written or oral');
  const source = typeof raw.source === 'string' && raw.source ? raw.source : NATIVE_SOURCE;
  const sourceId = idOf(raw.source_id ?? reference, 'source_id');
  const rawAnswers = Array.isArray(raw.answers) ? raw.answers : [];
  const keyOfVersion = new Map<number, string>();
  const answers: ImportAnswer[] = rawAnswers.map((value, index) => {
    if (!isObj(value)) throw new RecordProblem(`answer ${index + 1} is not an object`);
    const version = typeof value.version === 'number' ? value.version : index + 1;
    const key = typeof value.key === 'string' && value.key ? value.key : `v${version}`;
    keyOfVersion.set(version, key);
    const kind = value.kind;
    if (kind !== 'holding' && kind !== 'substantive' && kind !== 'correction') throw new RecordProblem(`answer ${index + 1} has no kind`);
    const corrects = typeof value.corrects_version === 'number' ? (keyOfVersion.get(value.corrects_version) ?? `v${value.corrects_version}`) : null;
    return {
      key,
      kind,
      body: cleanText(value.body, `answer ${index + 1}`, { required: true, max: 100000 }),
      publishedOn: dayOf(value.published_on, `answer ${index + 1} published_on`, true) as string,
      answeredBy: party(value.answered_by, `answer ${index + 1} answered_by`),
      label: cleanText(value.label, `answer ${index + 1} label`, { required: true, max: 200 }),
      corrects: kind === 'correction' ? corrects : null,
      correctionNote: kind === 'correction' ? cleanText(value.correction_note, 'correction_note', { required: false, max: 2000 }) || 'Corrected.' : null,
    };
  });
  const withdrawnOn = dayOf(raw.withdrawn_on, 'withdrawn_on');
  const attachments = Array.isArray(raw.attachments) ? raw.attachments : [];
  return {
    source,
    sourceId,
    sourceReference: typeof raw.source_reference === 'string' && raw.source_reference ? raw.source_reference : reference,
    reference: referenceFor(reference, askedOn),
    type,
    title: cleanText(raw.title, 'title', { required: true, max: 300 }),
    body: cleanText(raw.question, 'question', { required: true, max: 20000 }),
    asker: party(raw.asker, 'asker'),
    answeringBody: raw.answering_body === null || raw.answering_body === undefined ? null : party(raw.answering_body, 'answering_body'),
    askedOn,
    dueOn: dayOf(raw.due_on, 'due_on'),
    namedDay: raw.named_day === true,
    holdingAnsweredOn: dayOf(raw.holding_answered_on, 'holding_answered_on'),
    withdrawnOn,
    withdrawalReason: withdrawnOn ? cleanText(raw.withdrawal_reason, 'withdrawal_reason', { required: false, max: 2000 }) || 'Withdrawn.' : null,
    answers,
    grouped: Array.isArray(raw.grouped_with) ? [...new Set(raw.grouped_with.map((g) => idOf(g, 'grouped_with')))].sort() : [],
    attachments: attachments.map((value, index) => {
      const a = isObj(value) ? value : {};
      return {
        title: cleanText(a.title, `attachment ${index + 1} title`, { required: true, max: 500 }),
        url: typeof a.url === 'string' && /^https?:\/\//.test(a.url) ? a.url : null,
        fileType: typeof a.file_type === 'string' ? a.file_type : null,
        sizeBytes: typeof a.size_bytes === 'number' ? a.size_bytes : null,
      };
    }),
  };
}
