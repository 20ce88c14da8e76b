import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../common/logger';
import type { TraceEvent } from '../trace/events';
import type { TraceWriter } from '../trace/recorder';

export interface FileWriterOptions {
  directory: string;
  /** How long events may wait in memory before they are appended (ms). */
  flushIntervalMs: number;
  /** Append at once when this many events wait. */
  maxBatch: number;
}

/**
 * Appends events as NDJSON to one file per session per day
 * (`<directory>/worktrace-<YYYY-MM-DD>-<session>.ndjson`). Writing is asynchronous and
 * batched: `write` only queues (no serialisation, no I/O on the typing path); one append
 * is in flight at a time; a failed append keeps its events and is retried on the next
 * flush. The durable spool of the delivery issue replaces the in-memory queue.
 */
export class FileTraceWriter implements TraceWriter {
  private queue: TraceEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private madeDirectory = false;
  private closed = false;
  private lastError: string | undefined;

  constructor(
    private readonly options: FileWriterOptions,
    private readonly log: Logger,
  ) {}

  get directory(): string {
    return this.options.directory;
  }

  /** The last write error, if the most recent append failed. */
  get error(): string | undefined {
    return this.lastError;
  }

  write(event: TraceEvent): void {
    this.queue.push(event);
    if (this.queue.length >= this.options.maxBatch) {
      void this.flush();
    } else if (!this.timer && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.flushIntervalMs);
      this.timer.unref?.();
    }
  }

  /** Appends everything queued so far; resolves when it is on disk (or failed and was kept). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.inFlight) {
      await this.inFlight;
    }
    if (this.queue.length === 0) {
      return;
    }
    const batch = this.queue;
    this.queue = [];
    this.inFlight = this.append(batch).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  /** Flushes and stops the timer; later writes still queue and are appended by `flush`. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async append(batch: TraceEvent[]): Promise<void> {
    try {
      if (!this.madeDirectory) {
        await fs.mkdir(this.options.directory, { recursive: true });
        this.madeDirectory = true;
      }
      const files = new Map<string, string[]>();
      for (const event of batch) {
        const name = `worktrace-${new Date(event.ts).toISOString().slice(0, 10)}-${event.session}.ndjson`;
        let lines = files.get(name);
        if (!lines) {
          files.set(name, (lines = []));
        }
        lines.push(JSON.stringify(event));
      }
      for (const [name, lines] of files) {
        await fs.appendFile(join(this.options.directory, name), lines.join('\n') + '\n', 'utf8');
      }
      this.lastError = undefined;
    } catch (e) {
      this.madeDirectory = false;
      this.queue = batch.concat(this.queue);
      const message = e instanceof Error ? e.message : String(e);
      if (this.lastError !== message) {
        this.log.error(`cannot write the trace to ${this.options.directory}: ${message}. Events are kept in memory and retried; check the folder set in worktrace.file.directory.`);
      }
      this.lastError = message;
    }
  }
}
