/**
 * Benchmarks of the disk-change core (src/disk/): `node out/bench/disk.js [--files N] [--runs R]` after
 * `node scripts/build.mjs --tests`, or as part of `npm run bench`.
 *
 * For each folder kind (the OS temp folder, i.e. the machine's disk, and /dev/shm, a tmpfs,
 * where present) it measures, over N files of about 4 KB of code each:
 * - observe(): the cost of one watcher event (synchronous, the only work on the watcher's path);
 * - per changed file, wall time from settle() to the last event emitted, and CPU time, for
 *   files seen for the first time (snapshots), files changed (exact changes and diff),
 *   files created, files deleted;
 * - per bulk file: 5,000 files of one batch summarised in one `file.bulk` (observe + forget in
 *   the store + the summary);
 * - the longest event-loop delay while 1,000s of files were processed (no stall);
 * - the content store: bytes, objects and bytes on disk (blocks) for N files;
 * - one round trip of `fs.promises` against the callback API (why the callback API is used).
 */
import { promises as fsp, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as fsc from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Attribution } from '../src/disk/attribution';
import { ChangeTracker } from '../src/disk/changeTracker';
import { ContentStore } from '../src/disk/contentStore';
import type { NewEvent } from '../src/trace/events';
import { median, printRow, type Row } from './stats';

function source(i: number, variant: number): string {
  const lines: string[] = [];
  for (let l = 0; l < 100; l++) {
    const touched = variant > 0 && l >= 48 && l < 51;
    lines.push(touched ? `  const value${l} = compute(${i}, ${l}, ${variant}); // changed` : `  const value${l} = compute(${i}, ${l}); // line ${l} of file ${i}`);
  }
  return `export function f${i}() {\n${lines.join('\n')}\n}\n`;
}

function diskBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      bytes += st.blocks * 512;
      if (st.isDirectory()) walk(p);
      else files++;
    }
  };
  walk(dir);
  return { bytes, files };
}

interface Phase {
  wallMsPerFile: number;
  cpuMsPerFile: number;
  events: number;
  observeUs: number;
  /** Event-loop delay while the tracker worked (ms): it includes time the OS gave to other processes. */
  maxDelayMs: number;
  p99DelayMs: number;
}

async function timed(n: number, tracker: ChangeTracker, counter: () => number, observe: () => void): Promise<Phase> {
  const before = counter();
  const o0 = process.hrtime.bigint();
  observe();
  const observeUs = Number(process.hrtime.bigint() - o0) / 1000 / n;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await tracker.settle();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  delay.disable();
  return {
    wallMsPerFile: wall / n,
    cpuMsPerFile: (cpu.user + cpu.system) / 1000 / n,
    events: counter() - before,
    observeUs,
    maxDelayMs: delay.max / 1e6,
    p99DelayMs: delay.percentile(99) / 1e6,
  };
}

