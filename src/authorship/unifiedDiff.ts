/**
 * Reading a unified diff — `git show --unified=0 --format= <sha>` (see gitShow.ts), `git
 * diff`, an episode's final patch, or a plain `---`/`+++` diff — into the line numbers it
 * adds and removes per file. Plain Node; never imports `vscode`.
 *
 * Git's forms are understood: `diff --git` headers (with `a/` and `b/` prefixes, which are
 * removed), C-quoted paths (`"t\303\251st.txt"`), the tab git appends to names with spaces,
 * `/dev/null` for created and deleted files, renames and copies, binary files and `\ No newline
 * at end of file`. Hunk bodies are read by the counts of their `@@` headers, so a line whose
 * content looks like a header is never taken for one. Combined diffs of merges (`diff --cc`,
 * `@@@`) are skipped: ask git for the first-parent diff instead.
 */

/** One file of a diff. */
export interface DiffFile {
  /** Path before; null for a created file. */
  oldPath: string | null;
  /** Path after; null for a deleted file. */
  newPath: string | null;
  /** 1-based line numbers of the new side the diff adds, ascending. */
  added: number[];
  /** The content of those lines (line break and a trailing `\r` removed), parallel to `added`. */
  addedText: string[];
  /** 1-based line numbers of the old side the diff removes, ascending. */
  removed: number[];
  binary: boolean;
  /** A combined diff of a merge, not read. */
  combined: boolean;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Reads a C-quoted name (`"..."`, git's quoting) starting at `text[from]`; returns it and where it ends. */
function unquote(text: string, from: number): { value: string; end: number } {
  const bytes: number[] = [];
  let i = from + 1;
  while (i < text.length && text[i] !== '"') {
    if (text[i] === '\\' && i + 1 < text.length) {
      const octal = /^[0-7]{3}/.exec(text.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(parseInt(octal[0], 8));
        i += 4;
        continue;
      }
      const escaped = ESCAPES[text[i + 1]];
      bytes.push(...(escaped === undefined ? Buffer.from(text[i + 1], 'utf8') : [escaped]));
      i += 2;
      continue;
    }
    const code = text.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    bytes.push(...Buffer.from(char, 'utf8'));
    i += char.length;
  }
  return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
}

/** A name of a `---`/`+++`/`rename` line: quoted, or up to a tab (git appends one to names with spaces). */
function readName(rest: string): string {
  if (rest.startsWith('"')) {
    return unquote(rest, 0).value;
  }
  const tab = rest.indexOf('\t');
  return tab >= 0 ? rest.slice(0, tab) : rest;
}

/** The two names of a `diff --git a/x b/y` header (used when no `---`/`+++` lines follow). */
function readGitHeader(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const first = unquote(rest, 0);
    return [first.value, readName(rest.slice(first.end + 1))];
  }
  const quoted = rest.indexOf(' "');
  if (quoted >= 0) {
    return [rest.slice(0, quoted), unquote(rest, quoted + 1).value];
  }
  // `a/X b/X`: the same name twice, so split in the middle when that holds.
  const mid = (rest.length - 1) / 2;
  if (Number.isInteger(mid) && rest[mid] === ' ' && rest.slice(2, mid) === rest.slice(mid + 3)) {
    return [rest.slice(0, mid), rest.slice(mid + 1)];
  }
  const split = rest.indexOf(' b/');
  return split >= 0 ? [rest.slice(0, split), rest.slice(split + 1)] : undefined;
}

function orNull(name: string): string | null {
  return name === '/dev/null' ? null : name;
}

function stripPrefix(name: string | null, prefix: string, git: boolean): string | null {
  return name !== null && git && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

interface Building extends DiffFile {
  git: boolean;
  sawMinus: boolean;
  sawHunk: boolean;
}

function newFile(git: boolean): Building {
  return { oldPath: null, newPath: null, added: [], addedText: [], removed: [], binary: false, combined: false, git, sawMinus: false, sawHunk: false };
}

/** Reads every file of a unified diff, in order. Never throws; what it cannot read it skips. */
export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: Building[] = [];
  let file: Building | undefined;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = diff.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k];
    if (file !== undefined && (oldLeft > 0 || newLeft > 0)) {
      const c = raw[0];
      if (c === '+' && newLeft > 0) {
        file.added.push(newLine++);
        file.addedText.push(raw.slice(1).replace(/\r$/, ''));
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        file.removed.push(oldLine++);
        oldLeft--;
        continue;
      }
      if ((c === ' ' || raw === '' || raw === '\r') && oldLeft > 0 && newLeft > 0) {
        oldLine++;
        newLine++;
        oldLeft--;
        newLeft--;
        continue;
      }
      if (c === '\\') {
        continue;
      }
      oldLeft = 0; // the hunk ended early (a damaged diff): read the line as a header
      newLeft = 0;
    }
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('diff --git ')) {
      file = newFile(true);
      files.push(file);
      const names = readGitHeader(line.slice('diff --git '.length));
      if (names) {
        file.oldPath = stripPrefix(names[0], 'a/', true);
        file.newPath = stripPrefix(names[1], 'b/', true);
      }
    } else if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      file = newFile(true);
      file.combined = true;
      file.oldPath = file.newPath = readName(line.slice(line.indexOf(' ', 5) + 1));
      files.push(file);
    } else if (line.startsWith('--- ') && (lines[k + 1] ?? '').startsWith('+++ ')) {
      if (file === undefined || file.sawMinus || file.sawHunk) {
        file = newFile(false);
        files.push(file);
      }
      file.sawMinus = true;
      file.oldPath = stripPrefix(orNull(readName(line.slice(4))), 'a/', file.git);
    } else if (line.startsWith('+++ ') && file !== undefined) {
      file.newPath = stripPrefix(orNull(readName(line.slice(4))), 'b/', file.git);
    } else if (file === undefined) {
      continue;
    } else if (line.startsWith('new file mode')) {
      file.oldPath = null;
    } else if (line.startsWith('deleted file mode')) {
      file.newPath = null;
    } else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
      file.oldPath = readName(line.slice(line.indexOf(' from ') + 6));
    } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
      file.newPath = readName(line.slice(line.indexOf(' to ') + 4));
    } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      file.binary = true;
    } else if (!file.combined && HUNK.test(line)) {
      const m = HUNK.exec(line);
      if (m) {
        file.sawHunk = true;
        oldLine = Number(m[1]);
        oldLeft = m[2] === undefined ? 1 : Number(m[2]);
        newLine = Number(m[3]);
        newLeft = m[4] === undefined ? 1 : Number(m[4]);
      }
    }
  }
  return files.map(({ oldPath, newPath, added, addedText, removed, binary, combined }) => ({ oldPath, newPath, added, addedText, removed, binary, combined }));
}

/** The lines a diff adds, per path after the change (deleted files left out; paths in diff order). */
export function addedLinesByPath(diff: string): Map<string, number[]> {
  const result = new Map<string, number[]>();
  for (const file of parseUnifiedDiff(diff)) {
    if (file.newPath !== null) {
      result.set(file.newPath, [...(result.get(file.newPath) ?? []), ...file.added]);
    }
  }
  return result;
}
