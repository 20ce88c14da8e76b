/**
 * One tracked document: its text and the origin of every character. Plain Node; never
 * imports `vscode`.
 */
import { applyEdits, fits } from '../replay/apply';
import type { ContentChange } from '../trace/events';
import type { Origin } from './author';
import { rebaseRuns } from './rebase';
import { RunList, type Run } from './runs';
import { RemovedSpans } from './undo';

/** How the text an edit inserts is attributed. */
export interface EditAttribution {
  /** Origin of inserted text. */
  origin: Origin;
  /** `undo`/`redo`: restore the origin the text had when it was removed, if known (undo.ts). */
  restore: boolean;
  /** An `external` reload: remember where it inserted, so `relabelExternal` can change its origin. */
  external: boolean;
  /** When the edit happened (epoch ms). */
  ts: number;
}

/** Edits buffered before the text is rebuilt in one pass (memory bound of the buffer). */
const MAX_PENDING_EDITS = 4096;

/** Where the changes of one edit inserted text, in the coordinates after the whole edit. */
function shiftSpans(spans: [number, number][], change: ContentChange): [number, number][] {
  const { offset, length } = change;
  const inserted = change.text.length;
  const delta = inserted - length;
  const out: [number, number][] = [];
  for (const [s, e] of spans) {
    if (e <= offset) {
      out.push([s, e]);
    } else if (s >= offset + length) {
      out.push([s + delta, e + delta]);
    } else {
      if (s < offset) {
        out.push([s, offset]);
      }
      if (e > offset + length) {
        out.push([offset + inserted, e + delta]);
      }
    }
  }
  if (inserted > 0) {
    out.push([offset, offset + inserted]);
  }
  return out;
}

export class TrackedDocument {
  private text: string;
  private pending: (readonly ContentChange[])[] = [];
  private runs: RunList;
  private readonly removed = new RemovedSpans();
  private lastExternal: { spans: [number, number][]; ts: number } | undefined;

  constructor(text: string, runs: readonly Run[]) {
    this.text = text;
    this.runs = new RunList(runs);
  }

  /** Length of the current text (UTF-16 code units). */
  get length(): number {
    return this.runs.length;
  }

  /** The current text. */
  getText(): string {
    if (this.pending.length > 0) {
      this.text = applyEdits(this.text, this.pending);
      this.pending = [];
    }
    return this.text;
  }

  /** The current runs, neighbours of one origin merged; they sum to the text's length. */
  getRuns(): Run[] {
    return this.runs.toArray();
  }

  /**
   * Applies the changes of one edit (in array order, each to the result of the previous).
   * Returns false when a change does not fit: the document is then unusable.
   */
  applyEdit(changes: readonly ContentChange[], how: EditAttribution): boolean {
    let spans: [number, number][] = [];
    for (const change of changes) {
      if (!fits(change, this.runs.length)) {
        return false;
      }
      const inserted = change.text.length;
      const restored = how.restore && inserted > 0 ? this.removed.take(change.offset, inserted) : undefined;
      const removedRuns = this.runs.splice(change.offset, change.length, restored ?? [{ origin: how.origin, length: inserted }]);
      this.removed.push(change.offset, removedRuns);
      if (how.external) {
        spans = shiftSpans(spans, change);
      }
    }
    this.lastExternal = how.external ? { spans, ts: how.ts } : undefined;
    this.pending.push(changes);
    if (this.pending.length >= MAX_PENDING_EDITS) {
      this.getText();
    }
    return true;
  }

  /**
   * Gives the text the last edit inserted `origin`, if that edit was an `external` reload made
   * at most `withinMs` before `ts` and nothing changed the document since. Returns whether it did.
   */
  relabelExternal(origin: Origin, ts: number, withinMs: number): boolean {
    const last = this.lastExternal;
    if (last === undefined || Math.abs(ts - last.ts) > withinMs) {
      return false;
    }
    for (const [s, e] of last.spans) {
      this.runs.splice(s, e - s, [{ origin, length: e - s }]);
    }
    this.lastExternal = undefined;
    return true;
  }

  /** Takes a new full snapshot: unchanged lines keep their origins, the rest gets `origin`. */
  replaceText(text: string, origin: Origin): void {
    const old = this.getText();
    const runs = rebaseRuns(old, text, (offset, length) => this.runs.slice(offset, length), origin);
    this.text = text;
    this.runs = new RunList(runs);
    this.removed.clear();
    this.lastExternal = undefined;
  }
}
