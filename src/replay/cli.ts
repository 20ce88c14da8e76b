/**
 * `node out/src/replay/cli.js <trace file, folder or receiver database> --out <dir> [--at <seq>] [--session <id>] [--verify <folder>]`
 * `node out/src/replay/cli.js <trace> --view <seq> [--session <id>]`
 *
 * Rebuilds the documents of a trace, writes them below --out and/or compares them with
 * a workspace folder, or prints what was on screen at an `editor.view` event. The trace is
 * read session by session through the trace reader (memory: one session plus the
 * document states). Exit codes: 0 success, 1 a verified file differs, is missing or exists
 * though deleted (or a file could not be written), 2 bad arguments, an unusable trace
 * path, or a --view that cannot be shown.
 */
import { parseFlags } from '../common/cliArgs';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { summary } from '../trace/readReport';
import { openTraceSource } from '../trace/source';
import { ReplayOptionsError, replaySessions, type ReplayResult } from './replay';
import { resolveTracePath, verifyDocuments } from './verify';
import { renderView } from './view';

export const USAGE = 'usage: node out/src/replay/cli.js <trace file, folder or receiver database> [--out <dir>] [--at <seq>] [--session <id>] [--verify <workspace folder>] [--view <seq>]\n' +
  '  --out <dir>        write every replayable document below <dir> at its trace path\n' +
  '  --at <seq>         stop after event <seq> of the session (needs --session if the trace has several)\n' +
  '  --session <id>     replay up to the end of this session (earlier sessions included, later ones not)\n' +
  '  --verify <folder>  compare the rebuilt documents with the files in <folder> byte for byte\n' +
  '  --view <seq>       print what was on screen at the editor.view event <seq> of the session (alone or with --session)\n' +
  'One of --out, --verify (or both) or --view is required.';

export interface CliOptions {
  trace: string;
  out?: string;
  atSeq?: number;
  session?: string;
  verify?: string;
  /** Print the editor.view event at this seq. */
  view?: number;
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = ['--out', '--at', '--session', '--verify', '--view'] as const;

function isSeq(text: string): boolean {
  return /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= 1;
}

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
  const view = values.get('--view');
  if (view !== undefined) {
    if (out !== undefined || verify !== undefined || at !== undefined) {
      return { kind: 'error', message: '--view prints one moment of the trace: it does not go with --out, --verify or --at' };
    }
    if (!isSeq(view)) {
      return { kind: 'error', message: `--view needs a seq (an integer >= 1), got ${view}` };
    }
    return { kind: 'run', options: { trace: positional[0], view: Number(view), ...(session === undefined ? {} : { session }) } };
  }
  if (out === undefined && verify === undefined) {
    return { kind: 'error', message: 'give --out <dir>, --verify <folder> or both (or --view <seq>)' };
  }
  if (out !== undefined) options.out = out;
  if (verify !== undefined) options.verify = verify;
  if (session !== undefined) options.session = session;
  if (at !== undefined) {
    if (!isSeq(at)) {
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

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
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
  let problems = 0;
  const source = openTraceSource([options.trace], {
    onProblem: (p) => {
      problems++;
      io.stderr(`warning: ${p.source}${p.line === undefined ? '' : `:${p.line}`}: ${p.message}`);
    },
  });
  const sessions = await source.index();
  if (sessions.length === 0) {
    io.stderr(`warning: no trace events found in ${options.trace} (*.ndjson, *.ndjson.gz, or a receiver database)`);
  }
  const atSeq = options.view ?? options.atSeq;
  let result: ReplayResult;
  try {
    result = await replaySessions(
      sessions.map((s) => s.id),
      source.sessions(),
      { ...(atSeq === undefined ? {} : { atSeq }), ...(options.session === undefined ? {} : { session: options.session }) },
    );
  } catch (error) {
    if (error instanceof ReplayOptionsError) {
      io.stderr(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  io.stderr(summary(source.report));
  for (const w of result.warnings) {
    io.stderr(`warning: session ${w.session} seq ${w.seq}${w.path === undefined ? '' : ` ${w.path}`}: ${w.message}`);
  }
  if (options.view !== undefined) {
    const session = options.session ?? result.sessions[0] ?? '(none)';
    const view = renderView(result.last, session, options.view, result.documents);
    if (!view.ok) {
      io.stderr(`error: ${view.message}`);
      return 2;
    }
    for (const w of view.warnings) {
      io.stderr(`warning: ${w}`);
    }
    for (const line of view.lines) {
      io.stdout(line);
    }
    return 0;
  }

  let exitCode = 0;
  const report: string[] = [
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
        io.stdout(`skipped ${path} (not replayable${doc.reason === undefined ? '' : `: ${doc.reason}`})`);
        skipped++;
        continue;
      }
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, doc.text, 'utf8');
        written++;
      } catch (error) {
        io.stderr(`error: cannot write ${path}: ${message(error)}`);
        exitCode = 1;
      }
    }
    report.push(`wrote ${written}`, `skipped ${skipped}`);
  }
  if (options.verify !== undefined) {
    const counts = { ok: 0, mismatch: 0, missing: 0 };
    for (const r of verifyDocuments(result.documents, options.verify, { deleted: result.deleted })) {
      if (r.status === 'ok') {
        counts.ok++;
        io.stdout(`ok  ${r.path}${r.redacted ? ` (${r.redacted} redacted secret(s) expected to differ)` : ''}`);
      } else if (r.status === 'missing') {
        counts.missing++;
        io.stdout(`MISSING ${r.path}`);
      } else if (r.status === 'exists') {
        counts.mismatch++;
        io.stdout(`EXISTS ${r.path} (deleted in the trace)`);
      } else {
        counts.mismatch++;
        io.stdout(`MISMATCH ${r.path} at byte ${r.offset}`);
      }
    }
    report.push(`verified ${counts.ok} ok, ${counts.mismatch} mismatched, ${counts.missing} missing`);
    if (counts.mismatch + counts.missing > 0) {
      exitCode = 1;
    }
  }
  if (result.warnings.length + problems > 0) {
    report.push(`${result.warnings.length + problems} warning(s)`);
  }
  io.stdout(report.join(', '));
  return exitCode;
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdout: (line) => void process.stdout.write(`${line}\n`),
    stderr: (line) => void process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
