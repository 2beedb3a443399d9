// One import run: check the whole source first (so a damaged file, a wrong format or --strict with bad records
// writes nothing), then write it in batched transactions, recording the run and its summary in import_runs.
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AppError } from '../errors/app-error.ts';
import { CSV_COLUMN_NAMES, CSV_REQUIRED, mapCsvRow } from './formats/csv.ts';
import { looksLikeNdjsonExport, mapNdjson } from './formats/ndjson.ts';
import { importPopolo } from './formats/popolo.ts';
import { looksLikeUkParliament, mapUkParliament, readLongForm, type LongForm } from './formats/uk-parliament.ts';
import { mapRecord, type ImportFormat, type MappedRecord } from './import-model.ts';
import { refreshImportStatistics, writeQuestionBatch, type Positioned, type Skipped } from './question-writer.ts';
import { csvRecords, importProblem, jsonArrayRecords, ndjsonRecords, openSource, type RawRecord } from './source.ts';

export interface ImportOptions {
  format: ImportFormat;
  location: string;
  longForm?: string;
  strict?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** Tests: stop (as a kill would) once this many batches have been committed. */
  abortAfterBatches?: number;
}

export interface ImportSummary {
  runId: number;
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** The first problems, each with its source position (all are counted in `skipped`). */
  problems: Skipped[];
}

export const MAX_PROBLEMS_KEPT = 500;
export class ImportAborted extends Error {}

/**
 * The records of a question source, each with its position ('record 12 (id 1676644)'), mapped unless `mapped` is
 * false (the first pass of an import that is not --strict only needs to know the file reads to its end).
 */
function questionRecords(format: ImportFormat, file: string, longForm: Map<string, LongForm>): AsyncGenerator<MappedRecord>;
function questionRecords(format: ImportFormat, file: string, longForm: Map<string, LongForm>, mapped: boolean): AsyncGenerator<MappedRecord | { position: string }>;
async function* questionRecords(format: ImportFormat, file: string, longForm: Map<string, LongForm>, mapped = true): AsyncGenerator<MappedRecord | { position: string }> {
  let raw: AsyncGenerator<RawRecord>;
  let map: (value: unknown, position: string) => MappedRecord;
  if (format === 'uk-parliament') {
    raw = jsonArrayRecords(file, 'results');
    map = (value, position) => mapRecord(position, () => mapUkParliament(value, longForm));
  } else if (format === 'csv') {
    raw = csvRecords(file, CSV_REQUIRED, CSV_COLUMN_NAMES);
    map = (value, position) => mapRecord(position, () => mapCsvRow(value));
  } else {
    raw = ndjsonRecords(file);
    map = (value, position) => mapRecord(position, () => mapNdjson(value));
  }
  for await (const record of raw) {
    if (record.index === 1) {
      const fits = format === 'uk-parliament' ? looksLikeUkParliament(record.value) : format === 'ndjson' ? looksLikeNdjsonExport(record.value) : true;
      if (!fits) throw importProblem(`The file does not look like --format ${format} (${record.where} has none of its fields); nothing was imported.`);
    }
    const v = record.value as { value?: { id?: unknown }; id?: unknown; source_id?: unknown; reference?: unknown } | null;
    const id = [v?.value?.id, v?.source_id, v?.reference, format === 'uk-parliament' ? v?.id : undefined].find((x) => x !== undefined && x !== null && x !== '');
    const position = typeof id === 'string' || typeof id === 'number' ? `${record.where} (id ${String(id).slice(0, 40)})` : record.where;
    yield mapped ? map(record.value, position) : { position };
  }
}

async function startRun(db: Db, format: ImportFormat, sourceName: string): Promise<number> {
  const row = await db.insertInto('import_runs').values({ format, source_name: sourceName.slice(0, 1000) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function finishRun(db: Db, runId: number, state: 'finished' | 'failed', summary: Omit<ImportSummary, 'runId'>, message: string | null): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      state,
      finished_at: new Date(),
      records: summary.records,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      skipped: summary.skipped,
      problems: JSON.stringify(summary.problems.slice(0, MAX_PROBLEMS_KEPT)),
      message,
    })
    .where('id', '=', runId)
    .execute();
}

