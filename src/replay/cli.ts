/**
 * `node out/src/replay/cli.js <trace file or folder> --out <dir> [--at <seq>] [--session <id>] [--verify <folder>]`
 *
 * Rebuilds the documents of a trace, writes them below --out and/or compares them with
 * a workspace folder. Exit codes: 0 success, 1 a verified file differs or is missing (or
 * a file could not be written), 2 bad arguments or an unusable trace path.
 */
import { parseFlags } from '../common/cliArgs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TraceEvent } from '../trace/events';
import { ReplayOptionsError, readTrace, replayTrace, type ReplayResult, type TraceProblem } from './replay';
import { resolveTracePath, verifyDocuments } from './verify';

export const USAGE = 'usage: node out/src/replay/cli.js <trace file or folder> [--out <dir>] [--at <seq>] [--session <id>] [--verify <workspace folder>]\n' +
  '  --out <dir>        write every replayable document below <dir> at its trace path\n' +
  '  --at <seq>         stop after event <seq> of the session (needs --session if the trace has several)\n' +
  '  --session <id>     replay up to the end of this session (earlier sessions included, later ones not)\n' +
  '  --verify <folder>  compare the rebuilt documents with the files in <folder> byte for byte\n' +
  'At least one of --out and --verify is required.';

export interface CliOptions {
  trace: string;
  out?: string;
  atSeq?: number;
  session?: string;
  verify?: string;
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = ['--out', '--at', '--session', '--verify'] as const;

/** Parses the command line (without `node` and the script). Never throws. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed = parseFlags(argv, VALUE_FLAGS, true);
  if (parsed.kind !== 'ok') {
    return parsed;
  }
  const { values, positional } = parsed;
  if (positional.length !== 1) {
    return { kind: 'error', message: positional.length === 0 ? 'missing trace file or folder' : `expected one trace path, got ${positional.length}` };
  }
  const options: CliOptions = { trace: positional[0] };
  const out = values.get('--out');
  const verify = values.get('--verify');
  const session = values.get('--session');
  const at = values.get('--at');
  if (out === undefined && verify === undefined) {
    return { kind: 'error', message: 'give --out <dir>, --verify <folder> or both' };
  }
  if (out !== undefined) options.out = out;
  if (verify !== undefined) options.verify = verify;
  if (session !== undefined) options.session = session;
  if (at !== undefined) {
    if (!/^[0-9]+$/.test(at) || !Number.isSafeInteger(Number(at)) || Number(at) < 1) {
      return { kind: 'error', message: `--at needs a seq (an integer >= 1), got ${at}` };
    }
    options.atSeq = Number(at);
  }
  if (out !== undefined && verify !== undefined && resolve(out) === resolve(verify)) {
    return { kind: 'error', message: '--out and --verify name the same folder; writing there would overwrite the files to verify' };
  }
  return { kind: 'run', options };
}

/** Where the CLI writes. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

function skipReason(path: string): string {
  if (path.startsWith('untitled:')) return 'untitled';
  if (path.startsWith('outside:')) return 'outside the workspace';
  return 'unsafe path';
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`error: ${parsed.message}`);
    io.stderr(USAGE);
    return 2;
  }
  const options = parsed.options;
  if (!existsSync(options.trace)) {
    io.stderr(`error: no such trace file or folder: ${options.trace}`);
    return 2;
  }
  if (options.verify !== undefined && !existsSync(options.verify)) {
    io.stderr(`error: no such folder to verify: ${options.verify}`);
    return 2;
  }
  const problems: TraceProblem[] = [];
  let events: TraceEvent[];
  try {
    events = readTrace(options.trace, (p) => problems.push(p));
  } catch (error) {
    io.stderr(`error: cannot read ${options.trace}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (events.length === 0) {
    io.stderr(`warning: no trace events found in ${options.trace} (*.ndjson, *.ndjson.gz)`);
  }
  for (const p of problems) {
    io.stderr(`warning: ${p.file}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`);
  }
  let result: ReplayResult;
  try {
    result = replayTrace(events, { ...(options.atSeq === undefined ? {} : { atSeq: options.atSeq }), ...(options.session === undefined ? {} : { session: options.session }) });
  } catch (error) {
    if (error instanceof ReplayOptionsError) {
      io.stderr(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  for (const w of result.warnings) {
    io.stderr(`warning: session ${w.session} seq ${w.seq}${w.path === undefined ? '' : ` ${w.path}`}: ${w.message}`);
  }

  let exitCode = 0;
  const summary: string[] = [
    `replayed ${result.events} events from ${result.sessions.length} session(s)`,
    `${result.documents.size} document(s)`,
  ];
  if (options.out !== undefined) {
    let written = 0;
    let skipped = 0;
    for (const [path, doc] of result.documents) {
      const file = resolveTracePath(options.out, path);
      if (file === undefined) {
        io.stdout(`skipped ${path} (${skipReason(path)})`);
        skipped++;
        continue;
      }
      if (!doc.replayable) {
        io.stdout(`skipped ${path} (not replayable)`);
        skipped++;
        continue;
      }
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, doc.text, 'utf8');
        written++;
      } catch (error) {
        io.stderr(`error: cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`);
        exitCode = 1;
      }
    }
    summary.push(`wrote ${written}`, `skipped ${skipped}`);
  }
  if (options.verify !== undefined) {
    const counts = { ok: 0, mismatch: 0, missing: 0 };
    for (const r of verifyDocuments(result.documents, options.verify)) {
      counts[r.status]++;
      if (r.status === 'ok') {
        io.stdout(`ok  ${r.path}${r.redacted ? ` (${r.redacted} redacted secret(s) expected to differ)` : ''}`);
      } else if (r.status === 'missing') {
        io.stdout(`MISSING ${r.path}`);
      } else {
        io.stdout(`MISMATCH ${r.path} at byte ${r.offset}`);
      }
    }
    summary.push(`verified ${counts.ok} ok, ${counts.mismatch} mismatched, ${counts.missing} missing`);
    if (counts.mismatch + counts.missing > 0) {
      exitCode = 1;
    }
  }
  if (result.warnings.length + problems.length > 0) {
    summary.push(`${result.warnings.length + problems.length} warning(s)`);
  }
  io.stdout(summary.join(', '));
  return exitCode;
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (line) => void process.stdout.write(`${line}\n`),
    stderr: (line) => void process.stderr.write(`${line}\n`),
  });
}
