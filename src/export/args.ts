/**
 * The command line of `npm run export`: parsing and the usage text. Plain Node.
 */
import { parseFlags } from '../common/cliArgs';
import { DEFAULT_IDLE_GAP_MS } from '../episodes/builder';
import { parseFilters, type EpisodeFilter } from './filter';
import type { ExportFormat } from './format';
import { FORMATS } from './formats';

export interface ExportOptions {
  /** Trace files, folders and receiver databases, as given. */
  paths: string[];
  /** What to do: write a dataset, or print a summary of what the trace holds. */
  mode: { kind: 'export'; out: string; format: ExportFormat } | { kind: 'stats' };
  filter: EpisodeFilter;
  idleGapMs: number;
  verbose: boolean;
}

export type ParsedExportArgs = { kind: 'run'; options: ExportOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/** The bounds of `--idle-minutes`, as the `worktrace.episodes.idleMinutes` setting's. */
export const IDLE_MINUTES = { min: 1, max: 1440 } as const;

/** The usage text for `--help` and after an argument error. */
export function usage(formats: readonly ExportFormat[] = FORMATS): string {
  const width = Math.max(...formats.map((f) => f.name.length));
  return [
    'usage: npm run export -- <trace file, folder or receiver database>... --out <file> --format <name> [options]',
    '       npm run export -- <trace file, folder or receiver database>... --stats [options]',
    '',
    'Builds the episodes of the traces (tasks from goal to outcome) and writes them in a training format,',
    'or prints what the traces hold. Folders are read recursively (*.ndjson, *.ndjson.gz); a receiver',
    'database is told by its SQLite header.',
    '',
    '  --out <file>        where the dataset goes: written to a temporary file next to it, renamed at the',
    "                      end (a failed export leaves no half dataset); '-' for stdout",
    '  --format <name>     one of:',
    ...formats.map((f) => `                        ${f.name.padEnd(width)}  ${f.description}`),
    '  --stats             print a summary of the episodes (outcomes, goals, steps, sessions, dates,',
    '                      exactness, a token estimate) instead of exporting; goes without --out/--format',
    '  --filter <f>[,<f>]  keep only matching episodes; repeatable. Different keys must all match, several',
    '                      values of one key any:',
    '                        outcome=done|abandoned|handed-off|unknown',
    '                        min-steps=N       at least N steps',
    '                        fixed             a test went from failing to passing',
    '                        from=YYYY-MM-DD   started on or after that day (UTC)',
    '                        to=YYYY-MM-DD     started on or before that day (UTC)',
    '                        repo=NAME         a repository root as recorded (`.`, `services/api`), or a',
    '                                          branch the episode began on, checked out or committed to',
    '                        explicit          only explicit tasks (Start Task…), not inferred ones',
    `  --idle-minutes N    without an explicit task, a pause this long ends an episode (default ${DEFAULT_IDLE_GAP_MS / 60_000},`,
    `                      ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max})`,
    '  --verbose           print every problem met while reading and building (one line each)',
    '',
    'Progress goes to stderr (a bar on a terminal), then one summary line: what was read and skipped.',
    'Exit codes: 0 done; 1 nothing could be read, or the output could not be written; 2 bad arguments.',
  ].join('\n');
}

const VALUE_FLAGS = ['--out', '--format', '--filter', '--idle-minutes'] as const;
const SWITCHES = ['--stats', '--verbose'] as const;

/** Parses the command line (without `node` and the script). Never throws. */
export function parseExportArgs(argv: readonly string[], formats: readonly ExportFormat[] = FORMATS): ParsedExportArgs {
  const parsed = parseFlags(argv, VALUE_FLAGS, true, { repeatable: ['--filter'], switches: SWITCHES });
  if (parsed.kind !== 'ok') {
    return parsed;
  }
  const { values, lists, switches, positional } = parsed;
  if (positional.length === 0) {
    return { kind: 'error', message: 'give at least one trace file, folder or receiver database' };
  }
  const filters = parseFilters(lists.get('--filter') ?? []);
  if (!filters.ok) {
    return { kind: 'error', message: `--filter: ${filters.message}` };
  }
  let idleGapMs = DEFAULT_IDLE_GAP_MS;
  const idle = values.get('--idle-minutes');
  if (idle !== undefined) {
    const minutes = /^\d+(\.\d+)?$/.test(idle) ? Number(idle) : NaN;
    if (!(minutes >= IDLE_MINUTES.min && minutes <= IDLE_MINUTES.max)) {
      return { kind: 'error', message: `--idle-minutes needs a number of minutes from ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max}, got ${idle}` };
    }
    idleGapMs = Math.round(minutes * 60_000);
  }
  const common = { paths: positional, filter: filters.filter, idleGapMs, verbose: switches.has('--verbose') };
  const out = values.get('--out');
  const formatName = values.get('--format');
  if (switches.has('--stats')) {
    if (out !== undefined || formatName !== undefined) {
      return { kind: 'error', message: '--stats prints a summary instead of exporting: it does not go with --out or --format' };
    }
    return { kind: 'run', options: { ...common, mode: { kind: 'stats' } } };
  }
  const names = formats.map((f) => f.name).join(', ');
  if (out === undefined) {
    return { kind: 'error', message: "give --out <file> ('-' for stdout), or --stats for a summary" };
  }
  if (formatName === undefined) {
    return { kind: 'error', message: `give --format <name>: ${names}` };
  }
  const format = formats.find((f) => f.name === formatName);
  if (format === undefined) {
    return { kind: 'error', message: `unknown format ${JSON.stringify(formatName)} (known: ${names})` };
  }
  return { kind: 'run', options: { ...common, mode: { kind: 'export', out, format } } };
}
