/**
 * `npm run export`: traces → episodes → a dataset (or `--stats`), streaming. Plain Node;
 * writes only through the injected {@link ExportIo}.
 *
 * The trace reader hands on one session at a time (pass 1 indexes every file, pass 2 reads
 * each session's files), the episode builder turns them into episodes as they end, with an
 * authorship tracker per workspace (authorship/workspaceAuthorship.ts), and each episode
 * kept by the filters goes to the format's writer and out, or into the counters of
 * `--stats`. Memory: one session, one workspace's replayed documents and tracker, and the
 * output buffer, however many traces are read.
 *
 * Bad input never stops an export: problems are counted, listed with `--verbose`, and summed
 * up in the one line the export ends with.
 */
import { existsSync, statSync } from 'node:fs';
import { observeAuthorship } from '../authorship/workspaceAuthorship';
import { buildEpisodes } from '../episodes/builder';
import { newBuildReport, type EpisodeProblem } from '../episodes/report';
import type { ReadProblem } from '../trace/readReport';
import { openTraceSource } from '../trace/source';
import { parseExportArgs, usage, type ExportOptions } from './args';
import type { ExportFormat, ExportWriter } from './format';
import { FORMATS } from './formats';
import { openFileOutput, streamOutput, type DatasetOutput } from './output';
import { ExportProgress } from './progress';
import { EpisodeStats } from './stats';
import { exportSummary, type ExportOutcome } from './summary';

/** Where the export writes. */
export interface ExportIo {
  /** Writes text to stdout as is; resolves when more may be written. */
  stdout(text: string): Promise<void>;
  /** Writes text to stderr as is. */
  stderr(text: string): void;
  /** Whether stderr is a terminal (a progress bar then). */
  stderrIsTTY: boolean;
  /** The terminal's width. */
  columns?: number;
  /** A monotonic milliseconds clock. */
  now(): number;
}

