/**
 * A process that owns a delivery pipeline, for the fault tests: it produces events into
 * a real Pipeline (spool on disk, http/otlp destination over real sockets), appends the
 * id of every event the spool has fsync'd to an "accepted" log (the events the pipeline
 * must never lose), then drains and reports. The tests kill it with SIGKILL, restart it,
 * and compare the accepted ids with what the reference receiver stored.
 *
 * Configuration comes as JSON in the WORKTRACE_CHILD environment variable.
 */
import { appendFileSync } from 'node:fs';
import { nanoid } from 'nanoid';
import { MemoryLogger } from '../../src/common/logger';
import { HttpDestination } from '../../src/pipeline/destinations/http';
import { OtlpDestination } from '../../src/pipeline/destinations/otlp';
import { Pipeline } from '../../src/pipeline/pipeline';
import { SCHEMA, type TraceEvent } from '../../src/trace/events';

export interface ChildConfig {
  spool: string;
  url: string;
  kind: 'http' | 'otlp';
  accepted: string;
  /** Events to produce (0: only deliver what the spool holds; -1: produce until killed). */
  events: number;
  /** Events per tick of production (one tick per millisecond or so). */
  burst?: number;
  session?: string;
  maxSpoolBytes?: number;
  maxBatchEvents?: number;
  timeoutMs?: number;
  /** Do not wait for delivery: persist to the spool and exit (destination down). */
  persistOnly?: boolean;
  /** Move failed batches back into the spool first. */
  retryFailed?: boolean;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.WORKTRACE_CHILD ?? '{}') as ChildConfig;
  const log = new MemoryLogger();
  const pipeline = new Pipeline(
    {
      directory: config.spool,
      maxSpoolBytes: config.maxSpoolBytes ?? 512 * 1024 * 1024,
      maxBatchEvents: config.maxBatchEvents ?? 200,
      flushIntervalMs: 100,
      writeIntervalMs: 20,
      backoff: { initialMs: 20, maxMs: 200 },
      idlePollMs: 100,
    },
    log,
    { onDurable: (events) => appendFileSync(config.accepted, events.map((e) => e.id).join('\n') + '\n') },
  );
  const http = { url: config.url, headers: {}, timeoutMs: config.timeoutMs ?? 2_000, token: () => Promise.resolve(undefined) };
  pipeline.setDestination(config.kind === 'otlp' ? new OtlpDestination(http, { extensionVersion: 'test', vscodeVersion: 'none' }) : new HttpDestination(http));
  await pipeline.start();
  if (config.retryFailed) {
    await pipeline.retryFailed();
  }
  const session = config.session ?? nanoid();
  let seq = 0;
  const burst = config.burst ?? 50;
  const make = (): TraceEvent => ({ schema: SCHEMA, id: nanoid(), seq: ++seq, ts: Date.now(), session, workspace: 'ws-fault', kind: 'doc.save', path: `f${seq % 97}.txt`, version: seq });
  while (config.events < 0 || seq < config.events) {
    const n = config.events < 0 ? burst : Math.min(burst, config.events - seq);
    for (let i = 0; i < n; i++) {
      pipeline.write(make());
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  if (config.persistOnly) {
    await pipeline.persist();
    await pipeline.checkCap();
  } else {
    // Deliver everything: drain until the spool holds nothing this process can send.
    for (;;) {
      await pipeline.drain(60_000);
      await pipeline.checkCap();
      if (pipeline.status.pending === 0) {
        break;
      }
    }
  }
  const status = pipeline.status;
  await pipeline.shutdown();
  process.stdout.write(JSON.stringify({ type: 'done', produced: seq, dropped: status.dropped, delivered: status.delivered, failedBatches: status.failedBatches, pending: status.pending }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