function strictFailure(problems: Skipped[], count: number): AppError {
  const first = problems.slice(0, 3).map((p) => `${p.position}: ${p.problem}`).join('; ');
  return importProblem(`${count} invalid record${count === 1 ? '' : 's'} and --strict was given, so nothing was imported (${first}${count > 3 ? '; ...' : ''}).`);
}

export async function runImport(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const source = await openSource(options.location);
  try {
    if (options.format === 'popolo') return await importPopolo(db, source, { strict: options.strict ?? false, onProgress: options.onProgress, startRun, finishRun });
    if (options.longForm && options.format !== 'uk-parliament') throw importProblem('--longform only goes with --format uk-parliament.');
    let longForm = new Map<string, LongForm>();
    if (options.longForm) {
      const companion = await openSource(options.longForm);
      try {
        longForm = await readLongForm(companion.path);
      } finally {
        await companion.cleanup();
      }
    }

    // The first pass reads everything: a damaged file or a wrong format is found before anything is written; with
    // --strict it also checks every record, so one invalid record writes nothing.
    let total = 0;
    const invalid: Skipped[] = [];
    let invalidCount = 0;
    for await (const record of questionRecords(options.format, source.path, longForm, options.strict ?? false)) {
      total += 1;
      if ('problem' in record) {
        invalidCount += 1;
        if (invalid.length < MAX_PROBLEMS_KEPT) invalid.push({ position: record.position, problem: record.problem });
      }
    }
    if (total === 0) throw importProblem(`${source.name} holds no records; nothing was imported.`);
    if (options.strict && invalidCount > 0) throw strictFailure(invalid, invalidCount);

    const runId = await startRun(db, options.format, source.name);
    const summary: ImportSummary = { runId, records: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, problems: [] };
    const note = (skipped: Skipped) => {
      summary.skipped += 1;
      if (summary.problems.length < MAX_PROBLEMS_KEPT) summary.problems.push(skipped);
    };
    const batchSize = options.batchSize ?? 500;
    let batch: Positioned[] = [];
    let batches = 0;
    const write = async (pending: Positioned[]) => {
      const outcome = await db.transaction().execute(async (trx) => {
        const result = await writeQuestionBatch(trx, pending, { runId, format: options.format });
        await trx
          .updateTable('import_runs')
          .set({ records: sql<number>`records + ${pending.length}`, created: sql<number>`created + ${result.created}`, updated: sql<number>`updated + ${result.updated}`, unchanged: sql<number>`unchanged + ${result.unchanged}` })
          .where('id', '=', runId)
          .execute();
        return result;
      });
      summary.created += outcome.created;
      summary.updated += outcome.updated;
      summary.unchanged += outcome.unchanged;
      outcome.skipped.forEach(note);
      batches += 1;
      // After batches 1, 2, 4, 8 ...: statistics that follow the tables as they double (see refreshImportStatistics).
      if ((batches & (batches - 1)) === 0) await refreshImportStatistics(db);
      options.onProgress?.(summary.records, total);
      if (options.abortAfterBatches !== undefined && batches >= options.abortAfterBatches) throw new ImportAborted(`stopped after ${batches} batches`);
    };
    // One batch is written while the next is read and checked: the database and the parser work at the same time.
    // Batches still commit one after another, in file order.
    let inFlight: Promise<void> | undefined;
    const flush = async () => {
      const pending = batch;
      batch = [];
      if (inFlight) await inFlight;
      inFlight = write(pending);
      inFlight.catch(() => undefined);
    };
    try {
      for await (const record of questionRecords(options.format, source.path, longForm)) {
        summary.records += 1;
        if ('problem' in record) note({ position: record.position, problem: record.problem });
        else batch.push(record);
        if (batch.length >= batchSize) await flush();
      }
      if (batch.length > 0) await flush();
      if (inFlight) await inFlight;
      options.onProgress?.(summary.records, total);
    } catch (error) {
      // A batch still being written finishes (or fails) whole before the run is marked.
      await inFlight?.catch(() => undefined);
      if (!(error instanceof ImportAborted)) {
        await finishRun(db, runId, 'failed', summary, error instanceof Error ? error.message.slice(0, 2000) : String(error)).catch(() => undefined);
      }
      throw error;
    }
    await finishRun(db, runId, 'finished', summary, null);
    return summary;
  } finally {
    await source.cleanup();
  }
}
