/**
 * The semantic layer's edit steps: consecutive `doc.edit`s of one file, grouped until a
 * pause, a switch to another file, a save, a close, a run or a flush, and summarised as
 * one `edit.step` event with a unified diff. Plain Node; never imports `vscode`.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { applyEdits } from '../replay/apply';
import { changeEnvelope } from '../trace/changeEnvelope';
import type { ContentChange, EditCause, NewEventOf, StepCloseReason, TracePath, TraceEvent } from '../trace/events';
import { isAtOrUnder } from '../trace/pathUnder';

/** Time source and timers; tests pass a fake one. */
export interface StepClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real time, with timers that do not keep Node alive. */
export const realClock: StepClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Bounds for computing a step's diff (off the typing path, but in the extension host). */
export interface DiffLimits {
  /** Skip diffing when old + new text exceed this many UTF-16 code units. */
  maxChars: number;
  /** `maxEditLength` of the `diff` package: give up beyond this many changed lines. */
  maxEditLength: number;
  /** `timeout` of the `diff` package, in milliseconds. */
  timeoutMs: number;
}

/**
 * Defaults: texts up to 4M code units, up to 5 000 changed lines, at most 100 ms of
 * diffing (the `diff` package checks the timeout between edit-distance rounds; splitting
 * the texts into lines happens before and is not covered).
 */
export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxChars: 4_000_000, maxEditLength: 5_000, timeoutMs: 100 };

export interface EditStepperOptions {
  /** A step closes when no edit arrived for this long. */
  pauseMs: number;
  /** Overrides of {@link DEFAULT_DIFF_LIMITS}. */
  diff?: Partial<DiffLimits>;
  /**
   * A step that reaches this many raw edits without a pause is closed with reason
   * `flush`, so an endless stream of edits (a tool writing continuously) cannot grow
   * memory without bound. Default 10 000.
   */
  maxEdits?: number;
}

/** The diff of a step, as {@link stepDiff} computes it. */
export interface StepDiff {
  /** Unified diff (file headers `--- path` / `+++ path`, 3 lines of context); `''` when skipped. */
  diff: string;
  added: number;
  removed: number;
  /** True when the diff was skipped by a limit and the counts are estimates. */
  estimated: boolean;
}

/** Number of lines a region of `text` spans (a final line without `\n` counts). */
function linesIn(text: string, start: number, end: number): number {
  if (end <= start) {
    return 0;
  }
  let lines = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    lines++;
  }
  return text.charCodeAt(end - 1) === 10 ? lines : lines + 1;
}

/**
 * Cheap line counts for when the real diff is skipped, from the region between the
 * common prefix and the common suffix: when that region is made of whole lines in both
 * texts its lines are counted as they are; otherwise it is widened to whole lines and the
 * lines it spans in the old text (removed) and the new one (added) are counted. Exact for
 * one contiguous change; for scattered changes an upper bound of what a line diff reports.
 */
export function estimateLineCounts(oldText: string, newText: string): { added: number; removed: number } {
  const max = Math.min(oldText.length, newText.length);
  let prefix = 0;
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) {
    prefix++;
  }
  let suffix = 0;
  while (suffix < max - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix++;
  }
  if (prefix === oldText.length && prefix === newText.length) {
    return { added: 0, removed: 0 };
  }
  const oldEnd = oldText.length - suffix;
  const newEnd = newText.length - suffix;
  const endsLine = (text: string, end: number): boolean => end === prefix || text.charCodeAt(end - 1) === 10;
  if ((prefix === 0 || oldText.charCodeAt(prefix - 1) === 10) && endsLine(oldText, oldEnd) && endsLine(newText, newEnd)) {
    return { removed: linesIn(oldText, prefix, oldEnd), added: linesIn(newText, prefix, newEnd) };
  }
  const lineStart = prefix === 0 ? 0 : oldText.lastIndexOf('\n', prefix - 1) + 1; // the prefix is common: same in both texts
  const lineEnd = (text: string, end: number): number => {
    const nl = text.indexOf('\n', end > lineStart ? end - 1 : lineStart);
    return nl === -1 ? text.length : nl + 1;
  };
  return { removed: linesIn(oldText, lineStart, lineEnd(oldText, oldEnd)), added: linesIn(newText, lineStart, lineEnd(newText, newEnd)) };
}

