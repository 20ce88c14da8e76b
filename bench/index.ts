/**
 * `npm run bench`: prints every performance figure of Worktrace, one row each, and writes
 * them to bench-results.json (git-ignored). Machines are small and noisy: each figure is
 * a median over many samples; compare ratios rather than absolute numbers across machines.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import './vscodeStub'; // first: it stands in for `vscode` in the collectors
import { runDiskBenchmarks } from './disk';
import { runEditBenchmarks } from './edits';
import { runExportBenchmarks } from './export';
import { runPipelineBenchmarks } from './pipeline';
import { runReadingBenchmarks } from './reading';
import { runRedactionBenchmarks } from './redaction';
import type { Row } from './stats';

async function main(): Promise<void> {
  process.stdout.write(`Worktrace benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n\n`);
  const rows: Row[] = [];
  rows.push(...(await runEditBenchmarks()));
  rows.push(...(await runPipelineBenchmarks()));
  rows.push(...(await runRedactionBenchmarks()));
  rows.push(...runReadingBenchmarks());
  rows.push(...(await runDiskBenchmarks()));
  rows.push(...(await runExportBenchmarks()));
  writeFileSync('bench-results.json', JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
