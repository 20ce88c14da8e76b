/**
 * Benchmarks of the delivery pipeline, and the OpenTelemetry JS BatchLogRecordProcessor
 * (defaults) side by side:
 * - sustained events/s from enqueue until fsync'd in the spool, and the enqueue cost;
 * - heap growth while 1,000,000 events pass through with the endpoint down;
 * - of a 5,000-event burst, how many each keeps and delivers to the reference receiver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logs as _unusedLogsApi } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { nanoid } from 'nanoid';
import { MemoryLogger } from '../src/common/logger';
import { HttpDestination } from '../src/pipeline/destinations/http';
import { Pipeline } from '../src/pipeline/pipeline';
import { startReceiver } from '../src/receiver/receiver';
import { SCHEMA, type TraceEvent } from '../src/trace/events';
import { percentile, printRow, type Row } from './stats';

void _unusedLogsApi; // imported only to show that no global provider is registered below

function makeEvents(n: number, session = nanoid()): TraceEvent[] {
  const ts = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    schema: SCHEMA,
    id: nanoid(),
    seq: i + 1,
    ts: ts + i,
    session,
    workspace: 'ws-bench',
    kind: 'doc.edit',
    path: 'src/components/editor/Editor.tsx',
    version: i + 2,
    changes: [{ offset: 1000 + i, length: 0, text: 'a' }],
    cause: 'typing',
  }));
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}

/**
 * The OpenTelemetry JS logs pipeline with its defaults (BatchLogRecordProcessor and the
 * OTLP/HTTP exporter) sending to `url`, counting what reaches the exporter. A local
 * provider: nothing global is registered.
 */
function otelPipeline(url: string): { logger: ReturnType<LoggerProvider['getLogger']>; provider: LoggerProvider; exported: () => number } {
  let exported = 0;
  const exporter = new OTLPLogExporter({ url });
  const original = exporter.export.bind(exporter);
  exporter.export = (records, callback) => {
    exported += records.length;
    original(records, callback);
  };
  const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter })] });
  return { logger: provider.getLogger('bench'), provider, exported: () => exported };
}

async function sustained(total: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'worktrace-bench-spool-'));
  let durable = 0;
  let done: () => void = () => undefined;
  const allDurable = new Promise<void>((r) => (done = r));
  const pipeline = new Pipeline({ directory: dir, maxSpoolBytes: 1e12, maxBatchEvents: 500, flushIntervalMs: 15_000 }, new MemoryLogger(), {
    onDurable: (events) => {
      durable += events.length;
      if (durable >= total) done();
    },
  });
  await pipeline.start();
  const events = makeEvents(total);
  const samples = new Float64Array(total);
  const started = process.hrtime.bigint();
  // Produce as fast as the spool sustains: bursts of 1,000, letting the event loop run
  // between them, and holding back while more than 100,000 events wait in memory.
  for (let i = 0; i < total; i++) {
    const t0 = process.hrtime.bigint();
    pipeline.write(events[i]);
    samples[i] = Number(process.hrtime.bigint() - t0);
    if (i % 1000 === 999) {
      await yieldToLoop();
      while (pipeline.spool.queued > 100_000) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  }
  await pipeline.persist();
  const guard = setTimeout(() => done(), 120_000); // keeps the process alive; never the normal way out
  await allDurable;
  clearTimeout(guard);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pipeline.shutdown();
  rmSync(dir, { recursive: true, force: true });
  samples.sort();
  return {
    name: 'pipeline: enqueue → fsync\'d in the spool (sustained)',
    figures: { events_per_s: total / seconds, enqueue_median_us: percentile(samples, 50) / 1000, enqueue_p99_us: percentile(samples, 99) / 1000, n: total, dropped: pipeline.status.dropped['queue-full'] },
  };
}

