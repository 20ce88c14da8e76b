/**
 * Batches the live session's events for the page: the first event after a quiet spell
 * starts one timer; when it fires, everything gathered goes out as one batch. No timer
 * runs while nothing arrives.
 */
import type { IDisposable } from '../common/lifecycle';

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LiveBatcher<T> implements IDisposable {
  private buffer: T[] = [];
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly onBatch: (items: T[]) => void,
    private readonly delayMs = 250,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  /** Whether a timer is waiting to send a batch. */
  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  get pending(): number {
    return this.buffer.length;
  }

  push(item: T): void {
    if (this.disposed) {
      return;
    }
    this.buffer.push(item);
    if (this.timer === undefined) {
      this.timer = this.scheduler.setTimeout(() => this.fire(), this.delayMs);
    }
  }

  /** Sends what is gathered now. */
  flush(): void {
    if (this.timer !== undefined) {
      this.scheduler.clearTimeout(this.timer);
    }
    this.fire();
  }

  /** Drops what is gathered (the session shown changed). */
  clear(): void {
    if (this.timer !== undefined) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.buffer = [];
  }

  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  private fire(): void {
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length && !this.disposed) {
      this.onBatch(batch);
    }
  }
}
