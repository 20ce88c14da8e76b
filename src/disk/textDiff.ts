/**
 * The exact change between two texts, for `file.change`: a line-level diff (the `diff`
 * package, bounded like edit steps) given both as a unified diff and as content changes
 * (UTF-16 offsets, applied in order as `doc.edit` changes are), so that
 * `applyChanges(oldText, changes) === newText` byte for byte. Plain Node.
 */
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatchHunk } from 'diff';
import { DEFAULT_DIFF_LIMITS, type DiffLimits } from '../semantic/editSteps';
import type { ContentChange } from '../trace/events';

export interface TextDiff {
  /** Apply in order, each to the result of the previous (see replay/apply.ts). */
  changes: ContentChange[];
  /** Unified diff, file headers `--- path` / `+++ path`, 3 lines of context (as `edit.step`). */
  diff: string;
  added: number;
  removed: number;
}

/**
 * Turns the hunks of a line diff of `oldText` into content changes. Each hunk line is a
 * line of the text without its `\n` (a `\r` stays); a line followed by the marker
 * `\ No newline at end of file` had none. Consecutive removed and added lines become one
 * replacement; unchanged lines move the position on.
 */
export function hunksToChanges(oldText: string, hunks: readonly StructuredPatchHunk[]): ContentChange[] {
  const changes: ContentChange[] = [];
  let line = 0; // 0-based line of the old text at `lineOffset`
  let lineOffset = 0;
  let delta = 0; // length of the edited text minus the old one, so far
  for (const hunk of hunks) {
    const target = Math.max(0, hunk.oldStart - 1);
    while (line < target) {
      const nl = oldText.indexOf('\n', lineOffset);
      lineOffset = nl === -1 ? oldText.length : nl + 1;
      line++;
    }
    let pos = lineOffset; // position in the old text
    let runStart = -1;
    let removeLength = 0;
    let insert = '';
    const flush = (): void => {
      if (runStart !== -1) {
        changes.push({ offset: runStart + delta, length: removeLength, text: insert });
        delta += insert.length - removeLength;
      }
      runStart = -1;
      removeLength = 0;
      insert = '';
    };
    const lines = hunk.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      const sign = l[0];
      if (sign === '\\') {
        continue;
      }
      const text = lines[i + 1]?.[0] === '\\' ? l.slice(1) : `${l.slice(1)}\n`;
      if (sign === ' ') {
        flush();
        pos += text.length;
        line++;
      } else if (sign === '-') {
        if (runStart === -1) runStart = pos;
        removeLength += text.length;
        pos += text.length;
        line++;
      } else if (sign === '+') {
        if (runStart === -1) runStart = pos;
        insert += text;
      }
    }
    flush();
    lineOffset = pos;
  }
  return changes;
}

/**
 * The diff of two texts, or undefined when a bound was hit (texts longer than
 * `limits.maxChars` together, more than `maxEditLength` changed lines, or `timeoutMs` of
 * diffing): the caller then records a snapshot instead.
 */
export function diffTexts(path: string, oldText: string, newText: string, limits: DiffLimits = DEFAULT_DIFF_LIMITS): TextDiff | undefined {
  if (oldText.length + newText.length > limits.maxChars) {
    return undefined;
  }
  if (oldText === '' || newText === '') {
    return wholeTextDiff(path, oldText, newText);
  }
  const patch = structuredPatch(path, path, oldText, newText, undefined, undefined, {
    context: 3,
    maxEditLength: limits.maxEditLength,
    timeout: limits.timeoutMs,
  });
  if (!patch) {
    return undefined;
  }
  const changes = hunksToChanges(oldText, patch.hunks); // before formatPatch, which adjusts hunk starts in place
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const l of hunk.lines) {
      if (l[0] === '+') added++;
      else if (l[0] === '-') removed++;
    }
  }
  return { changes, diff: formatPatch(patch, FILE_HEADERS_ONLY), added, removed };
}

/**
 * The diff from or to the empty text without diffing (a created or emptied file): the same
 * unified diff `structuredPatch` + `formatPatch` give, in one pass over the lines.
 */
function wholeTextDiff(path: string, oldText: string, newText: string): TextDiff {
  const text = oldText === '' ? newText : oldText;
  const sign = oldText === '' ? '+' : '-';
  const header = `--- ${path}\n+++ ${path}\n`;
  if (text === '') {
    return { changes: [], diff: header, added: 0, removed: 0 };
  }
  const lines = text.split('\n');
  const lastEnds = lines[lines.length - 1] === '';
  if (lastEnds) lines.pop();
  const n = lines.length;
  const range = sign === '+' ? `@@ -0,0 +1,${n} @@` : `@@ -1,${n} +0,0 @@`;
  const body = `${sign}${lines.join(`\n${sign}`)}\n${lastEnds ? '' : '\\ No newline at end of file\n'}`;
  return {
    changes: [sign === '+' ? { offset: 0, length: 0, text } : { offset: 0, length: text.length, text: '' }],
    diff: `${header}${range}\n${body}`,
    added: sign === '+' ? n : 0,
    removed: sign === '-' ? n : 0,
  };
}

/** Lines of a text as a diff counts them (a last line without `\n` counts; `''` has none). */
export function lineCount(text: string): number {
  if (text.length === 0) {
    return 0;
  }
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return text.endsWith('\n') ? n : n + 1;
}
