// `answerable import`: runs an import with a progress bar on a terminal (plain lines otherwise) and prints the summary.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { openForCommand, type Say } from '../cli/boot.ts';
import { AppError } from '../errors/app-error.ts';
import { IMPORT_FORMATS, type ImportFormat } from './import-model.ts';
import type { ImportSummary } from './run-import.ts';

const SHOWN_PROBLEMS = 20;

export function summaryLines(summary: ImportSummary, sourceName: string, seconds: number): string[] {
  const lines = [
    `Imported ${sourceName} (import #${summary.runId}): ${summary.records} records; ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.skipped} skipped in ${seconds.toFixed(1)} s.`,
  ];
  for (const problem of summary.problems.slice(0, SHOWN_PROBLEMS)) lines.push(`Skipped ${problem.position}: ${problem.problem}`);
  if (summary.skipped > SHOWN_PROBLEMS) lines.push(`... and ${summary.skipped - SHOWN_PROBLEMS} more skipped (the first ${summary.problems.length} are listed at /admin/imports).`);
  return lines;
}

/** Progress on standard error: a bar on a terminal, a line per tenth otherwise (logs stay short on a million records). */
function progressReporter(stream: NodeJS.WriteStream) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar({ stream, format: 'Importing [{bar}] {percentage}% | {value} of {total} records | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
      update(done: number, total: number) {
        if (!started) bar.start(total, 0);
        started = true;
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = -1;
  return {
    update(done: number, total: number) {
      const tenth = Math.floor((done / Math.max(total, 1)) * 10);
      if (tenth !== lastTenth) stream.write(`Imported ${done} of ${total} records\n`);
      lastTenth = tenth;
    },
    stop: () => undefined,
  };
}

export function registerImportCommand(program: Command, say: Say): void {
  program
    .command('import')
    .description('import questions and answers (uk-parliament, csv, ndjson) or people and posts (popolo) from a file or URL; safe to repeat and to interrupt')
    .argument('<file-or-url>', 'a file path or an http(s) URL')
    .requiredOption('--format <name>', `one of ${IMPORT_FORMATS.join(', ')}`)
    .option('--longform <file>', 'uk-parliament only: the long-form companion file that restores clipped text')
    .option('--strict', 'import nothing if any record is invalid (exit 1)')
    .option('--batch-size <n>', 'records per transaction (default 500)')
    .action(async (location: string, options: { format: string; longform?: string; strict?: boolean; batchSize?: string }) => {
      if (!(IMPORT_FORMATS as readonly string[]).includes(options.format)) {
        throw new AppError('validation_failed', `Unknown --format ${JSON.stringify(options.format)}: use one of ${IMPORT_FORMATS.join(', ')}.`);
      }
      const batchSize = options.batchSize === undefined ? undefined : Number(options.batchSize);
      if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000)) throw new AppError('validation_failed', '--batch-size must be a whole number from 1 to 5000.');
      const { runImport } = await import('./run-import.ts');
      const handle = await openForCommand(loadConfig(), say);
      const progress = progressReporter(process.stderr);
      const started = performance.now();
      try {
        const summary = await runImport(handle.db, {
          format: options.format as ImportFormat,
          location,
          longForm: options.longform,
          strict: options.strict,
          batchSize,
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.stop();
        for (const line of summaryLines(summary, location, (performance.now() - started) / 1000)) say(line);
      } finally {
        progress.stop();
        await handle.close();
      }
    });
}
