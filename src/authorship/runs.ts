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

/** Splits runs at `at` code units from their start. */
function splitRuns(runs: readonly Run[], at: number): [Run[], Run[]] {
  const left: Run[] = [];
  const right: Run[] = [];
  let pos = 0;
  for (const run of runs) {
    if (pos + run.length <= at) {
      left.push(run);
    } else if (pos >= at) {
      right.push(run);
    } else {
      left.push({ origin: run.origin, length: at - pos });
      right.push({ origin: run.origin, length: pos + run.length - at });
    }
    pos += run.length;
  }
  return [left, right];
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
    let i = 0;
    let start = 0;
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
    const flat = i === j ? this.blocks[i].runs : this.blocks.slice(i, j + 1).flatMap((b) => b.runs);
    const [before, rest] = splitRuns(flat, offset - start);
    const [removed, after] = splitRuns(rest, removeLength);
    const merged = normalizeRuns([...before, ...added, ...after]);
    const replacement: Block[] = [];
    const size = merged.length <= MAX_BLOCK_RUNS ? MAX_BLOCK_RUNS : MAX_BLOCK_RUNS / 2;
    for (let k = 0; k < merged.length; k += size) {
      const runs = merged.slice(k, k + size);
      replacement.push({ runs, length: sumOf(runs) });
    }
    this.blocks.splice(i, j - i + 1, ...replacement);
    this.total += sumOf(added) - removeLength;
    return normalizeRuns(removed);
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
    this.blocks = [];
    for (let k = 0; k < runs.length; k += MAX_BLOCK_RUNS / 2) {
      const part = runs.slice(k, k + MAX_BLOCK_RUNS / 2);
      this.blocks.push({ runs: part, length: sumOf(part) });
    }
    this.total = sumOf(runs);
  }
}
