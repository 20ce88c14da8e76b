import { performance } from 'node:perf_hooks';

/**
 * The time Worktrace's sliced work may take in one turn of the event loop, shared by every
 * TurnQueue handed it (turnQueue.ts): the collectors' queue and the Recorder's. VS Code's
 * next message waits for every callback of a turn, so what the editor feels is the sum of
 * that work in the turn, not each queue's share: with a budget each, the two queues' slices
 * ran in the same turn and together took 7 ms and more. Work run inside counted work (an
 * event the collectors' work records at once) counts once.
 */
export class TurnBudget {
  private spent = 0;
  private turnOpen = false;
  private depth = 0;

  constructor(
    readonly budgetMs: number,
    private readonly clock: () => number = () => performance.now(),
    /** Runs `fn` in a later turn, after I/O (setImmediate): the next turn's budget starts there. */
    private readonly later: (fn: () => void) => void = (fn) => void setImmediate(fn),
  ) {}

  /** Whether this turn's work took the budget. */
  get exhausted(): boolean {
    return this.spent >= this.budgetMs;
  }

  /** Runs `work`, its time counted against this turn (once, however deeply nested). Exceptions pass through. */
  charge(work: () => void): void {
    if (this.depth > 0) {
      work();
      return;
    }
    const started = this.clock();
    this.depth++;
    try {
      work();
    } finally {
      this.depth--;
      this.spent += this.clock() - started;
      if (!this.turnOpen) {
        this.turnOpen = true;
        this.later(() => {
          this.turnOpen = false;
          this.spent = 0;
        });
      }
    }
  }
}