export interface ExportDeps {
  /** The formats `--format` may name (default: every registered one). */
  formats?: readonly ExportFormat[];
  /** Called with the output once it is open (the CLI discards it on a signal). */
  onOutput?: (output: DatasetOutput) => void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeReadProblem(p: ReadProblem): string {
  return `warning: ${p.source}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`;
}

function describeBuildProblem(p: EpisodeProblem): string {
  const where = [
    p.episode === undefined ? undefined : `episode ${p.episode}`,
    p.session === undefined ? `workspace ${p.workspace}` : `session ${p.session}`,
    p.seq === undefined ? undefined : `seq ${p.seq}`,
  ].filter((x) => x !== undefined);
  return `warning: ${p.reason}: ${where.join(' ')}: ${p.message}`;
}

/** A failure that ends the export with an exit code and a message. */
class ExportFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/** Runs `npm run export` with the arguments after `--`; resolves with the exit code. */
export async function runExport(argv: readonly string[], io: ExportIo, deps: ExportDeps = {}): Promise<number> {
  const formats = deps.formats ?? FORMATS;
  const parsed = parseExportArgs(argv, formats);
  if (parsed.kind === 'help') {
    await io.stdout(`${usage(formats)}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`error: ${parsed.message}\nrun with --help for the usage\n`);
    return 2;
  }
  const options = parsed.options;
  for (const path of options.paths) {
    if (!existsSync(path)) {
      io.stderr(`error: no such trace file, folder or database: ${path}\n`);
      return 2;
    }
  }
  if (options.mode.kind === 'export' && options.mode.out !== '-' && existsSync(options.mode.out) && statSync(options.mode.out).isDirectory()) {
    io.stderr(`error: --out names a folder (${options.mode.out}); give the file to write\n`);
    return 2;
  }
  try {
    return await exportTraces(options, io, deps);
  } catch (error) {
    if (error instanceof ExportFailure) {
      io.stderr(`error: ${error.message}\n`);
      return error.code;
    }
    throw error;
  }
}

async function openOutput(options: ExportOptions, io: ExportIo): Promise<DatasetOutput | undefined> {
  if (options.mode.kind !== 'export') {
    return undefined;
  }
  if (options.mode.out === '-') {
    return streamOutput('stdout', (text) => io.stdout(text));
  }
  try {
    return await openFileOutput(options.mode.out);
  } catch (error) {
    throw new ExportFailure(`cannot write ${options.mode.out}: ${message(error)}`, 1);
  }
}

async function exportTraces(options: ExportOptions, io: ExportIo, deps: ExportDeps): Promise<number> {
  const output = await openOutput(options, io);
  if (output !== undefined) {
    deps.onOutput?.(output);
  }
  let committed = false;
  const build = newBuildReport();
  let kept = 0;
  let problems = 0;
  let readEvents = (): number => 0;
  const progress = new ExportProgress(
    { write: (text) => io.stderr(text), isTTY: io.stderrIsTTY, ...(io.columns === undefined ? {} : { columns: io.columns }) },
    () => ({ events: readEvents() + build.events, episodes: kept }),
    { now: () => io.now() },
  );
  const warn = (line: string): void => {
    problems++;
    if (options.verbose) {
      progress.finish();
      io.stderr(`${line}\n`);
    }
  };
  try {
    const source = openTraceSource(options.paths, { onProblem: (p) => warn(describeReadProblem(p)), onProgress: (p) => progress.read(p) });
    readEvents = () => source.report.events;
    const mode = options.mode;
    const format = mode.kind === 'export' ? mode.format : undefined;
    const writer: ExportWriter | undefined = format?.create();
    const write = async (what: string, text: () => string): Promise<void> => {
      if (output === undefined) return;
      let chunk: string;
      try {
        chunk = text();
      } catch (error) {
        throw new ExportFailure(`the ${format?.name ?? ''} format failed on ${what}: ${message(error)}; ${output.name} ${output.atomic ? 'was not written' : 'is incomplete'}`, 1);
      }
      try {
        await output.write(chunk);
      } catch (error) {
        throw new ExportFailure(`cannot write ${output.name}: ${message(error)}`, 1);
      }
    };
    if (writer !== undefined) {
      await write('its opening', () => writer.begin());
    }
    const what: ExportOutcome['what'] = mode.kind === 'export' ? { kind: 'export', output: output?.name ?? '-', format: mode.format.name } : { kind: 'stats' };
    const summaryLine = (): string => `${exportSummary({ what, kept, read: source.report, build, problems, verbose: options.verbose })}\n`;
    const sessions = await source.index();
    if (source.report.events === 0) {
      progress.finish();
      io.stderr(summaryLine());
      throw new ExportFailure(`nothing could be read from ${options.paths.join(', ')} (trace files *.ndjson, *.ndjson.gz, folders of them, or a receiver database)`, 1);
    }
    const stats = mode.kind === 'stats' ? new EpisodeStats() : undefined;
    const episodes = buildEpisodes(source.sessions(), {
      idleGapMs: options.idleGapMs,
      report: build,
      onProblem: (p) => warn(describeBuildProblem(p)),
      // --stats shows no authorship: no tracker then
      observe: format === undefined ? undefined : observeAuthorship({ ranges: format.locatesAuthorship === true }),
    });
    for await (const episode of episodes) {
      if (!options.filter.matches(episode)) {
        continue;
      }
      kept++;
      stats?.add(episode);
      if (writer !== undefined) {
        await write(`episode ${episode.id}`, () => writer.episode(episode));
      }
      progress.tick();
    }
    if (writer !== undefined) {
      await write('its closing', () => writer.end());
    }
    if (output !== undefined) {
      try {
        await output.commit();
        committed = true;
      } catch (error) {
        throw new ExportFailure(`cannot write ${output.name}: ${message(error)}`, 1);
      }
    }
    progress.finish();
    if (stats !== undefined) {
      const lines = stats.render({ sessions: build.sessions, workspaces: new Set(sessions.map((s) => s.workspace)).size, filters: options.filter.description });
      await io.stdout(`${lines.join('\n')}\n`);
    }
    io.stderr(summaryLine());
    return 0;
  } finally {
    progress.finish();
    if (output !== undefined && !committed) {
      await output.discard();
    }
  }
}