const CONTEXT = 3;

/** Lengths of a prefix and a suffix that two texts are known to share (lower bounds). */
export interface Unchanged {
  prefix: number;
  suffix: number;
}

/**
 * The part of two texts a line diff needs to look at: the lines between their common
 * leading and trailing lines, with `context` common lines kept on each side. Diffing only
 * that costs what the change costs, not what the document does (a keystroke in a 5,000-line
 * file). `skippedLines`: the common lines left out before the window (hunks start after them).
 * `unchanged`: lengths of a prefix and a suffix known to be common (from where the changes
 * were, see trace/changeEnvelope.ts), so the texts are compared only between them: in a
 * document of megabytes, comparing character by character from both ends took ~10 ms.
 */
export function changedWindow(oldText: string, newText: string, context: number, unchanged?: Unchanged): { oldText: string; newText: string; skippedLines: number } {
  const max = Math.min(oldText.length, newText.length);
  let prefix = Math.max(0, Math.min(unchanged?.prefix ?? 0, max));
  while (prefix < max && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) {
    prefix++;
  }
  if (prefix === oldText.length && prefix === newText.length) {
    return { oldText: '', newText: '', skippedLines: 0 };
  }
  // Start: the line the first difference is in, moved back `context` whole lines.
  let start = prefix === 0 ? 0 : oldText.lastIndexOf('\n', prefix - 1) + 1;
  for (let i = 0; i < context && start > 0; i++) {
    start = oldText.lastIndexOf('\n', start - 2) + 1;
  }
  let skippedLines = 0;
  for (let i = oldText.indexOf('\n'); i !== -1 && i < start; i = oldText.indexOf('\n', i + 1)) {
    skippedLines++;
  }
  // End: after the line the last difference is in, moved on `context` whole lines.
  let suffix = Math.max(0, Math.min(unchanged?.suffix ?? 0, max - prefix));
  while (suffix < max - prefix && oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)) {
    suffix++;
  }
  let oldEnd = oldText.length;
  const firstCommon = oldText.length - suffix;
  let nl = oldText.indexOf('\n', firstCommon);
  for (let i = 0; i < context && nl !== -1; i++) {
    nl = oldText.indexOf('\n', nl + 1);
  }
  if (nl !== -1) {
    oldEnd = nl + 1;
  }
  const newEnd = oldEnd + (newText.length - oldText.length);
  if (oldEnd < start || newEnd < start) {
    return { oldText, newText, skippedLines: 0 };
  }
  return { oldText: oldText.slice(start, oldEnd), newText: newText.slice(start, newEnd), skippedLines };
}

/**
 * The unified diff of one step and its line counts, computed with the `diff` package's
 * `structuredPatch` bounded by `maxEditLength` and `timeout`. When the texts are larger
 * than `limits.maxChars` or the package gives up, the diff is `''` and the counts come
 * from {@link estimateLineCounts}. `unchanged`: see {@link changedWindow}.
 */
export function stepDiff(path: TracePath, oldText: string, newText: string, limits: DiffLimits = DEFAULT_DIFF_LIMITS, unchanged?: Unchanged): StepDiff {
  const window = oldText.length + newText.length > limits.maxChars ? undefined : changedWindow(oldText, newText, CONTEXT, unchanged);
  const patch = window
    ? structuredPatch(path, path, window.oldText, window.newText, undefined, undefined, {
        context: CONTEXT,
        maxEditLength: limits.maxEditLength,
        timeout: limits.timeoutMs,
      })
    : undefined;
  if (!patch || !window) {
    return { diff: '', ...estimateLineCounts(oldText, newText), estimated: true };
  }
  for (const hunk of patch.hunks) {
    hunk.oldStart += window.skippedLines;
    hunk.newStart += window.skippedLines;
  }
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { diff: formatPatch(patch, FILE_HEADERS_ONLY), added, removed, estimated: false };
}

