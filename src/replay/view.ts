/**
 * What was on screen at an `editor.view` event, rebuilt from the replayed document (the
 * event records only the visible line ranges, not the text). Plain Node.
 */
import type { LineRange, TracePath, TraceEvent } from '../trace/events';
import type { DocState } from './replay';

export type ViewRendering =
  /** `lines`: the header, then each visible line; `warnings`: ranges past the end of the text. */
  | { ok: true; lines: string[]; warnings: string[] }
  | { ok: false; message: string };

function isRange(value: unknown): value is LineRange {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { start, end } = value as Record<string, unknown>;
  return typeof start === 'number' && typeof end === 'number' && Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 1 && start <= end;
}

/** Splits as VS Code counts lines: at `\r\n`, `\n` and a lone `\r`. */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Renders the `editor.view` event `event` (the event replay stopped at, which must have
 * `seq` in `session`) against the document states at that point:
 *
 * ```
 * src/a.ts lines 10–12, 40–41
 * 10 | first visible line
 * 11 | …
 * ```
 *
 * Fails (with a message for people) when there is no such event, it is not an
 * `editor.view`, its ranges are unusable, or its file is not replayable there.
 */
export function renderView(event: TraceEvent | undefined, session: string, seq: number, documents: ReadonlyMap<TracePath, DocState>): ViewRendering {
  if (event === undefined || event.session !== session || event.seq !== seq) {
    return { ok: false, message: `session ${session} has no event with seq ${seq}` };
  }
  if (event.kind !== 'editor.view') {
    return { ok: false, message: `seq ${seq} of session ${session} is a ${event.kind} event, not editor.view` };
  }
  const path: unknown = event.path;
  if (typeof path !== 'string') {
    return { ok: false, message: `the editor.view event at seq ${seq} has no path` };
  }
  const ranges: unknown[] = Array.isArray(event.ranges) ? event.ranges : [];
  const valid = ranges.filter(isRange);
  if (valid.length === 0) {
    return { ok: false, message: `the editor.view event at seq ${seq} has no valid line ranges` };
  }
  const doc = documents.get(path);
  if (doc === undefined) {
    return { ok: false, message: `${path} is not replayable at seq ${seq}: the trace has no content for it` };
  }
  if (!doc.replayable) {
    return { ok: false, message: `${path} is not replayable at seq ${seq}${doc.reason === undefined ? '' : ` (${doc.reason})`}` };
  }
  const text = splitLines(doc.text);
  const warnings: string[] = [];
  const shown: { number: number; text: string }[] = [];
  for (const range of valid) {
    const end = Math.min(range.end, text.length);
    if (range.start > text.length || end < range.end) {
      warnings.push(`lines ${range.start}–${range.end} reach past the end of ${path} (${text.length} lines at seq ${seq})`);
    }
    for (let n = range.start; n <= end; n++) {
      shown.push({ number: n, text: text[n - 1] });
    }
  }
  const width = String(shown.reduce((max, l) => Math.max(max, l.number), 0)).length;
  const header = `${path} lines ${valid.map((r) => `${r.start}–${r.end}`).join(', ')}`;
  return { ok: true, lines: [header, ...shown.map((l) => `${String(l.number).padStart(width)} | ${l.text}`)], warnings };
}
