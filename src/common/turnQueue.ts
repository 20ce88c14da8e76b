import type { IDisposable } from './lifecycle';
import type { Logger } from './logger';
import { TurnBudget } from './turnBudget';

export interface TurnQueueOptions {
  /**
   * How long (ms) the work handed to `run` may take in one turn of the event loop before
   * further work of that turn waits for the next turns. Default: no budget (everything at
   * once, as unit tests expect); the extension sets one.
   */
  budgetMs?: number;
  /** A budget shared with other queues (turnBudget.ts); instead of `budgetMs`, `clock` and `later`'s. */
  budget?: TurnBudget;
  /** A monotonic clock in ms (performance.now). */
  clock?: () => number;
  /** Runs `fn` in a later turn, after I/O (setImmediate). */
  later?: (fn: () => void) => void;
}

/**
 * Work within a budget per turn of the event loop: the collectors' work on VS Code events,
 * and the Recorder's recording.
 *
 * VS Code hands an extension host hundreds of events in one message (a replace in 200 files:
 * 200 opens and 400 change events in one turn) and calls every listener in that turn; the
 * editor waits for all of them. A listener reads what it needs from VS Code at once (what
 * can change later: a document's text, version and dirty flag, the active editor) and hands
 * the rest (locating the file, hashing, classifying, recording) to `run`: it runs at once
 * while this turn's work took less than the budget and nothing waits, and otherwise joins
 * the end of a queue that later turns work through a budget at a time. Order is kept across
 * everything that shares the queue, so a document's open is handled before its edits, an
 * editor save before the watcher's report of it. Work handed to `run` while queued work
 * runs goes at once (it comes from that work). `drain` runs everything waiting now (flush,
 * pause, shutdown). Work that throws is logged and the queue goes on. Queues that share a
 * TurnBudget share one budget per turn: a slice finds it spent by another queue's and waits
 * for the next turn.
 */
export class TurnQueue implements IDisposable {
  /** Undefined: no budget, everything runs at once. */
  private readonly budget: TurnBudget | undefined;
  private readonly later: (fn: () => void) => void;
  private waiting: (() => void)[] = [];
  private from = 0;
  private draining = false;
  private depth = 0;
  private disposed = false;

  constructor(
    private readonly log: Logger,
    options: TurnQueueOptions = {},
  ) {
    this.later = options.later ?? ((fn) => void setImmediate(fn));
    this.budget = options.budget ?? (options.budgetMs === undefined ? undefined : new TurnBudget(options.budgetMs, options.clock, this.later));
  }

  /** Runs `work` now, or after what waits (see the class comment). `what` names it in the log. */
  run(what: string, work: () => void): void {
    if (this.disposed) {
      return;
    }
    if (this.wouldWait()) {
      this.waiting.push(() => this.once(what, work));
      this.scheduleDrain();
      return;
    }
    this.timed(what, work);
  }

  /** Whether work handed to `run` now would wait for a later turn. */
  wouldWait(): boolean {
    return this.depth === 0 && (this.from < this.waiting.length || this.budget?.exhausted === true);
  }

  /** Work waiting for a later turn. */
  get backlog(): number {
    return this.waiting.length - this.from;
  }

  /** Runs everything waiting now: whatever comes next comes after it. */
  drain(): void {
    this.runWaiting(() => false);
  }

  /** Runs what waits, then stops taking work. */
  dispose(): void {
    this.drain();
    this.disposed = true;
  }

  private timed(what: string, work: () => void): void {
    const budget = this.budget;
    if (this.depth > 0 || budget === undefined) {
      this.once(what, work);
      return;
    }
    budget.charge(() => this.once(what, work));
  }

  private once(what: string, work: () => void): void {
    this.depth++;
    try {
      work();
    } catch (e) {
      this.log.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } finally {
      this.depth--;
    }
  }

  /** Runs waiting work, in order (each through `runOne`), until none is left or `enough()` says so after one. */
  private runWaiting(enough: () => boolean, runOne: (next: () => void) => void = (next) => next()): void {
    while (this.from < this.waiting.length && !this.disposed) {
      const next = this.waiting[this.from++];
      runOne(next);
      if (enough()) {
        break;
      }
    }
    if (this.from >= this.waiting.length) {
      this.waiting = [];
      this.from = 0;
    }
  }

  private scheduleDrain(): void {
    if (this.draining) {
      return;
    }
    this.draining = true;
    this.later(() => this.drainSlice());
  }

  /** Runs waiting work while this turn's budget lasts (none when another queue took it), then yields to the event loop. */
  private drainSlice(): void {
    this.draining = false;
    const budget = this.budget;
    if (budget === undefined) {
      this.drain();
      return;
    }
    if (!budget.exhausted) {
      this.runWaiting(
        () => budget.exhausted,
        (next) => budget.charge(next),
      );
    }
    if (this.backlog > 0 && !this.disposed) {
      this.scheduleDrain();
    }
  }
}
