/**
 * The items of a timeline as columns of typed arrays (one entry per item, append-only),
 * after GitLens's timeline: compact, cheap to send in chunks and to scan while drawing.
 * The host fills them from trace events (model.ts); the page receives them in chunks and
 * writes them at the same indices. Plain TypeScript, shared by host and page.
 */

/** One chunk of columns as sent to the page; plain arrays are accepted too. */
export interface ColumnSlice {
  /** Start, ms after the session's origin. */
  start: ArrayLike<number>;
  /** Duration in ms (0: a mark). */
  duration: ArrayLike<number>;
  lane: ArrayLike<number>;
  kind: ArrayLike<number>;
  status: ArrayLike<number>;
  flags: ArrayLike<number>;
  /** Lines changed, failed tests, files… (what the kind makes of it). */
  intensity: ArrayLike<number>;
}

export interface ItemValues {
  start: number;
  duration: number;
  lane: number;
  kind: number;
  status: number;
  flags: number;
  intensity: number;
}

function grow<T extends Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) {
    return array;
  }
  let capacity = Math.max(array.length, 1024);
  while (capacity < size) {
    capacity *= 2;
  }
  const next = make(capacity);
  next.set(array);
  return next;
}

export class ItemColumns {
  count = 0;
  start = new Float64Array(1024);
  duration = new Float64Array(1024);
  lane = new Uint16Array(1024);
  kind = new Uint8Array(1024);
  status = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  intensity = new Float32Array(1024);

  /** Makes room for `size` items. */
  reserve(size: number): void {
    this.start = grow(this.start, size, (n) => new Float64Array(n));
    this.duration = grow(this.duration, size, (n) => new Float64Array(n));
    this.lane = grow(this.lane, size, (n) => new Uint16Array(n));
    this.kind = grow(this.kind, size, (n) => new Uint8Array(n));
    this.status = grow(this.status, size, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, size, (n) => new Uint8Array(n));
    this.intensity = grow(this.intensity, size, (n) => new Float32Array(n));
  }

  /** Appends one item; returns its index. */
  push(item: ItemValues): number {
    const i = this.count;
    this.reserve(i + 1);
    this.count = i + 1;
    this.set(i, item);
    return i;
  }

  set(i: number, item: ItemValues): void {
    this.start[i] = item.start;
    this.duration[i] = item.duration;
    this.lane[i] = item.lane;
    this.kind[i] = item.kind;
    this.status[i] = item.status;
    this.flags[i] = item.flags;
    this.intensity[i] = item.intensity;
  }

  get(i: number): ItemValues {
    return {
      start: this.start[i] ?? 0,
      duration: this.duration[i] ?? 0,
      lane: this.lane[i] ?? 0,
      kind: this.kind[i] ?? 0,
      status: this.status[i] ?? 0,
      flags: this.flags[i] ?? 0,
      intensity: this.intensity[i] ?? 0,
    };
  }

  end(i: number): number {
    return (this.start[i] ?? 0) + (this.duration[i] ?? 0);
  }

  /** Writes a received chunk at `base` (the page side); the count grows to cover it. */
  write(base: number, slice: ColumnSlice): void {
    const n = slice.start.length;
    this.reserve(base + n);
    this.start.set(slice.start, base);
    this.duration.set(slice.duration, base);
    this.lane.set(slice.lane, base);
    this.kind.set(slice.kind, base);
    this.status.set(slice.status, base);
    this.flags.set(slice.flags, base);
    this.intensity.set(slice.intensity, base);
    this.count = Math.max(this.count, base + n);
  }

  /** Copies items [from, to) into fresh arrays (own buffers, so postMessage sends only them). */
  slice(from: number, to: number): {
    start: Float64Array;
    duration: Float64Array;
    lane: Uint16Array;
    kind: Uint8Array;
    status: Uint8Array;
    flags: Uint8Array;
    intensity: Float32Array;
  } {
    return {
      start: this.start.slice(from, to),
      duration: this.duration.slice(from, to),
      lane: this.lane.slice(from, to),
      kind: this.kind.slice(from, to),
      status: this.status.slice(from, to),
      flags: this.flags.slice(from, to),
      intensity: this.intensity.slice(from, to),
    };
  }
}