/** The cause with most edits; a tie goes to the cause whose last edit came later. */
export function dominantCause(causes: readonly EditCause[]): EditCause {
  const counts = new Map<EditCause, { count: number; last: number }>();
  causes.forEach((cause, i) => {
    const entry = counts.get(cause);
    if (entry) {
      entry.count++;
      entry.last = i;
    } else {
      counts.set(cause, { count: 1, last: i });
    }
  });
  let best: EditCause = causes.length > 0 ? causes[causes.length - 1] : 'typing';
  let bestEntry = counts.get(best) ?? { count: 0, last: -1 };
  for (const [cause, entry] of counts) {
    if (entry.count > bestEntry.count || (entry.count === bestEntry.count && entry.last > bestEntry.last)) {
      best = cause;
      bestEntry = entry;
    }
  }
  return best;
}

interface Shadow {
  /** The document's text as of `version`; undefined when it is not replayable. */
  text: string | undefined;
  version: number;
}

interface OpenStep {
  path: TracePath;
  fromVersion: number;
  toVersion: number;
  startTs: number;
  lastTs: number;
  ids: string[];
  changes: (readonly ContentChange[])[];
  causes: EditCause[];
}

/**
 * Groups consecutive `doc.edit`s of one file into `edit.step` events.
 *
 * Feed it every event after the privacy stage ({@link observe}). At most one step is
 * open at a time. It closes on: a pause of `pauseMs` without edits (`pause`); an edit,
 * a focus change (also to no editor) or a rename that concerns another path (`switch`);
 * `doc.save` (`save`) and `doc.close` (`close`) of its path; a new snapshot of its path
 * (`reopen`); and {@link closeAll} (`run`, `flush`, ...).
 *
 * The `doc.edit` path is O(1): it records the event's id, changes and cause and the
 * time. One timer runs per step; when it fires early it re-arms for the remaining time.
 * The new text and the diff are computed when the step closes, from a shadow copy of
 * the document kept since its `doc.open` (forgotten on `doc.close`). Documents without
 * a replayable snapshot give steps with an empty diff and zero counts.
 */
export class EditStepper {
  private readonly shadows = new Map<TracePath, Shadow>();
  private step: OpenStep | undefined;
  private lastEditAt = 0;
  private timer: { handle: unknown } | undefined;
  private disposed = false;
  private readonly limits: DiffLimits;
  private readonly maxEdits: number;

  constructor(
    private readonly emit: (event: NewEventOf<'edit.step'>) => void,
    private readonly options: EditStepperOptions,
    private readonly clock: StepClock = realClock,
  ) {
    this.limits = { ...DEFAULT_DIFF_LIMITS, ...options.diff };
    this.maxEdits = options.maxEdits ?? 10_000;
  }

  /** The path of the open step, if any. */
  get openPath(): TracePath | undefined {
    return this.step?.path;
  }

  /** Number of documents tracked (shadow text or version), for tests and diagnostics. */
  get shadowCount(): number {
    return this.shadows.size;
  }

  /** Consumes one trace event (any kind; unknown kinds are ignored). */
  observe(event: TraceEvent): void {
    if (this.disposed) {
      return;
    }
    switch (event.kind) {
      case 'doc.edit':
        this.edit(event.path, event.id, event.version, event.changes, event.cause, event.ts);
        return;
      case 'doc.open':
        if (this.step?.path === event.path) {
          this.close('reopen');
        }
        this.shadows.set(event.path, {
          text: event.replayable && typeof event.text === 'string' ? event.text : undefined,
          version: event.version,
        });
        return;
      case 'doc.save':
        if (this.step?.path === event.path) {
          this.close('save');
        }
        return;
      case 'doc.close':
        if (this.step?.path === event.path) {
          this.close('close');
        }
        this.shadows.delete(event.path);
        return;
      case 'editor.focus':
        if (this.step && this.step.path !== event.path) {
          this.close('switch');
        }
        return;
      case 'file.rename':
        this.rename(event.from, event.to);
        return;
      default:
        return;
    }
  }

