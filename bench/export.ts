/**
 * Benchmark of `npm run export`: a realistic trace of 1,000,000 events (8 sessions of 125,000
 * events in 2 workspaces, gzip'd; bench/exportTrace.ts) exported in the `worktrace` format, next to the
 * same trace read by the trace reader alone, and built into episodes without and with
 * authorship, so that what each stage costs shows.
 *
 * Each job runs in a child process of its own (a fresh heap, and an RSS that no earlier job
 * inflated); the last one runs the export again with V8's old space capped, to show that what
 * it keeps alive is bounded (one session), whatever the peaks of the uncapped run. Figures: events/s = trace events / wall time of the whole job (both reading
 * passes included); peak RSS and peak heap (V8 `heapUsed`) are the highest of samples taken
 * every 10 ms by an interval and at every progress callback of the reader (each 64 KiB read)
 * and the export (each episode) — a high-water mark between samples can be missed.
 *
 * `node out/bench/export.js <job> <trace folder> <out file>` runs one job and prints its
 * figures as JSON (how the parent calls it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { observeAuthorship } from '../src/authorship/workspaceAuthorship';
import { buildEpisodes } from '../src/episodes/builder';
import { runExport } from '../src/export/run';
import { openTraceSource } from '../src/trace/source';
import { generateTrace } from './exportTrace';
import { printRow, type Row } from './stats';

/** Events of the generated trace (WORKTRACE_BENCH_EXPORT_EVENTS overrides it, for a quick look). */
const EVENTS = Number(process.env.WORKTRACE_BENCH_EXPORT_EVENTS ?? 1_000_000);
/** Events per session (a long day of work): more events make more sessions, not longer ones, so peak memory should not move. */
const SESSION_EVENTS = 125_000;
const JOBS = ['read', 'build', 'build+authorship', 'export'] as const;
type Job = (typeof JOBS)[number];
/** The old-space cap of the last row. */
const HEAP_CAP_MB = 256;

/** The rows: a job, and the Node flags of its child process. */
const RUNS: readonly { job: Job; label: string; flags: string[] }[] = [
  { job: 'read', label: 'export: the reader alone (2 passes)', flags: [] },
  { job: 'build', label: 'export: reader + episode builder', flags: [] },
  { job: 'build+authorship', label: 'export: reader + builder + authorship', flags: [] },
  { job: 'export', label: 'export: npm run export --format worktrace', flags: [] },
  // the same with V8's old space capped: it completes, so what it keeps alive is bounded (the peaks above are mostly garbage V8 had no reason to collect yet)
  { job: 'export', label: `export: the same, heap capped at ${HEAP_CAP_MB} MB`, flags: [`--max-old-space-size=${HEAP_CAP_MB}`] },
];

interface JobResult {
  events: number;
  episodes: number;
  seconds: number;
  peakRssMb: number;
  peakHeapMb: number;
  outBytes: number;
}

/** The highest RSS and heap seen, sampled on an interval and on demand. */
class PeakMemory {
  rss = 0;
  heap = 0;
  private readonly timer = setInterval(() => this.sample(), 10);

  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}

async function runJob(job: Job, dir: string, out: string): Promise<JobResult> {
  const peak = new PeakMemory();
  const start = performance.now();
  let events: number;
  let episodes = 0;
  try {
    if (job === 'export') {
      let stderr = '';
      const code = await runExport([dir, '--out', out, '--format', 'worktrace'], {
        stdout: () => Promise.resolve(),
        stderr: (text) => {
          stderr += text;
        },
        stderrIsTTY: false,
        now: () => {
          peak.sample();
          return performance.now();
        },
      });
      if (code !== 0) throw new Error(`export failed (${code}): ${stderr}`);
      const m = /exported ([0-9,]+) episodes?.*read \d+ files?, ([0-9,]+) events/.exec(stderr);
      episodes = Number((m?.[1] ?? '0').replace(/,/g, ''));
      events = Number((m?.[2] ?? '0').replace(/,/g, ''));
    } else {
      const source = openTraceSource([dir], { onProgress: () => peak.sample() });
      await source.index();
      events = source.report.events;
      if (job === 'read') {
        let handedOn = 0;
        for await (const session of source.sessions()) {
          handedOn += session.events.length;
        }
        if (handedOn === 0) throw new Error('the reader handed on no event');
      } else {
        const built = buildEpisodes(source.sessions(), job === 'build+authorship' ? { observe: observeAuthorship() } : {});
        for await (const _episode of built) {
          episodes++;
          peak.sample();
        }
      }
    }
  } finally {
    peak.stop();
  }
  const seconds = (performance.now() - start) / 1000;
  const outBytes = job === 'export' ? statSync(out).size : 0;
  return { events, episodes, seconds, peakRssMb: peak.rss / 1_048_576, peakHeapMb: peak.heap / 1_048_576, outBytes };
}

/** Generates the trace, runs every job in a child process, prints and returns the rows. */
export async function runExportBenchmarks(events = EVENTS): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'worktrace-bench-export-'));
  const rows: Row[] = [];
  try {
    const trace = join(dir, 'traces');
    const start = performance.now();
    const sessions = Math.max(2, Math.round(events / SESSION_EVENTS));
    const generated = await generateTrace({ dir: trace, events, sessions, workspaces: 2 });
    const seconds = (performance.now() - start) / 1000;
    const gzBytes = generated.files.reduce((n, f) => n + statSync(f).size, 0);
    rows.push({
      name: `export: generate the trace (${sessions} gzip sessions, 2 workspaces)`,
      figures: { events: generated.events, 'raw MB': generated.rawBytes / 1_048_576, 'gzip MB': gzBytes / 1_048_576, s: seconds, 'events/s': generated.events / seconds },
    });
    printRow(rows[rows.length - 1]);
    for (const { job, label, flags } of RUNS) {
      const child = spawnSync(process.execPath, ['--expose-gc', ...flags, __filename, job, trace, join(dir, 'episodes.jsonl')], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) {
        throw new Error(`bench job ${label} failed: ${child.stderr}`);
      }
      const r = JSON.parse(child.stdout) as JobResult;
      const figures: Row['figures'] = { 'events/s': r.events / r.seconds, s: r.seconds, 'peak RSS MB': r.peakRssMb, 'peak heap MB': r.peakHeapMb };
      if (job !== 'read') figures.episodes = r.episodes.toLocaleString('en-US');
      if (job === 'export') figures['out MB'] = r.outBytes / 1_048_576;
      rows.push({ name: label, figures });
      printRow(rows[rows.length - 1]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (require.main === module) {
  const [job, dir, out] = process.argv.slice(2);
  if (!(JOBS as readonly string[]).includes(job) || dir === undefined || out === undefined) {
    process.stderr.write(`usage: node out/bench/export.js <${JOBS.join('|')}> <trace folder> <out file>\n`);
    process.exitCode = 2;
  } else {
    runJob(job as Job, dir, out).then(
      (result) => {
        process.stdout.write(`${JSON.stringify(result)}\n`);
      },
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
