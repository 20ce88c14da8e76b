/**
 * Authorship of a text as run-length runs: consecutive characters (UTF-16 code units) of one
 * origin form one run. Plain Node; never imports `vscode`.
 */
import type { Origin } from './author';

/** `length` consecutive code units of one origin. */
export interface Run {
  readonly origin: Origin;
  readonly length: number;
}

interface Block {
  runs: Run[];
  length: number;
}

/** Most runs one block holds; a splice costs about one block plus a scan of the block list. */
const MAX_BLOCK_RUNS = 256;

/** Drops empty runs and merges neighbours of the same origin. */
export function normalizeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    if (run.length <= 0) {
      continue;
    }
    const last = out[out.length - 1];
    if (last !== undefined && last.origin === run.origin) {
      out[out.length - 1] = { origin: run.origin, length: last.length + run.length };
    } else {
      out.push(run);
    }
  }
  return out;
}

/**
 * Replaces `removeLength` code units at `at` in `runs` (in place) with `added` (normalized);
 * keeps `runs` normalized and returns the removed runs.
 */
function spliceRuns(runs: Run[], at: number, removeLength: number, added: readonly Run[]): Run[] {
  const end = at + removeLength;
  // Runs a..m-1 are touched: a holds `at` (none when `at` is the end), m is the first starting at or after `end`.
  let a = 0;
  let posA = 0;
  while (a < runs.length && posA + runs[a].length <= at) {
    posA += runs[a].length;
    a++;
  }
  let m = a;
  let posM = posA;
  const removed: Run[] = [];
  while (m < runs.length && posM < end) {
    const run = runs[m];
    const overlap = Math.min(posM + run.length, end) - Math.max(posM, at);
    if (overlap > 0) {
      removed.push({ origin: run.origin, length: overlap });
    }
    posM += run.length;
    m++;
  }
  const replacement: Run[] = [];
  if (a < m && at > posA) {
    replacement.push({ origin: runs[a].origin, length: at - posA });
  }
  replacement.push(...added);
  if (a < m && posM > end) {
    replacement.push({ origin: runs[m - 1].origin, length: posM - end });
  }
  // Merge with the neighbours on both sides.
  const from = Math.max(0, a - 1);
  const to = Math.min(runs.length, m + 1);
  const merged = normalizeRuns([...runs.slice(from, a), ...replacement, ...runs.slice(m, to)]);
  runs.splice(from, to - from, ...merged);
  return normalizeRuns(removed);
}

/** Blocks of at most `size` runs each. */
function chunk(runs: readonly Run[], size: number): Block[] {
  const blocks: Block[] = [];
  for (let k = 0; k < runs.length; k += size) {
    const part = runs.slice(k, k + size);
    blocks.push({ runs: part, length: sumOf(part) });
  }
  return blocks;
}

function sumOf(runs: readonly Run[]): number {
  let sum = 0;
  for (const run of runs) {
    sum += run.length;
  }
  return sum;
}

/**
 * The runs of one document. Kept in blocks of at most {@link MAX_BLOCK_RUNS} runs, so a
 * change in a document with many runs (alternating authors) stays cheap.
 */
export class RunList {
  private blocks: Block[] = [];
  private total = 0;
  /** Block of the previous splice and where it starts (blocks before it did not change). */
  private hintI = 0;
  private hintStart = 0;

  constructor(runs: readonly Run[] = []) {
    this.rebuild(normalizeRuns(runs));
  }

  /** Total length of the runs (code units). */
  get length(): number {
    return this.total;
  }

  /** Number of runs stored (neighbours across blocks may share an origin). */
  get runCount(): number {
    let count = 0;
    for (const block of this.blocks) {
      count += block.runs.length;
    }
    return count;
  }

  /**
   * Replaces `removeLength` code units at `offset` with `insert`; returns the removed runs.
   *
   * @throws {RangeError} when the range does not fit.
   */
  splice(offset: number, removeLength: number, insert: readonly Run[]): Run[] {
    if (!Number.isInteger(offset) || !Number.isInteger(removeLength) || offset < 0 || removeLength < 0 || offset + removeLength > this.total) {
      throw new RangeError(`runs splice (${offset}, ${removeLength}) does not fit a length of ${this.total}`);
    }
    const added = normalizeRuns(insert);
    if (this.blocks.length === 0) {
      this.rebuild(added);
      return [];
    }
    // Blocks i..j hold the range: i the one holding `offset` (the earlier one on a boundary), j the end.
    // Edits cluster (typing moves forward), so the scan starts at the previous splice's block when it can.
    let i = offset >= this.hintStart && this.hintI < this.blocks.length ? this.hintI : 0;
    let start = i === 0 ? 0 : this.hintStart;
    while (i < this.blocks.length - 1 && start + this.blocks[i].length < offset) {
      start += this.blocks[i].length;
      i++;
    }
    const end = offset + removeLength;
    let j = i;
    let endOfJ = start + this.blocks[i].length;
    while (j < this.blocks.length - 1 && endOfJ < end) {
      j++;
      endOfJ += this.blocks[j].length;
    }
    this.hintI = i;
    this.hintStart = start;
    this.total += sumOf(added) - removeLength;
    if (i === j) {
      const block = this.blocks[i];
      const removed = spliceRuns(block.runs, offset - start, removeLength, added);
      block.length += sumOf(added) - removeLength;
      if (block.runs.length > MAX_BLOCK_RUNS) {
        this.blocks.splice(i, 1, ...chunk(block.runs, MAX_BLOCK_RUNS / 2));
      } else if (block.runs.length === 0 && this.blocks.length > 1) {
        this.blocks.splice(i, 1);
        this.hintI = 0;
        this.hintStart = 0;
      }
      return removed;
    }
    const flat = this.blocks.slice(i, j + 1).flatMap((b) => b.runs);
    const removed = spliceRuns(flat, offset - start, removeLength, added);
    this.blocks.splice(i, j - i + 1, ...chunk(flat, flat.length <= MAX_BLOCK_RUNS ? MAX_BLOCK_RUNS : MAX_BLOCK_RUNS / 2));
    if (this.blocks.length === 0) {
      this.blocks.push({ runs: [], length: 0 });
    }
    return removed;
  }

  /** The runs of `length` code units at `offset` (clamped to the text). */
  slice(offset: number, length: number): Run[] {
    const from = Math.max(0, Math.min(offset, this.total));
    const to = Math.max(from, Math.min(offset + length, this.total));
    const out: Run[] = [];
    let pos = 0;
    for (const block of this.blocks) {
      if (pos + block.length <= from) {
        pos += block.length;
        continue;
      }
      if (pos >= to) {
        break;
      }
      for (const run of block.runs) {
        const a = Math.max(pos, from);
        const b = Math.min(pos + run.length, to);
        if (b > a) {
          out.push({ origin: run.origin, length: b - a });
        }
        pos += run.length;
      }
    }
    return normalizeRuns(out);
  }

  /** Every run, neighbours of one origin merged. */
  toArray(): Run[] {
    return normalizeRuns(this.blocks.flatMap((b) => b.runs));
  }

  private rebuild(runs: Run[]): void {
    this.blocks = chunk(runs, MAX_BLOCK_RUNS / 2);
    this.total = sumOf(runs);
    this.hintI = 0;
    this.hintStart = 0;
  }
}