  /** Closes the open step, if any, with `reason` (e.g. `run` when a command starts, `flush` at pause/shutdown). */
  closeAll(reason: StepCloseReason): void {
    this.close(reason);
  }

  /** Stops the timer. Does not emit: call `closeAll('flush')` first to keep the open step. */
  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.step = undefined;
    this.shadows.clear();
  }

  // The typing path: no string work, no diffing, no timer churn.
  private edit(path: TracePath, id: string, version: number, changes: readonly ContentChange[], cause: EditCause, ts: number): void {
    let step = this.step;
    if (step && step.path !== path) {
      this.close('switch');
      step = undefined;
    }
    if (!step) {
      step = {
        path,
        fromVersion: this.shadows.get(path)?.version ?? version - 1,
        toVersion: version,
        startTs: ts,
        lastTs: ts,
        ids: [],
        changes: [],
        causes: [],
      };
      this.step = step;
    }
    step.ids.push(id);
    step.changes.push(changes);
    step.causes.push(cause);
    step.toVersion = version;
    step.lastTs = ts;
    this.lastEditAt = this.clock.now();
    if (!this.timer) {
      this.arm(this.options.pauseMs);
    }
    if (step.ids.length >= this.maxEdits) {
      this.close('flush');
    }
  }

  private rename(from: TracePath, to: TracePath): void {
    if (this.step && isAtOrUnder(this.step.path, from)) {
      this.close('switch');
    }
    if (from === to) {
      return;
    }
    const moves: [TracePath, Shadow][] = [];
    for (const [path, shadow] of this.shadows) {
      if (isAtOrUnder(path, from)) {
        moves.push([to + path.slice(from.length), shadow]);
        this.shadows.delete(path);
      }
    }
    for (const [path, shadow] of moves) {
      this.shadows.set(path, shadow);
    }
  }

  private arm(ms: number): void {
    const timer: { handle: unknown } = { handle: undefined };
    this.timer = timer;
    timer.handle = this.clock.setTimeout(() => this.fire(timer), ms);
  }

  private cancelTimer(): void {
    if (this.timer) {
      this.clock.clearTimeout(this.timer.handle);
      this.timer = undefined;
    }
  }

  private fire(timer: { handle: unknown }): void {
    if (this.timer !== timer || this.disposed) {
      return; // a stale timer (cancelled, or a clock that cannot cancel)
    }
    this.timer = undefined;
    if (!this.step) {
      return;
    }
    const idle = this.clock.now() - this.lastEditAt;
    if (idle >= this.options.pauseMs) {
      this.close('pause');
    } else {
      this.arm(this.options.pauseMs - idle);
    }
  }

  private close(reason: StepCloseReason): void {
    const step = this.step;
    if (!step) {
      return;
    }
    this.step = undefined;
    this.cancelTimer();
    let shadow = this.shadows.get(step.path);
    if (!shadow) {
      shadow = { text: undefined, version: step.toVersion };
      this.shadows.set(step.path, shadow);
    }
    let summary: StepDiff = { diff: '', added: 0, removed: 0, estimated: false };
    if (shadow.text !== undefined) {
      let next: string | undefined;
      try {
        next = applyEdits(shadow.text, step.changes);
      } catch {
        next = undefined; // the edits do not fit the snapshot: stop diffing this document until its next doc.open
      }
      if (next !== undefined) {
        const touched = changeEnvelope(step.changes);
        summary = stepDiff(step.path, shadow.text, next, this.limits, touched ? { prefix: touched.lo, suffix: next.length - touched.hi } : undefined);
      }
      shadow.text = next;
    }
    shadow.version = step.toVersion;
    this.emit({
      kind: 'edit.step',
      path: step.path,
      fromVersion: step.fromVersion,
      toVersion: step.toVersion,
      diff: summary.diff,
      added: summary.added,
      removed: summary.removed,
      edits: step.ids.length,
      startTs: step.startTs,
      durationMs: Math.max(0, step.lastTs - step.startTs),
      cause: dominantCause(step.causes),
      closedBy: reason,
      editIds: step.ids,
    });
  }
}
