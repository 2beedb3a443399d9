// Reading an import's source: a file or a URL (fetched to a temporary file first, so a re-read is possible and a
// broken download is caught before anything is written), streamed record by record with each record's position.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline, type Duplex, type Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import readline from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { JSONParser } from '@streamparser/json-node';
import { AppError } from '../errors/app-error.ts';

export interface SourceFile {
  path: string;
  /** What the summary calls it: the path or URL as given. */
  name: string;
  cleanup(): Promise<void>;
}

export interface RawRecord {
  /** 1-based position in the source. */
  index: number;
  /** Where it is, in words: 'record 12' or 'line 14'. */
  where: string;
  value: unknown;
}

export function importProblem(message: string): AppError {
  return new AppError('validation_failed', message);
}

/** A local path as is; an http(s) URL downloaded to a temporary file. */
export async function openSource(location: string): Promise<SourceFile> {
  if (/^https?:\/\//i.test(location)) {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'answerable-import-'));
    const file = path.join(dir, 'source');
    const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
    try {
      const response = await fetch(location);
      if (!response.ok || !response.body) throw importProblem(`Could not download ${location}: HTTP ${response.status}.`);
      await pipelineAsync(response.body as unknown as Readable, fs.createWriteStream(file));
    } catch (error) {
      await cleanup();
      if (error instanceof AppError) throw error;
      throw importProblem(`Could not download ${location}: ${error instanceof Error ? error.message : String(error)}.`);
    }
    return { path: file, name: location, cleanup };
  }
  const stat = await fs.promises.stat(location).catch(() => null);
  if (!stat) throw importProblem(`There is no file at ${location}.`);
  if (!stat.isFile()) throw importProblem(`${location} is not a file.`);
  return { path: location, name: location, cleanup: async () => undefined };
}

/** The first non-blank character of a file (to tell JSON from anything else before parsing). */
async function firstCharacter(file: string): Promise<string | undefined> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  } finally {
    await handle.close();
  }
}

function describeParseError(file: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message : String(error);
  return importProblem(`${path.basename(file)} is not valid JSON or ends part-way (${message.replace(/\.$/, '')}); nothing was imported.`);
}

/**
 * A streaming parser emitting each value at `path` ('$.*': the elements of a top-level array or the properties of a
 * top-level object) as { key, value }, without keeping what came before: memory stays flat whatever the file size.
 * Strings are buffered in 64 KB typed arrays, which parses twice as fast as appending to a string.
 */
function jsonElements(path: string): Duplex {
  return new JSONParser({ paths: [path], keepStack: false, stringBufferSize: 64 * 1024 });
}

/**
 * The elements of a JSON array, or of the array under `arrayKey` in a top-level object (an API page such as
 * `{ "results": [...] }`), streamed with constant memory.
 */
export async function* jsonArrayRecords(file: string, arrayKey?: string): AsyncGenerator<RawRecord> {
  const first = await firstCharacter(file);
  if (first !== '[' && first !== '{') throw importProblem(`${path.basename(file)} is not JSON (expected a list of records); nothing was imported.`);
  if (first === '{' && !arrayKey) throw importProblem(`${path.basename(file)} holds one JSON object, not a list of records; nothing was imported.`);
  let failure: unknown;
  const out = pipeline([fs.createReadStream(file), jsonElements(first === '[' ? '$.*' : `$.${arrayKey}.*`)], (error) => {
    if (error) failure = error;
  }) as unknown as Readable;
  let index = 0;
  try {
    for await (const item of out) {
      index += 1;
      yield { index, where: `record ${index}`, value: (item as { value: unknown }).value };
    }
  } catch (error) {
    throw describeParseError(file, error);
  }
  if (failure) throw describeParseError(file, failure);
  if (index === 0 && first === '{') throw importProblem(`${path.basename(file)} has no "${arrayKey}" list of records; nothing was imported.`);
}

/** The properties of a top-level JSON object, as [key, value] records (the long-form companion file). */
export async function* jsonObjectEntries(file: string): AsyncGenerator<{ key: string; value: unknown }> {
  if ((await firstCharacter(file)) !== '{') throw importProblem(`${path.basename(file)} is not a JSON object keyed by question id.`);
  let failure: unknown;
  const out = pipeline([fs.createReadStream(file), jsonElements('$.*')], (error) => {
    if (error) failure = error;
  }) as unknown as Readable;
  try {
    for await (const item of out) {
      const { key, value } = item as { key: string; value: unknown };
      yield { key, value };
    }
  } catch (error) {
    throw describeParseError(file, error);
  }
  if (failure) throw describeParseError(file, failure);
}

/** One JSON value per line (our own NDJSON export). A line that is not JSON stops the import: the file is damaged. */
export async function* ndjsonRecords(file: string): AsyncGenerator<RawRecord> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw importProblem(`${path.basename(file)} line ${line} is not JSON (the file is not NDJSON or ends part-way); nothing was imported.`);
    }
    index += 1;
    yield { index, where: `line ${line}`, value };
  }
}

/** CSV rows as objects keyed by the header, each with its line number; the header must name the required columns. */
export async function* csvRecords(file: string, required: readonly string[], known: readonly string[]): AsyncGenerator<RawRecord> {
  const rows = fs.createReadStream(file).pipe(parseCsv({ bom: true, columns: true, info: true, skip_empty_lines: true, trim: false }));
  let index = 0;
  try {
    for await (const row of rows as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (index === 0) {
        const header = Object.keys(row.record);
        const missing = required.filter((column) => !header.includes(column));
        if (missing.length > 0) throw importProblem(`${path.basename(file)} is not an Answerable CSV: the header lacks ${missing.join(', ')}; nothing was imported.`);
        const unknown = header.filter((column) => !known.includes(column));
        if (unknown.length > 0) throw importProblem(`${path.basename(file)} has columns Answerable does not know: ${unknown.slice(0, 5).join(', ')}; nothing was imported.`);
      }
      index += 1;
      yield { index, where: `line ${row.info.lines}`, value: row.record };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw importProblem(`${path.basename(file)} is not valid CSV or ends part-way (${message.replace(/\.$/, '')}); nothing was imported.`);
  }
  if (index === 0) throw importProblem(`${path.basename(file)} has no rows to import.`);
}
