/**
 * Mapping the lines of a committed file to the lines the tracker holds, by a line diff: a
 * committed line is matched only to an identical tracked line (line breaks aside, so CRLF and
 * LF copies match). Plain Node; never imports `vscode`.
 */
import { diffArrays } from 'diff';
import { splitLines } from './lines';

/** Beyond this many differing lines the ordered diff gives up and lines are matched by content. */
export const MATCH_MAX_EDIT_LENGTH = 4000;

/**
 * The lines of a file as git numbers them: a text ending with a line break has no extra empty
 * line, and an empty text has none.
 */
export function gitLines(text: string): string[] {
  const lines = splitLines(text);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

/**
 * For each committed line (0-based), the 0-based index of the tracked line it is, or -1 when
 * no identical tracked line corresponds. An ordered diff (longest common subsequence, as git
 * diffs); when the texts differ in more than {@link MATCH_MAX_EDIT_LENGTH} lines, each
 * committed line takes the first unused identical tracked line instead.
 */
export function matchLines(tracked: readonly string[], committed: readonly string[]): number[] {
  const map = committed.map(() => -1);
  const changes = diffArrays([...tracked], [...committed], { maxEditLength: MATCH_MAX_EDIT_LENGTH });
  if (changes !== undefined) {
    let t = 0;
    let c = 0;
    for (const change of changes) {
      if (change.added) {
        c += change.count;
      } else if (change.removed) {
        t += change.count;
      } else {
        for (let k = 0; k < change.count; k++) {
          map[c + k] = t + k;
        }
        t += change.count;
        c += change.count;
      }
    }
    return map;
  }
  const free = new Map<string, number[]>();
  for (let t = tracked.length - 1; t >= 0; t--) {
    const list = free.get(tracked[t]);
    if (list) {
      list.push(t);
    } else {
      free.set(tracked[t], [t]);
    }
  }
  for (let c = 0; c < committed.length; c++) {
    const t = free.get(committed[c])?.pop();
    if (t !== undefined) {
      map[c] = t;
    }
  }
  return map;
}

/** The distinct line numbers of `lines` that exist in a text of `count` lines (1-based), ascending. */
export function validLines(lines: readonly number[], count: number): number[] {
  return [...new Set(lines)].filter((n) => Number.isInteger(n) && n >= 1 && n <= count).sort((a, b) => a - b);
}

/**
 * The 1-based lines of `after` (as git numbers them) that a line diff does not find in
 * `before`: the lines a change from `before` to `after` adds, ascending.
 */
export function addedLineNumbers(before: string, after: string): number[] {
  const map = matchLines(gitLines(before), gitLines(after));
  const added: number[] = [];
  for (let i = 0; i < map.length; i++) {
    if (map[i] < 0) {
      added.push(i + 1);
    }
  }
  return added;
}
