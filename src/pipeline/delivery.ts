/**
 * The sender: claims sealed spool segments, cuts them into batches of at most
 * `maxBatchEvents`, and sends one batch at a time to the destination. A batch leaves the
 * spool only once the destination acknowledged it. Retryable failures are retried with
 * backoff (honouring Retry-After) for as long as it takes; a final failure (a 4xx other
 * than 408/429) moves that batch to the `failed` folder so nothing else is blocked.
 * Plain Node.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../common/logger';
import type { Batch, Destination, SendOutcome } from './destinations/destination';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './destinations/retry';
import { encodeRecord } from './records';
import type { ClaimedSegment, Spool } from './spool';
import { mkdirPrivate, writeFilePrivate } from '../common/privateFs';

export interface DeliveryOptions {
  maxBatchEvents: number;
  /** Folder of batches the destination refused for good. */
  failedDirectory: string;
  backoff?: BackoffOptions;
  /** Longest wait honoured from a Retry-After header (ms). */
  maxRetryAfterMs?: number;
  /** How often an idle sender looks for segments left by other processes (ms). */
  idlePollMs?: number;
}

export interface DeliveryStatus {
  /** Epoch ms of the last acknowledged batch. */
  lastDelivery?: number;
  /** Delivered events since start. */
  delivered: number;
  /** The current problem, while the destination fails. */
  lastError?: string;
  /** Batches in the failed folder. */
  failedBatches: number;
  /** Consecutive failed attempts of the current batch. */
  attempts: number;
}

export interface DeliveryHooks {
  onStatus?(status: DeliveryStatus): void;
  onCorrupt?(skipped: number, detail: string): void;
}

export interface FailedBatchInfo {
  batch: string;
  destination: string;
  status?: number;
  reason: string;
  at: number;
  events: number;
}

