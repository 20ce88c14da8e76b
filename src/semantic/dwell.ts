/**
 * Coalesces frequent updates (visible ranges on every wheel step, the selection on every
 * keystroke) into the value that stayed for `dwellMs`: `update` only stores the latest value
 * per key (no timer work when it did not change); one timer, armed only while something is
 * pending, reports each key whose value settled and differs from what was last reported.
 * No timer runs while nothing changes. Plain Node.
 */
export class Dwell<V> {
  private readonly pending = new Map<string, { value: V; at: number }>();
  private readonly reported = new Map<string, V>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dwellMs: number,
    private readonly equals: (a: V, b: V) => boolean,
    private readonly report: (key: string, value: V) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The latest value of `key`; reported once it stays for the dwell time. */
  update(key: string, value: V): void {
    const pending = this.pending.get(key);
    if (pending && this.equals(pending.value, value)) {
      return; // unchanged (e.g. a keystroke that did not scroll): nothing to do
    }
    const last = this.reported.get(key);
    if (!pending && last !== undefined && this.equals(last, value)) {
      return;
    }
    this.pending.set(key, { value, at: this.now() });
    this.arm(this.dwellMs);
  }

  /** Forgets a key (its editor closed); nothing pending of it is reported. */
  forget(key: string): void {
    this.pending.delete(key);
    this.reported.delete(key);
  }

  /** Reports everything pending now (flush, pause of capture). */
  flush(): void {
    this.fire(Number.POSITIVE_INFINITY);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private arm(ms: number): void {
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.fire(this.now());
      }, ms);
    }
  }

  private fire(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const [key, { value, at }] of [...this.pending]) {
      if (now - at >= this.dwellMs) {
        this.pending.delete(key);
        const last = this.reported.get(key);
        if (last === undefined || !this.equals(last, value)) {
          this.reported.set(key, value);
          this.report(key, value);
        }
      } else {
        next = Math.min(next, at + this.dwellMs - now);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) {
      this.arm(next);
    }
  }
}