async function benchFolder(root: string, label: string, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(root, 'worktrace-bench-disk-'));
  try {
    const ws = join(dir, 'ws');
    mkdirSync(join(ws, 'src'), { recursive: true });
    const path = (i: number): string => `src/f${i}.ts`;
    for (let i = 0; i < n; i++) writeFileSync(join(ws, path(i)), source(i, 0));
    const store = await ContentStore.open(join(dir, 'store'));
    let emitted = 0;
    const tracker = new ChangeTracker({
      store,
      attribution: new Attribution(),
      sink: { emit: (_e: NewEvent) => void emitted++ },
      bulkThreshold: 1_000_000,
    });
    const observeAll = (change: 'created' | 'changed' | 'deleted', offset = 0) => (): void => {
      for (let i = 0; i < n; i++) tracker.observe(change, path(i + offset), join(ws, path(i + offset)));
    };

    const seen = await timed(n, tracker, () => emitted, observeAll('changed'));
    const stats = store.stats();
    const onDisk = diskBytes(join(dir, 'store'));
    for (let i = 0; i < n; i++) writeFileSync(join(ws, path(i)), source(i, 1));
    const changed = await timed(n, tracker, () => emitted, observeAll('changed'));
    for (let i = 0; i < n; i++) writeFileSync(join(ws, path(n + i)), source(n + i, 0));
    const created = await timed(n, tracker, () => emitted, observeAll('created', n));
    for (let i = 0; i < n; i++) unlinkSync(join(ws, path(n + i)));
    const deleted = await timed(n, tracker, () => emitted, observeAll('deleted', n));
    tracker.dispose();

    const fmt = (p: Phase): Record<string, number> => ({ 'ms/file': p.wallMsPerFile, 'cpu ms/file': p.cpuMsPerFile, events: p.events, 'loop delay p99 ms': p.p99DelayMs, 'max ms': p.maxDelayMs });
    rows.push({ name: `disk [${label}] observe() per watcher event`, figures: { 'µs': changed.observeUs } });
    rows.push({ name: `disk [${label}] first seen → snapshot, ${n} files`, figures: fmt(seen) });
    rows.push({ name: `disk [${label}] changed → exact changes + diff, ${n} files`, figures: fmt(changed) });
    rows.push({ name: `disk [${label}] created → changes from empty, ${n} files`, figures: fmt(created) });
    rows.push({ name: `disk [${label}] deleted, ${n} files`, figures: fmt(deleted) });
    rows.push({
      name: `disk [${label}] content store for ${n} files of ~4 KB`,
      figures: { 'content KB': stats.bytes / 1024, objects: stats.objects, 'on disk KB': onDisk.bytes / 1024, 'files on disk': onDisk.files },
    });

    // bulk: 5,000 files of one batch
    const bulkN = 5000;
    mkdirSync(join(ws, 'gen'), { recursive: true });
    for (let i = 0; i < bulkN; i++) writeFileSync(join(ws, 'gen', `g${i}.ts`), source(i, 0));
    let bulkEvents = 0;
    const bulkTracker = new ChangeTracker({ store, attribution: new Attribution(), sink: { emit: () => void bulkEvents++ } });
    const bulk = await timed(bulkN, bulkTracker, () => bulkEvents, () => {
      for (let i = 0; i < bulkN; i++) bulkTracker.observe('created', `gen/g${i}.ts`, join(ws, 'gen', `g${i}.ts`));
    });
    bulkTracker.dispose();
    rows.push({ name: `disk [${label}] bulk: ${bulkN} files → one file.bulk`, figures: { ...fmt(bulk), 'observe µs': bulk.observeUs } });
    await store.close();

    // one round trip: fs.promises against the callback API
    const probe = join(ws, path(0));
    const reps = 2000;
    const cbStat = promisify(fsc.stat);
    const cbRead = promisify(fsc.readFile);
    const measure = async (fn: () => Promise<unknown>): Promise<number> => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) await fn();
      return Number(process.hrtime.bigint() - t0) / 1000 / reps;
    };
    rows.push({
      name: `disk [${label}] fs round trips (µs)`,
      figures: {
        'promises stat': await measure(() => fsp.stat(probe)),
        'callback stat': await measure(() => cbStat(probe)),
        'promises readFile': await measure(() => fsp.readFile(probe)),
        'callback readFile': await measure(() => cbRead(probe)),
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The median of each figure over several runs (machines are noisy: other processes share the cores). */
function medianRows(runs: Row[][]): Row[] {
  return runs[0].map((row, r) => ({
    name: row.name,
    figures: Object.fromEntries(Object.keys(row.figures).map((k) => [k, median(runs.map((run) => Number(run[r].figures[k])))])),
  }));
}

export async function runDiskBenchmarks(n = 1000, runs = 3): Promise<Row[]> {
  const rows: Row[] = [];
  const folders: [string, string][] = [[tmpdir(), 'os temp']];
  if (existsSync('/dev/shm')) folders.push(['/dev/shm', 'tmpfs']);
  for (const [root, label] of folders) {
    const all: Row[][] = [];
    for (let i = 0; i < runs; i++) all.push(await benchFolder(root, label, n));
    for (const row of medianRows(all)) {
      row.name += ` (median of ${runs})`;
      printRow(row);
      rows.push(row);
    }
  }
  return rows;
}

if (require.main === module) {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(name);
    return i !== -1 ? Number(process.argv[i + 1]) : fallback;
  };
  runDiskBenchmarks(arg('--files', 1000), arg('--runs', 3)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
