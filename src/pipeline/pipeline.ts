/**
 * The delivery pipeline, as the Recorder sees it (a TraceWriter):
 *
 *     privacy stage → bounded in-memory queue → durable spool → batcher → destination
 *
 * It owns the Spool and the Delivery loop, swaps destinations when settings change
 * (without losing anything: with no valid destination events keep spooling), reports
 * drops as `capture.dropped` events, and publishes a status for the status bar. Plain Node.
 */
import { join } from 'node:path';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { NewEvent, TraceEvent } from '../trace/events';
import type { TraceWriter } from '../trace/recorder';
import type { Destination } from './destinations/destination';
import type { BackoffOptions } from './destinations/retry';
import { Delivery, type DeliveryStatus } from './delivery';
import { Spool, type DropReason } from './spool';

/** How often an idle sender still looks for segments when the spool's folder is watched (ms). */
const WATCHED_IDLE_POLL_MS = 5 * 60_000;

export interface PipelineOptions {
  /** Folder of the spool (segments/ and failed/ below it). */
  directory: string;
  maxSpoolBytes: number;
  maxBatchEvents: number;
  flushIntervalMs: number;
  /** Minimum time between fsync'd spool writes. */
  writeIntervalMs?: number;
  maxQueue?: number;
  backoff?: BackoffOptions;
  idlePollMs?: number;
  owner?: string;
}

export interface PipelineStatus extends DeliveryStatus {
  destination?: string;
  /** Why there is no destination (invalid settings), if so. */
  configError?: string;
  /** Waiting for the engineer's consent to send to this destination. */
  waitingForConsent?: string;
  /** Events accepted but not yet delivered. */
  pending: number;
  /** Events dropped since start, by reason. */
  dropped: Record<DropReason, number>;
  /** The spool cannot be written (e.g. disk full). */
  spoolError?: string;
}

export class Pipeline implements TraceWriter, IDisposable {
  readonly spool: Spool;
  private readonly delivery: Delivery;
  private current: Destination | undefined;
  private configError: string | undefined;
  private waitingForConsent: string | undefined;
  private spoolError: string | undefined;
  private readonly dropped: Record<DropReason, number> = { 'queue-full': 0, 'spool-full': 0, corrupt: 0 };
  private pendingDrops: Partial<Record<DropReason, number>> = {};
  private dropTimer: NodeJS.Timeout | undefined;
  private capTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(status: PipelineStatus) => void>();
  private shutdownPromise: Promise<void> | undefined;
  private deliveryStatus: DeliveryStatus;
  private emitEvent: ((event: NewEvent) => void) | undefined;
  private unwatch: (() => void) | undefined;