export class Delivery {
  private stopped = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly status: DeliveryStatus = { delivered: 0, failedBatches: 0, attempts: 0 };
  private idleWaiters: { resolve: () => void; after: number }[] = [];
  /** Counts claim attempts, so `whenIdle` trusts only an attempt that began after it was asked. */
  private attempt = 0;
  private watchedIdlePollMs: number | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly destination: () => Destination | undefined,
    private readonly options: DeliveryOptions,
    private readonly log: Logger,
    private readonly hooks: DeliveryHooks = {},
  ) {}

  /**
   * The spool's folder is watched (Spool.watchReady wakes the sender when a segment becomes
   * ready): look for segments only rarely on top of that, unless the options asked for a poll.
   */
  setWatchedIdlePoll(ms: number): void {
    this.watchedIdlePollMs = ms;
  }

  private get idlePollMs(): number {
    return this.options.idlePollMs ?? this.watchedIdlePollMs ?? 5_000;
  }

  get snapshot(): DeliveryStatus {
    return { ...this.status };
  }

  start(): void {
    if (!this.running) {
      this.stopped = false;
      this.running = this.loop().catch((e: unknown) => {
        this.log.error(`delivery stopped unexpectedly: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      });
      void this.countFailed();
    }
  }

  /** Ends a wait at once: a new segment is ready, the destination changed, or flush was asked for. */
  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  /**
   * Stops after the batch in flight (its claim is released if it was not delivered),
   * waiting at most `graceMs` for it: shutdown must be quick, and a claim left behind is
   * taken over by the next window once this process is gone.
   */
  async stop(graceMs = 2_000): Promise<void> {
    this.stopped = true;
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.running = undefined;
    this.idle();
  }

  /**
   * Resolves the next time the sender has nothing it can send: every ready segment was
   * delivered (or there is no valid destination). Wakes the sender first.
   */
  whenIdle(): Promise<void> {
    const idle = new Promise<void>((resolve) => this.idleWaiters.push({ resolve, after: this.attempt }));
    this.wake();
    return idle;
  }

  private idle(attempt = Number.POSITIVE_INFINITY): void {
    const ready = this.idleWaiters.filter((w) => w.after < attempt);
    this.idleWaiters = this.idleWaiters.filter((w) => w.after >= attempt);
    ready.forEach((w) => w.resolve());
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      timer.unref?.();
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private publish(): void {
    this.hooks.onStatus?.(this.snapshot);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (!this.destination()) {
        this.idle();
        await this.sleep(this.idlePollMs);
        continue;
      }
      let segment: ClaimedSegment | undefined;
      const attempt = ++this.attempt;
      try {
        segment = await this.spool.claim();
      } catch (e) {
        this.log.warn(`cannot read the spool: ${String(e)}`);
      }
      if (!segment) {
        this.idle(attempt);
        await this.sleep(this.idlePollMs);
        continue;
      }
      await this.deliverSegment(segment);
    }
  }

  private async deliverSegment(segment: ClaimedSegment): Promise<void> {
    const loaded = await this.spool.load(segment);
    // The name says how many records were sealed in: a truncated file loses more than it shows.
    const lost = Math.max(loaded.skipped, segment.records - loaded.lines.length);
    if (lost > 0) {
      this.log.warn(`spool segment ${segment.base}: ${loaded.damage ?? 'damaged'}; ${lost} record(s) lost`);
      this.hooks.onCorrupt?.(lost, loaded.damage ?? 'damaged segment');
    }
    let done = loaded.acked;
    while (done < loaded.lines.length) {
      const lines = loaded.lines.slice(done, done + this.options.maxBatchEvents);
      const batch: Batch = { id: `${segment.base}.${done}`, lines };
      const result = await this.sendUntilSettled(batch);
      if (result === 'stopped') {
        await this.spool.release(segment);
        return;
      }
      done += lines.length;
      await this.spool.ack(segment, done, loaded.lines.length);
    }
    if (done === loaded.acked) {
      // Nothing was left to send (all delivered before, or nothing readable): remove it.
      await this.spool.ack(segment, loaded.lines.length, loaded.lines.length);
    }
  }

  /** Sends until the batch is delivered or refused for good; 'stopped' on shutdown. */
  private async sendUntilSettled(batch: Batch): Promise<'delivered' | 'failed' | 'stopped'> {
    this.status.attempts = 0;
    for (;;) {
      if (this.stopped) {
        return 'stopped';
      }
      const destination = this.destination();
      if (!destination) {
        await this.sleep(this.idlePollMs);
        continue;
      }
      let outcome: SendOutcome;
      try {
        outcome = await destination.send(batch);
      } catch (e) {
        outcome = { kind: 'retry', reason: e instanceof Error ? e.message : String(e) };
      }
      if (outcome.kind === 'ok') {
        if (outcome.partial) {
          this.log.warn(`${destination.kind} ${destination.target}: partial success for batch ${batch.id}: ${outcome.partial}`);
        }
        this.status.delivered += batch.lines.length;
        this.status.lastDelivery = Date.now();
        this.status.lastError = undefined;
        this.status.attempts = 0;
        this.publish();
        return 'delivered';
      }
      if (outcome.kind === 'fail') {
        await this.moveToFailed(batch, destination, outcome);
        return 'failed';
      }
      this.status.attempts++;
      const delay = outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, this.options.maxRetryAfterMs ?? 300_000) : backoffDelay(this.status.attempts, this.options.backoff ?? DEFAULT_BACKOFF);
      const message = `${destination.kind} ${destination.target}: ${outcome.reason}; retrying in ${Math.round(delay / 100) / 10} s (attempt ${this.status.attempts})`;
      if (this.status.lastError !== outcome.reason) {
        this.log.warn(message);
      } else {
        this.log.debug(message);
      }
      this.status.lastError = outcome.reason;
      this.publish();
      await this.sleep(delay);
    }
  }

  private async moveToFailed(batch: Batch, destination: Destination, outcome: Extract<SendOutcome, { kind: 'fail' }>): Promise<void> {
    const info: FailedBatchInfo = {
      batch: batch.id,
      destination: `${destination.kind} ${destination.target}`,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      reason: outcome.reason,
      at: Date.now(),
      events: batch.lines.length,
    };
    await mkdirPrivate(this.options.failedDirectory);
    const file = join(this.options.failedDirectory, batch.id);
    await writeFilePrivate(`${file}.records`, batch.lines.map((l) => encodeRecord(l)).join(''));
    await writeFilePrivate(`${file}.json`, JSON.stringify(info, null, 2));
    this.status.failedBatches++;
    this.status.lastError = `${destination.kind} ${destination.target} refused a batch of ${batch.lines.length} events (${outcome.reason}); it was moved to the failed folder: fix the cause, then run "Worktrace: Retry Failed Batches"`;
    this.log.error(this.status.lastError);
    this.publish();
  }

  private async countFailed(): Promise<void> {
    try {
      const files = await fs.readdir(this.options.failedDirectory);
      this.status.failedBatches = files.filter((f) => f.endsWith('.records')).length;
      this.publish();
    } catch {
      /* no failed folder yet */
    }
  }

  /** Puts every failed batch back in the spool, to be sent again. Returns how many. */
  async retryFailed(): Promise<number> {
    let files: string[];
    try {
      files = await fs.readdir(this.options.failedDirectory);
    } catch {
      return 0;
    }
    let count = 0;
    for (const file of files.filter((f) => f.endsWith('.records'))) {
      const base = join(this.options.failedDirectory, file.slice(0, -'.records'.length));
      let events: number;
      try {
        events = (JSON.parse(await fs.readFile(`${base}.json`, 'utf8')) as FailedBatchInfo).events;
      } catch {
        events = (await fs.readFile(`${base}.records`, 'utf8')).split('\n').length - 1;
      }
      await this.spool.adopt(`${base}.records`, events);
      await fs.unlink(`${base}.json`).catch(() => undefined);
      count++;
    }
    this.status.failedBatches = 0;
    this.status.lastError = undefined;
    this.publish();
    this.wake();
    return count;
  }
}