async function heapWithEndpointDown(total: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'worktrace-bench-heap-'));
  const pipeline = new Pipeline({ directory: dir, maxSpoolBytes: 1e12, maxBatchEvents: 500, flushIntervalMs: 15_000 }, new MemoryLogger());
  // A closed port: every send is refused and retried with backoff.
  pipeline.setDestination(new HttpDestination({ url: 'http://127.0.0.1:9/ingest', headers: {}, timeoutMs: 1000, token: () => Promise.resolve(undefined) }));
  await pipeline.start();
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const session = nanoid();
  const chunk = 10_000;
  for (let i = 0; i < total; i += chunk) {
    for (const event of makeEvents(chunk, session)) {
      pipeline.write(event);
    }
    // Let the spool writer keep up, as typing would.
    while (pipeline.spool.queued > 50_000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  await pipeline.persist();
  gc();
  const after = process.memoryUsage().heapUsed;
  const status = pipeline.status;
  await pipeline.shutdown();
  rmSync(dir, { recursive: true, force: true });
  return {
    name: `pipeline: ${total.toLocaleString('en-US')} events, endpoint down: heap growth`,
    figures: { heap_growth_mb: (after - before) / 1048576, peak_before_gc_mb: (peak - before) / 1048576, dropped: status.dropped['queue-full'] + status.dropped['spool-full'] },
  };
}

async function burst(n: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'worktrace-bench-burst-'));
  const rows: Row[] = [];
  // Worktrace: a burst of n events, delivered to the reference receiver.
  {
    const receiver = await startReceiver({ db: join(dir, 'wt.db') });
    const pipeline = new Pipeline({ directory: join(dir, 'spool'), maxSpoolBytes: 1e12, maxBatchEvents: 500, flushIntervalMs: 15_000 }, new MemoryLogger());
    pipeline.setDestination(new HttpDestination({ url: `${receiver.url}/ingest`, headers: {}, timeoutMs: 10_000, token: () => Promise.resolve(undefined) }));
    await pipeline.start();
    const events = makeEvents(n);
    const t0 = process.hrtime.bigint();
    for (const e of events) {
      pipeline.write(e);
    }
    const emitSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await pipeline.drain(60_000);
    rows.push({ name: `Worktrace: burst of ${n.toLocaleString('en-US')} events`, figures: { accept_per_s: n / emitSeconds, kept: n - pipeline.status.dropped['queue-full'], delivered: receiver.count() } });
    await pipeline.shutdown();
    await receiver.close();
  }
  // OpenTelemetry JS: BatchLogRecordProcessor with its defaults and the OTLP/HTTP exporter.
  {
    const receiver = await startReceiver({ db: join(dir, 'otel.db') });
    const { logger, provider, exported } = otelPipeline(`${receiver.url}/v1/logs`);
    const events = makeEvents(n);
    const t0 = process.hrtime.bigint();
    for (const e of events) {
      logger.emit({ body: JSON.stringify(e), eventName: e.kind, timestamp: e.ts });
    }
    const emitSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await provider.forceFlush();
    await provider.shutdown();
    rows.push({ name: `OpenTelemetry BatchLogRecordProcessor (defaults): burst of ${n.toLocaleString('en-US')}`, figures: { accept_per_s: n / emitSeconds, kept: exported(), delivered: receiver.count() } });
    await receiver.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return rows;
}

async function otelThroughput(total: number): Promise<Row> {
  const receiver = await startReceiver({ db: join(mkdtempSync(join(tmpdir(), 'worktrace-bench-otel-')), 'otel.db') });
  const { logger, provider, exported } = otelPipeline(`${receiver.url}/v1/logs`);
  const events = makeEvents(total);
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const e = events[i];
    logger.emit({ body: JSON.stringify(e), eventName: e.kind, timestamp: e.ts });
    if (i % 1000 === 999) {
      await yieldToLoop();
    }
  }
  await provider.forceFlush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await provider.shutdown();
  await receiver.close();
  return { name: 'OpenTelemetry BatchLogRecordProcessor (defaults), sustained', figures: { events_per_s: total / seconds, kept: exported(), lost: total - exported(), n: total } };
}

export async function runPipelineBenchmarks({ quick = false } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  const add = (row: Row): void => {
    printRow(row);
    rows.push(row);
  };
  const runs: Row[] = [];
  const n = quick ? 1 : 3;
  for (let i = 0; i < n; i++) {
    runs.push(await sustained(quick ? 100_000 : 300_000));
  }
  runs.sort((a, b) => Number(a.figures.events_per_s) - Number(b.figures.events_per_s));
  const middle = runs[Math.floor(n / 2)];
  add({ ...middle, name: `${middle.name}, median of ${n}` });
  if (quick) {
    return rows; // the comparisons with OpenTelemetry and the 1M-event heap run only in the full bench
  }
  add(await otelThroughput(300_000));
  add(await heapWithEndpointDown(1_000_000));
  for (const row of await burst(5_000)) {
    add(row);
  }
  return rows;
}
