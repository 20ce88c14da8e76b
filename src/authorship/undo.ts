/**
 * The undo/redo rule: text an undo or redo puts back gets the origin it had when it was
 * removed, when that removal is known; otherwise it counts as typed. Plain Node; never
 * imports `vscode`.
 *
 * Every removal from a document (a deletion, the replaced part of any change) is remembered
 * with its runs, newest last. An `undo`/`redo` change that inserts `n` code units at `offset`
 * takes the newest remembered removal of exactly `n` code units at that same `offset` and
 * restores its runs; VS Code undoes and redoes in reverse order of the edits, so the removal
 * being reverted is the newest one at that place. No match (the removal happened before
 * capture, was forgotten, or a multi-cursor undo shifted it): the text counts as `typed`.
 * A removed span is forgotten once matched, and the oldest are forgotten beyond
 * {@link MAX_SPANS} spans or {@link MAX_SPAN_RUNS} runs in all.
 */
import type { Run } from './runs';

interface RemovedSpan {
  offset: number;
  length: number;
  runs: Run[];
}

/** Most removals remembered per document. */
export const MAX_SPANS = 1024;
/** Most runs remembered per document, over all removals. */
export const MAX_SPAN_RUNS = 16_384;

export class RemovedSpans {
  private spans: RemovedSpan[] = [];
  private runCount = 0;

  /** Remembers the runs removed at `offset`. */
  push(offset: number, runs: readonly Run[]): void {
    let length = 0;
    for (const run of runs) {
      length += run.length;
    }
    if (length === 0) {
      return;
    }
    this.spans.push({ offset, length, runs: [...runs] });
    this.runCount += runs.length;
    while (this.spans.length > MAX_SPANS || (this.runCount > MAX_SPAN_RUNS && this.spans.length > 1)) {
      const dropped = this.spans.shift();
      this.runCount -= dropped?.runs.length ?? 0;
    }
    if (this.runCount > MAX_SPAN_RUNS) {
      this.clear(); // one removal alone is too fragmented to keep
    }
  }

  /** The runs of the newest removal of exactly `length` code units at `offset`, forgotten once taken. */
  take(offset: number, length: number): Run[] | undefined {
    for (let k = this.spans.length - 1; k >= 0; k--) {
      const span = this.spans[k];
      if (span.offset === offset && span.length === length) {
        this.spans.splice(k, 1);
        this.runCount -= span.runs.length;
        return span.runs;
      }
    }
    return undefined;
  }

  clear(): void {
    this.spans = [];
    this.runCount = 0;
  }
}
