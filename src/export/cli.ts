/**
 * `node out/src/export/cli.js <trace file, folder or receiver database>... --out <file> --format <name> [...]`
 * (`npm run export -- ...`): see args.ts for the options and run.ts for what it does. This
 * file only wires the process: stdout with backpressure, stderr, the terminal, signals
 * (Ctrl-C removes the temporary file: no half dataset is left behind) and the exit code.
 */
import { performance } from 'node:perf_hooks';
import type { DatasetOutput } from './output';
import { runExport } from './run';

/** Writes to stdout; resolves when it takes more, rejects when it cannot be written (a closed pipe). */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const more = process.stdout.write(text, (error) => {
      if (error) reject(error);
    });
    if (more) {
      resolve();
    } else {
      process.stdout.once('drain', () => resolve());
    }
  });
}

function main(): void {
  let output: DatasetOutput | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    output?.discardSync();
    process.stderr.write(`\r\x1b[K${signal}: stopped; nothing was written\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.stdout.on('error', () => undefined); // reported through the write callbacks
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  runExport(
    process.argv.slice(2),
    {
      stdout: writeStdout,
      stderr: (text) => void process.stderr.write(text),
      stderrIsTTY: process.stderr.isTTY === true,
      ...(process.stderr.columns === undefined ? {} : { columns: process.stderr.columns }),
      now: () => performance.now(),
    },
    { onOutput: (o) => (output = o) },
  ).then(
    (code) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.exitCode = code;
    },
    (error: unknown) => {
      output?.discardSync();
      process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) {
  main();
}
