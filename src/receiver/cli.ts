/**
 * `node out/src/receiver/cli.js --db <file> [--port 4318] [--host 127.0.0.1] [--token <secret>] [--max-body-mb 64]`
 * (`npm run receiver -- ...`)
 *
 * Runs the reference receiver until SIGINT/SIGTERM. Prints the URL once listening, then
 * one line per request. Exit codes: 0 stopped by a signal, 1 could not start (port in use,
 * unusable database), 2 bad arguments.
 */
import { parseFlags } from '../common/cliArgs';
import { startReceiver, type Receiver } from './receiver';

export const TOKEN_ENV = 'WORKTRACE_RECEIVER_TOKEN';
export const DEFAULT_PORT = 4318;

export const USAGE = 'usage: npm run receiver -- --db <file> [--port <n>] [--host <address>] [--token <secret>] [--max-body-mb <n>]\n' +
  '  --db <file>         SQLite database (created if missing); events are deduplicated by id\n' +
  `  --port <n>          port to listen on (default ${DEFAULT_PORT}; 0: any free port)\n` +
  '  --host <address>    address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)\n' +
  `  --token <secret>    require Authorization: Bearer <secret> on every POST (or set ${TOKEN_ENV})\n` +
  '  --max-body-mb <n>   largest accepted body after decompression, in MB (default 64)\n' +
  'Accepts NDJSON batches (POST to any path) and OTLP/HTTP JSON logs (POST /v1/logs), gzip or not.\n' +
  'GET /healthz answers ok; GET /stats answers {events, duplicates, requests, sessions}.';

export interface ReceiverCliOptions {
  port: number;
  host: string;
  db: string;
  token?: string;
  maxBodyBytes?: number;
}

export type ParsedArgs = { kind: 'run'; options: ReceiverCliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = ['--db', '--port', '--host', '--token', '--max-body-mb'] as const;

/**
 * Parses the command line (without `node` and the script). `env` supplies the token when
 * `--token` is absent (a token on the command line is visible to other local users). Never throws.
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  const parsed = parseFlags(argv, VALUE_FLAGS, false);
  if (parsed.kind !== 'ok') {
    return parsed;
  }
  const values = parsed.values;
  const db = values.get('--db');
  if (db === undefined) {
    return { kind: 'error', message: 'missing --db <file>' };
  }
  const options: ReceiverCliOptions = { port: DEFAULT_PORT, host: values.get('--host') ?? '127.0.0.1', db };
  const port = values.get('--port');
  if (port !== undefined) {
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
      return { kind: 'error', message: `--port needs a port number (0-65535), got ${port}` };
    }
    options.port = Number(port);
  }
  const token = values.get('--token') ?? env[TOKEN_ENV];
  if (token !== undefined && token !== '') {
    if (/\s/.test(token)) {
      return { kind: 'error', message: 'the token must not contain whitespace' };
    }
    options.token = token;
  }
  const mb = values.get('--max-body-mb');
  if (mb !== undefined) {
    const n = Number(mb);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(mb) || !(n > 0)) {
      return { kind: 'error', message: `--max-body-mb needs a positive number, got ${mb}` };
    }
    options.maxBodyBytes = Math.floor(n * 1024 * 1024);
  }
  return { kind: 'run', options };
}

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** Something that delivers SIGINT/SIGTERM (the process, or a fake in tests). */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Runs the receiver until a signal; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, env: Readonly<Record<string, string | undefined>>, signals: SignalSource): Promise<number> {
  const parsed = parseArgs(argv, env);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`error: ${parsed.message}`);
    io.stderr(USAGE);
    return 2;
  }
  const { options } = parsed;
  let receiver: Receiver;
  try {
    receiver = await startReceiver({ ...options, log: (line) => io.stdout(line) });
  } catch (error) {
    io.stderr(`error: cannot start the receiver on ${options.host}:${options.port} with ${options.db}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const stats = receiver.stats();
  io.stdout(`worktrace receiver listening on ${receiver.url} (db ${options.db}: ${stats.events} events stored; ${options.token === undefined ? 'no token' : 'bearer token required'})`);
  io.stdout(`  NDJSON: POST ${receiver.url}/<any path>   OTLP/HTTP JSON: POST ${receiver.url}/v1/logs   GET /healthz, GET /stats`);

  const signal = await new Promise<string>((resolve) => {
    const onInt = (): void => {
      signals.off('SIGTERM', onTerm);
      resolve('SIGINT');
    };
    const onTerm = (): void => {
      signals.off('SIGINT', onInt);
      resolve('SIGTERM');
    };
    signals.once('SIGINT', onInt);
    signals.once('SIGTERM', onTerm);
  });
  const final = receiver.stats();
  await receiver.close();
  io.stdout(`${signal}: stopped (${final.events} events stored, ${final.duplicates} duplicates, ${final.requests} requests this run)`);
  return 0;
}

if (require.main === module) {
  void runCli(
    process.argv.slice(2),
    {
      stdout: (line) => void process.stdout.write(`${line}\n`),
      stderr: (line) => void process.stderr.write(`${line}\n`),
    },
    process.env,
    process,
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