  constructor(
    options: PipelineOptions,
    private readonly log: Logger,
    hooks: { onDurable?(events: readonly TraceEvent[]): void } = {},
  ) {
    this.spool = new Spool(
      {
        directory: options.directory,
        maxBytes: options.maxSpoolBytes,
        writeIntervalMs: options.writeIntervalMs ?? 500,
        sealRecords: options.maxBatchEvents,
        sealAfterMs: options.flushIntervalMs,
        ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
      },
      log,
      {
        onDropped: (count, reason) => this.drop(count, reason),
        onSealed: () => {
          this.delivery.wake();
          this.scheduleCapCheck();
        },
        onWriteError: (message) => {
          this.spoolError = message;
          this.publish();
        },
        onDurable: (events) => hooks.onDurable?.(events),
      },
      options.owner,
    );
    this.delivery = new Delivery(
      this.spool,
      () => this.current,
      {
        maxBatchEvents: options.maxBatchEvents,
        failedDirectory: join(options.directory, 'failed'),
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.idlePollMs !== undefined ? { idlePollMs: options.idlePollMs } : {}),
      },
      log,
      {
        onStatus: (status) => {
          this.deliveryStatus = status;
          this.publish();
        },
        onCorrupt: (skipped) => this.drop(skipped, 'corrupt'),
      },
    );
    this.deliveryStatus = this.delivery.snapshot;
  }

  /** Where `capture.dropped` events go (the Recorder); set once wired. */
  setEventSink(emit: (event: NewEvent) => void): void {
    this.emitEvent = emit;
  }

  /**
   * Opens the spool, takes over orphaned segments and starts sending. If the spool folder
   * cannot be used, says why and tries again every 10 s; events wait in memory meanwhile.
   */
  async start(): Promise<void> {
    try {
      await this.spool.open();
    } catch (e) {
      this.spoolError = `cannot open the spool in ${this.spool.directory}: ${e instanceof Error ? e.message : String(e)}; events are kept in memory and it is tried again`;
      this.log.error(this.spoolError);
      this.publish();
      const retry = setTimeout(() => void this.start(), 10_000);
      retry.unref?.();
      return;
    }
    this.spoolError = undefined;
    // Segments sealed by other windows wake the sender: no polling while nothing happens.
    this.unwatch ??= this.spool.watchReady(() => this.delivery.wake());
    if (this.unwatch) {
      this.delivery.setWatchedIdlePoll(WATCHED_IDLE_POLL_MS);
    }
    await this.spool.recover();
    await this.spool.enforceCap();
    this.delivery.start();
    this.publish();
  }

  write(event: TraceEvent): void {
    this.spool.enqueue(event);
  }

  /**
   * Uses this destination from now on; undefined (with the reason) keeps events in the
   * spool: an invalid configuration, or a destination waiting for the engineer's consent.
   */
  setDestination(destination: Destination | undefined, configError?: string, waitingForConsent?: string): void {
    this.current = destination;
    this.configError = configError;
    this.waitingForConsent = waitingForConsent;
    if (destination) {
      this.log.info(`delivering to ${destination.kind} ${destination.target}`);
    } else if (configError) {
      this.log.error(`${configError}. Events are kept in the local spool until this is fixed.`);
    } else if (waitingForConsent) {
      this.log.info(`waiting for consent to send to ${waitingForConsent}; events are kept in the local spool`);
    }
    this.publish();
    this.delivery.wake();
  }

  get destination(): Destination | undefined {
    return this.current;
  }

  /** Writes, seals and sends everything accepted so far (worktrace.flushNow). */
  async flush(): Promise<void> {
    await this.spool.flush();
    this.delivery.wake();
  }

  /**
   * Writes, seals and sends everything accepted so far, and resolves once the sender has
   * nothing left it can send (delivered, or no valid destination) or after `timeoutMs`.
   */
  async drain(timeoutMs = 30_000): Promise<void> {
    await this.spool.flush();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.delivery.whenIdle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Writes everything accepted so far to the spool (durable); does not wait for delivery. */
  async persist(): Promise<void> {
    await this.spool.flush();
  }

  retryFailed(): Promise<number> {
    return this.delivery.retryFailed();
  }

  get status(): PipelineStatus {
    const stats = this.spool.lastStats;
    return {
      ...this.deliveryStatus,
      ...(this.current ? { destination: `${this.current.kind} ${this.current.target}` } : {}),
      ...(this.configError ? { configError: this.configError } : {}),
      ...(this.waitingForConsent ? { waitingForConsent: this.waitingForConsent } : {}),
      ...(this.spoolError ? { spoolError: this.spoolError } : {}),
      pending: stats.pending,
      dropped: { ...this.dropped },
    };
  }

  onDidChangeStatus(listener: (status: PipelineStatus) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private publish(): void {
    const status = this.status;
    for (const listener of this.listeners) {
      listener(status);
    }
  }

  private drop(count: number, reason: DropReason): void {
    if (count <= 0) {
      return;
    }
    this.dropped[reason] += count;
    this.pendingDrops[reason] = (this.pendingDrops[reason] ?? 0) + count;
    // Coalesce: one capture.dropped event per reason per second, never one per dropped event.
    if (!this.dropTimer) {
      this.dropTimer = setTimeout(() => this.reportDrops(), 1_000);
      this.dropTimer.unref?.();
    }
    this.publish();
  }

  private reportDrops(): void {
    this.dropTimer = undefined;
    const drops = this.pendingDrops;
    this.pendingDrops = {};
    for (const [reason, count] of Object.entries(drops) as [DropReason, number][]) {
      this.emitEvent?.({ kind: 'capture.dropped', count, reason });
    }
  }

  private scheduleCapCheck(): void {
    if (this.capTimer) {
      return;
    }
    this.capTimer = setTimeout(() => {
      this.capTimer = undefined;
      this.spool
        .enforceCap()
        .then(() => this.publish())
        .catch((e: unknown) => this.log.warn(`cannot measure the spool: ${String(e)}`));
    }, 2_000);
    this.capTimer.unref?.();
  }

  /** Measures the spool and applies the cap now (tests, status refresh). */
  async checkCap(): Promise<void> {
    await this.spool.enforceCap();
    this.publish();
  }

  /** Stops once: reports pending drops, persists the queue, releases claims. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      if (this.dropTimer) {
        clearTimeout(this.dropTimer);
        this.reportDrops();
      }
      if (this.capTimer) {
        clearTimeout(this.capTimer);
      }
      this.unwatch?.();
      await this.delivery.stop();
      await this.spool.close();
    })();
    return this.shutdownPromise;
  }

  dispose(): void {
    void this.shutdown();
  }
}
