/**
 * Where to open a file for an edit step: the first line its unified diff changed, counted
 * in the text after the step (the hunk header's `+start`, moved past the leading context
 * lines). Only the first hunk is read.
 */

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/** 1-based line in the new text, or undefined when the diff has no hunk (e.g. an empty diff of a document that is not replayable). */
export function firstChangedLine(diff: string): number | undefined {
  let pos = 0;
  let line: number | undefined;
  while (pos < diff.length) {
    const nl = diff.indexOf('\n', pos);
    const end = nl < 0 ? diff.length : nl;
    const text = diff.slice(pos, end);
    pos = end + 1;
    if (line === undefined) {
      const m = HUNK.exec(text);
      if (m) {
        const start = Number(m[1]);
        const count = m[2] === undefined ? 1 : Number(m[2]);
        // `+N,0`: nothing left in the new text; N is the line before the change.
        line = count === 0 ? Math.max(1, start + 1) : Math.max(1, start);
        if (count === 0) {
          return line;
        }
      }
      continue;
    }
    const first = text.charAt(0);
    if (first === '+' || first === '-') {
      return line;
    }
    if (first === ' ') {
      line++;
    } else if (first === '@') {
      break; // a second hunk without a change in the first: keep the first hunk's start
    }
  }
  return line;
}

/** Trace paths that name a file in a workspace folder (not untitled, outside or excluded). */
export function isOpenablePath(path: string): boolean {
  return path.length > 0 && !/^(untitled|outside|excluded):/.test(path) && !path.split('/').includes('..');
}
