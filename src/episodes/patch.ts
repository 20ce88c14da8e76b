/**
 * An episode's final patch as a git-style unified diff that `git apply` accepts: per file,
 * sorted by path, `diff --git a/p b/p`, `new file mode 100644` / `deleted file mode 100644`
 * for created and deleted files, `--- a/p` or `--- /dev/null`, `+++ b/p` or `+++ /dev/null`,
 * hunks with 3 lines of context and `\ No newline at end of file` where git writes it. Lines
 * are split at `\n` only, so a CRLF file's `\r` stays in its lines, as in git.
 *
 * Deterministic: no timeout bounds the diff (a timeout would make the output depend on the
 * machine); past {@link MAX_EDIT_LENGTH} changed lines a file gets one hunk spanning all its
 * changed lines, which is just as exact. Plain Node; never imports `vscode`.
 */
import { structuredPatch } from 'diff';

/** One file: its text before and after; `null` when it does not exist. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string | null;
}

/**
 * Beyond this many changed lines a file's diff is one hunk from its first to its last
 * changed line (a line diff costs time quadratic in the changed lines: about 0.1 s here).
 */
export const MAX_EDIT_LENGTH = 1_000;

const NO_NEWLINE = '\\ No newline at end of file';

/** A hunk range as git writes it: `start` alone for one line, `start-1,0` for none. */
function range(start: number, count: number): string {
  if (count === 1) {
    return `${start}`;
  }
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** The lines of a text, each with its `\n` (the last one without, when the text does not end in one). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
  }
  return lines;
}

function hunkLine(mark: ' ' | '-' | '+', line: string): string {
  return line.endsWith('\n') ? `${mark}${line}` : `${mark}${line}\n${NO_NEWLINE}\n`;
}

/**
 * One hunk from the first to the last line that differ (3 lines of context around), for
 * texts too different for a line diff within {@link MAX_EDIT_LENGTH}.
 */
function spanHunk(before: string, after: string): string {
  const old = splitLines(before);
  const neu = splitLines(after);
  let prefix = 0;
  while (prefix < old.length && prefix < neu.length && old[prefix] === neu[prefix]) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < neu.length - prefix && old[old.length - 1 - suffix] === neu[neu.length - 1 - suffix]) suffix++;
  const from = Math.max(0, prefix - 3);
  const oldTo = Math.min(old.length, old.length - suffix + 3);
  const newTo = neu.length - (old.length - oldTo);
  let out = `@@ -${range(from + 1, oldTo - from)} +${range(from + 1, newTo - from)} @@\n`;
  for (let i = from; i < prefix; i++) out += hunkLine(' ', old[i]);
  for (let i = prefix; i < old.length - suffix; i++) out += hunkLine('-', old[i]);
  for (let i = prefix; i < neu.length - suffix; i++) out += hunkLine('+', neu[i]);
  for (let i = old.length - suffix; i < oldTo; i++) out += hunkLine(' ', old[i]);
  return out;
}

/** The hunks turning `before` into `after` (empty when they are equal). */
export function hunks(before: string, after: string, maxEditLength = MAX_EDIT_LENGTH): string {
  if (before === after) {
    return '';
  }
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context: 3, maxEditLength });
  if (!patch) {
    return spanHunk(before, after);
  }
  let out = '';
  for (const hunk of patch.hunks) {
    out += `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@\n`;
    for (const line of hunk.lines) {
      out += `${line}\n`;
    }
  }
  return out;
}

const C_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r' };

/**
 * A name as git writes it in a patch: as is, or C-quoted when it holds a double quote, a
 * backslash or a control character (other characters, UTF-8 included, stay as they are;
 * `git apply` reads both).
 */
export function quoteName(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\x00-\x1f\x7f]/.test(name)) {
    return name;
  }
  // eslint-disable-next-line no-control-regex
  const body = name.replace(/["\\\x00-\x1f\x7f]/g, (c) => C_ESCAPES[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return `"${body}"`;
}

/** The patch of one file ('' when nothing changed); `maxEditLength` as in {@link hunks}. */
export function filePatch(change: FileChange, maxEditLength = MAX_EDIT_LENGTH): string {
  const { path, before, after } = change;
  if (before === after || (before === null && after === null)) {
    return '';
  }
  const a = quoteName(`a/${path}`);
  const b = quoteName(`b/${path}`);
  let out = `diff --git ${a} ${b}\n`;
  if (before === null) {
    out += 'new file mode 100644\n';
    return after === '' ? out : `${out}--- /dev/null\n+++ ${b}\n${hunks('', after ?? '', maxEditLength)}`;
  }
  if (after === null) {
    out += 'deleted file mode 100644\n';
    return before === '' ? out : `${out}--- ${a}\n+++ /dev/null\n${hunks(before, '', maxEditLength)}`;
  }
  return `${out}--- ${a}\n+++ ${b}\n${hunks(before, after, maxEditLength)}`;
}

/** The patch of several files, sorted by path (UTF-16 code unit order). */
export function gitPatch(changes: readonly FileChange[], maxEditLength = MAX_EDIT_LENGTH): string {
  return [...changes]
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
    .map((change) => filePatch(change, maxEditLength))
    .join('');
}
