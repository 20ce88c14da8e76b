/**
 * Applying recorded content changes to text. Plain Node; never imports `vscode`.
 *
 * Offsets and lengths are in UTF-16 code units, exactly as VS Code reports them.
 */
import { changeEnvelope } from '../trace/changeEnvelope';
import type { ContentChange } from '../trace/events';

/** Thrown when a change does not fit the text it is applied to. */
export class ChangeRangeError extends RangeError {
  constructor(
    /** Index of the edit (batch) within the input; 0 for {@link applyChanges}. */
    readonly editIndex: number,
    /** Index of the change within its edit. */
    readonly changeIndex: number,
    readonly change: ContentChange,
    /** Length of the text the change was applied to (UTF-16 code units). */
    readonly textLength: number,
  ) {
    super(
      `change ${changeIndex} of edit ${editIndex} (offset ${String(change.offset)}, length ${String(change.length)}) ` +
        `does not fit a text of ${textLength} code units`,
    );
    this.name = 'ChangeRangeError';
  }
}

/** Whether a change has the shape of one: whole, non-negative offset and length, a text (whether it fits is another question). */
export function wellFormed(change: ContentChange | null | undefined): boolean {
  return (
    typeof change === 'object' &&
    change !== null &&
    Number.isInteger(change.offset) &&
    Number.isInteger(change.length) &&
    change.offset >= 0 &&
    change.length >= 0 &&
    typeof change.text === 'string'
  );
}

/** Whether a change is well formed and fits a text of `textLength` code units. */
export function fits(change: ContentChange, textLength: number): boolean {
  return wellFormed(change) && change.offset + change.length <= textLength;
}

/**
 * Applies the changes of one `doc.edit` in array order, each to the result of the
 * previous one (`text.slice(0, offset) + change.text + text.slice(offset + length)`),
 * which is how VS Code's `contentChanges` apply (they arrive ordered end-to-start).
 *
 * @throws {ChangeRangeError} when an offset/length is not a non-negative integer or
 *   reaches past the end of the text at that point.
 */
export function applyChanges(text: string, changes: readonly ContentChange[]): string {
  let result = text;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (!fits(change, result.length)) {
      throw new ChangeRangeError(0, i, change, result.length);
    }
    result = result.slice(0, change.offset) + change.text + result.slice(change.offset + change.length);
  }
  return result;
}

/** Size of the pieces {@link applyEdits} keeps a document in (UTF-16 code units). */
export const EDIT_CHUNK = 2048;

function split(text: string, chunkSize: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) {
    parts.push(text.slice(i, i + chunkSize));
  }
  return parts;
}

/**
 * Applies many edits (each a `doc.edit`'s changes) in order, each change to the result
 * of the previous one: the same result as calling {@link applyChanges} once per edit.
 * Only the region the edits touched is rebuilt (trace/changeEnvelope.ts finds it from the
 * changes alone): the text before and after it is reused as it is, so a burst of typing
 * costs what it typed, not what the document holds. Within that region the text is kept in
 * chunks of about `chunkSize` code units, so a change costs about one chunk plus a scan of
 * the chunk list instead of a copy of the region; a multi-cursor edit with thousands of
 * changes across a large file stays cheap.
 *
 * @param chunkSize chunk size; only tests need to change it.
 * @throws {ChangeRangeError} carrying the index of the offending edit and change.
 */
export function applyEdits(text: string, edits: readonly (readonly ContentChange[])[], chunkSize: number = EDIT_CHUNK): string {
  if (edits.every((changes) => changes.every(wellFormed))) {
    const envelope = changeEnvelope(edits);
    if (envelope === undefined) {
      return text;
    }
    const lo = envelope.lo;
    const hi0 = envelope.hi - envelope.delta;
    if (lo <= hi0 && hi0 <= text.length) {
      const region = applyInChunks(text.slice(lo, hi0), edits, chunkSize, lo, text.length - (hi0 - lo));
      if (region !== undefined) {
        return text.slice(0, lo) + region + text.slice(hi0);
      }
    }
  }
  // Malformed changes, or changes that do not fit: the whole text, to throw at the right change.
  const whole = applyInChunks(text, edits, chunkSize, 0, 0);
  return whole ?? text; // never undefined for the whole text
}

/**
 * Applies the edits to `region`, the part of a text from `shift` on that holds every change,
 * `rest` code units of the text lying outside it. A change is checked against the whole
 * text (`rest` + the region's current length); undefined when one fits the text but not the
 * region (then the region was wrong, and the caller applies the edits to the whole text).
 */
function applyInChunks(region: string, edits: readonly (readonly ContentChange[])[], chunkSize: number, shift: number, rest: number): string | undefined {
  let chunks = split(region, chunkSize);
  if (chunks.length === 0) {
    chunks.push('');
  }
  let total = region.length;
  // Where the previous change was: chunks before it are unchanged, so a change at or after
  // it (typing moves forward) starts its scan there.
  let hintI = 0;
  let hintStart = 0;
  for (let e = 0; e < edits.length; e++) {
    const changes = edits[e];
    for (let c = 0; c < changes.length; c++) {
      const change = changes[c];
      if (!fits(change, rest + total)) {
        throw new ChangeRangeError(e, c, change, rest + total);
      }
      const offset = change.offset - shift;
      const length = change.length;
      if (offset < 0 || offset + length > total) {
        return undefined;
      }
      // Chunk i holds `offset` (the earlier chunk when it falls on a boundary); chunk j holds the end.
      let i = offset >= hintStart ? hintI : 0;
      let start = offset >= hintStart ? hintStart : 0;
      while (i < chunks.length - 1 && start + chunks[i].length < offset) {
        start += chunks[i].length;
        i++;
      }
      const end = offset + length;
      let j = i;
      let endOfJ = start + chunks[i].length;
      while (endOfJ < end) {
        j++;
        endOfJ += chunks[j].length;
      }
      const merged = i === j ? chunks[i] : chunks.slice(i, j + 1).join('');
      const rel = offset - start;
      let replaced = merged.slice(0, rel) + change.text + merged.slice(rel + length);
      total += change.text.length - length;
      let last = j;
      if (replaced.length < chunkSize / 2 && last + 1 < chunks.length && replaced.length + chunks[last + 1].length <= 2 * chunkSize) {
        last++; // keep chunks from getting small: absorb the next one
        replaced += chunks[last];
      }
      if (replaced.length <= 2 * chunkSize) {
        if (replaced === '' && chunks.length > last - i + 1) {
          chunks.splice(i, last - i + 1); // other chunks remain: drop the empty one
        } else {
          chunks.splice(i, last - i + 1, replaced);
        }
      } else {
        chunks = [...chunks.slice(0, i), ...split(replaced, chunkSize), ...chunks.slice(last + 1)];
      }
      if (i < chunks.length) {
        hintI = i;
        hintStart = start;
      } else {
        hintI = 0; // the last chunk was removed
        hintStart = 0;
      }
    }
  }
  return chunks.join('');
}
