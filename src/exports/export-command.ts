// `answerable export`: the public record as NDJSON, CSV or Popolo on standard output or into a file, streamed.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { isValidIsoDate } from '../calendar/iso-date.ts';
import { loadConfig } from '../config/config.ts';
import { openForCommand, type Say } from '../cli/boot.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors/app-error.ts';
import { popoloChunks } from './popolo-export.ts';
import { csvLines, exportQuestions, ndjsonLines, type ExportFilters } from './question-export.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv', 'popolo'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function exportChunks(db: Db, format: ExportFormat, filters: ExportFilters = {}): AsyncGenerator<string> {
  if (format === 'popolo') return popoloChunks(db);
  const questions = exportQuestions(db, filters);
  return format === 'csv' ? csvLines(questions) : ndjsonLines(questions);
}

interface Options { format: string; output?: string; year?: string; from?: string; to?: string; body?: string; member?: string; source?: string }

function filtersOf(options: Options): ExportFilters {
  const filters: ExportFilters = {};
  if (options.year !== undefined) {
    if (!/^\d{4}$/.test(options.year)) throw new AppError('validation_failed', '--year must be a year such as 2023.');
    filters.year = Number(options.year);
  }
  for (const key of ['from', 'to'] as const) {
    const value = options[key];
    if (value !== undefined && !isValidIsoDate(value)) throw new AppError('validation_failed', `--${key} must be a date, YYYY-MM-DD.`);
    if (value !== undefined) filters[key] = value;
  }
  if (options.body) filters.body = options.body;
  if (options.member) filters.member = options.member;
  if (options.source) filters.source = options.source;
  return filters;
}

export function registerExportCommand(program: Command, say: Say): void {
  program
    .command('export')
    .description('export the public record (ndjson, csv) or its people and posts (popolo), streamed to standard output or --output')
    .requiredOption('--format <name>', `one of ${EXPORT_FORMATS.join(', ')}`)
    .option('--output <file>', 'write to this file instead of standard output')
    .option('--year <yyyy>', 'only questions with references of this year')
    .option('--from <date>', 'only questions asked on or after this day')
    .option('--to <date>', 'only questions asked on or before this day')
    .option('--body <slug>', 'only questions to this answering body')
    .option('--member <slug>', 'only questions asked by this member')
    .option('--source <name>', 'only questions imported from this source (for example uk-parliament)')
    .action(async (options: Options) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
        throw new AppError('validation_failed', `Unknown --format ${JSON.stringify(options.format)}: use one of ${EXPORT_FORMATS.join(', ')}.`);
      }
      const filters = filtersOf(options);
      // Migration notes go to standard error so standard output is only the export.
      const handle = await openForCommand(loadConfig(), (line) => process.stderr.write(`${line}\n`));
      try {
        const target = options.output ? fs.createWriteStream(options.output) : process.stdout;
        try {
          await pipeline(Readable.from(exportChunks(handle.db, options.format as ExportFormat, filters)), target, { end: Boolean(options.output) });
        } catch (error) {
          // A reader that stops early (`| head`) is not an error.
          if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
          throw error;
        }
        if (options.output) say(`Exported to ${options.output}.`);
      } finally {
        await handle.close();
      }
    });
}
