/**
 * Item indices kept sorted by start time (ties by index), with the running maximum of
 * their ends: an interval index that answers "which items can overlap [t0, t1]" with two
 * binary searches. Items arrive mostly in order (a live session); the rare item that
 * starts earlier than the last one (an edit step is written when it closes) is merged in.
 */
import type { ItemColumns } from './columns';

export class StartOrder {
  order = new Int32Array(256);
  /** maxEnd[k]: the largest end among order[0..k]. */
  maxEnd = new Float64Array(256);
  count = 0;

  constructor(private readonly items: ItemColumns) {}

  private startOf(i: number): number {
    return this.items.start[i] ?? 0;
  }

  private before(a: number, b: number): boolean {
    const sa = this.startOf(a);
    const sb = this.startOf(b);
    return sa < sb || (sa === sb && a < b);
  }

  private reserve(size: number): void {
    if (size <= this.order.length) {
      return;
    }
    let capacity = this.order.length;
    while (capacity < size) {
      capacity *= 2;
    }
    const order = new Int32Array(capacity);
    order.set(this.order.subarray(0, this.count));
    const maxEnd = new Float64Array(capacity);
    maxEnd.set(this.maxEnd.subarray(0, this.count));
    this.order = order;
    this.maxEnd = maxEnd;
  }

  /** Adds items (any order). */
  insert(indices: readonly number[]): void {
    if (indices.length === 0) {
      return;
    }
    const added = [...indices].sort((a, b) => this.startOf(a) - this.startOf(b) || a - b);
    const n = this.count;
    this.reserve(n + added.length);
    const first = added[0];
    // Where the merge starts: after every existing item that sorts before the first new one.
    let p = n;
    if (n > 0 && !this.before(this.order[n - 1], first)) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.before(this.order[mid], first)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      p = lo;
    }
    const tail = Array.from(this.order.subarray(p, n));
    let a = 0;
    let b = 0;
    let k = p;
    while (a < tail.length || b < added.length) {
      const ta = tail[a];
      const tb = added[b];
      if (tb === undefined || (ta !== undefined && this.before(ta, tb))) {
        this.order[k++] = ta;
        a++;
      } else {
        this.order[k++] = tb;
        b++;
      }
    }
    this.count = n + added.length;
    this.recomputeFrom(p);
  }

  /** An item's end changed (a debug session ended, an open band grew). */
  changed(index: number): void {
    const k = this.positionOf(index);
    if (k >= 0) {
      this.recomputeFrom(k);
    }
  }

  /** Position of an item in the order, or -1. */
  positionOf(index: number): number {
    const start = this.startOf(index);
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.startOf(this.order[mid]) < start) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (let k = lo; k < this.count && this.startOf(this.order[k]) === start; k++) {
      if (this.order[k] === index) {
        return k;
      }
    }
    return -1;
  }

  /** First position whose item can end at or after t (maxEnd is non-decreasing). */
  firstEndingFrom(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.maxEnd[mid]) < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First position whose item starts after t. */
  firstStartingAfter(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.startOf(this.order[mid]) <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private recomputeFrom(p: number): void {
    let max = p > 0 ? (this.maxEnd[p - 1]) : -Infinity;
    for (let k = p; k < this.count; k++) {
      const end = this.items.end(this.order[k]);
      if (end > max) {
        max = end;
      }
      this.maxEnd[k] = max;
    }
  }
}
