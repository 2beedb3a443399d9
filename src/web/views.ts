// The Nunjucks environment: templates beside each domain folder, GOV.UK Frontend macros, autoescaping on.
import nunjucks from 'nunjucks';
import { projectPath } from '../config/paths.ts';
import { formatDate, formatLongDate, formatTime, londonDate } from '../calendar/london-time.ts';

const srcDir = projectPath('src');
const govukDir = projectPath('node_modules', 'govuk-frontend', 'dist');

export function createViewEnvironment(options: { watch?: boolean } = {}): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([srcDir, govukDir], { watch: options.watch ?? false, noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter('longDate', (value: string | null | undefined) => (value ? formatLongDate(value) : ''));
  env.addFilter('date', (value: string | null | undefined) => (value ? formatDate(value) : ''));
  env.addFilter('time', (value: Date | string | null | undefined) => (value ? formatTime(new Date(value)) : ''));
  env.addFilter('isoDate', (value: Date | string | null | undefined) =>
    value instanceof Date ? value.toISOString() : (value ?? ''),
  );
  env.addFilter('londonDay', (value: Date | string | null | undefined) => (value ? londonDate(new Date(value)) : ''));
  env.addFilter('number', (value: number | null | undefined) => (value ?? 0).toLocaleString('en-GB'));
  env.addFilter('plural', (count: number, singular: string, plural?: string) => (count === 1 ? singular : (plural ?? `${singular}s`)));
  // Text written by people keeps its paragraphs: split on blank lines, each paragraph escaped by the template.
  env.addFilter('paragraphs', (value: string | null | undefined) =>
    (value ?? '').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
  );
  return env;
}
