/**
 * Comparing rebuilt documents with the files of a workspace folder. Plain Node.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { TracePath } from '../trace/events';
import type { DocState } from './replay';

/**
 * A span where rebuilt and on-disk bytes may legitimately differ (e.g. a redacted
 * secret). `start`/`end` are UTF-8 byte offsets in the rebuilt text (end exclusive);
 * the file holds `diskLength` (default `end - start`) arbitrary bytes in its place.
 * Spans of one file must be sorted and must not overlap.
 */
export interface ExpectedDifference {
  start: number;
  end: number;
  diskLength?: number;
}

/** The outcome for one document. */
export type VerifyResult =
  | { path: TracePath; status: 'ok'; /** Redacted secrets accepted as expected differences. */ redacted?: number }
  | { path: TracePath; status: 'missing' }
  /** The trace's last event deleted it, yet it is on disk (counts as a mismatch). */
  | { path: TracePath; status: 'exists' }
  | {
      path: TracePath;
      status: 'mismatch';
      /** First differing byte offset in the file on disk. */
      offset: number;
      /** The same position as a byte offset in the rebuilt text. */
      rebuiltOffset: number;
      rebuiltBytes: number;
      diskBytes: number;
    };

export interface VerifyOptions {
  /** Expected differences per trace path (the hook for redacted spans). */
  expected?: (path: TracePath) => readonly ExpectedDifference[] | undefined;
  /** Paths the trace deleted last: each must not exist below the folder. */
  deleted?: readonly TracePath[];
}

/**
 * Whether a trace path names a file inside the workspace: not `untitled:`/`outside:`,
 * not absolute, no `..` segment (so it cannot escape the folder it is resolved in).
 */
export function isWorkspacePath(path: TracePath): boolean {
  if (path === '' || path.startsWith('untitled:') || path.startsWith('outside:')) {
    return false;
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\0') || (process.platform === 'win32' && path.includes('\\'))) {
    return false;
  }
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Resolves a workspace trace path below `folder`; undefined when it is not a
 * {@link isWorkspacePath} or would land outside `folder`.
 */
export function resolveTracePath(folder: string, path: TracePath): string | undefined {
  if (!isWorkspacePath(path)) {
    return undefined;
  }
  const full = normalize(join(folder, ...path.split('/')));
  const rel = relative(folder, full);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? undefined : full;
}

/**
 * Compares rebuilt bytes with file bytes, allowing the expected differences.
 * Returns undefined when they match, else the first differing offsets.
 */
export function compareBytes(
  rebuilt: Uint8Array,
  disk: Uint8Array,
  expected: readonly ExpectedDifference[] = [],
): { offset: number; rebuiltOffset: number } | undefined {
  let r = 0;
  let d = 0;
  const literalUntil = (limit: number): { offset: number; rebuiltOffset: number } | undefined => {
    while (r < limit) {
      if (d >= disk.length || rebuilt[r] !== disk[d]) {
        return { offset: d, rebuiltOffset: r };
      }
      r++;
      d++;
    }
    return undefined;
  };
  for (const span of expected) {
    if (span.start < r || span.end < span.start || span.end > rebuilt.length) {
      throw new RangeError(`expected difference ${span.start}-${span.end} is unsorted, overlapping or out of range`);
    }
    const diff = literalUntil(span.start);
    if (diff) {
      return diff;
    }
    const diskLength = span.diskLength ?? span.end - span.start;
    if (d + diskLength > disk.length) {
      return { offset: disk.length, rebuiltOffset: r };
    }
    r = span.end;
    d += diskLength;
  }
  const diff = literalUntil(rebuilt.length);
  if (diff) {
    return diff;
  }
  return d < disk.length ? { offset: d, rebuiltOffset: r } : undefined;
}

const PLACEHOLDER = /«redacted:[a-z0-9-]{1,40}»/g;

/**
 * Redacted secrets as expected differences: each placeholder `«redacted:<rule>»` in the
 * rebuilt text stands for the secret on disk, whose length the trace does not tell. The
 * text between placeholders is aligned with the file to find where each secret ends.
 */
export function placeholderDifferences(rebuiltText: string, disk: Uint8Array): ExpectedDifference[] {
  const spans: ExpectedDifference[] = [];
  const diskBuf = Buffer.from(disk.buffer, disk.byteOffset, disk.byteLength);
  const matches = [...rebuiltText.matchAll(PLACEHOLDER)];
  let r = 0; // byte offset in rebuilt
  let d = 0; // byte offset in disk
  let textPos = 0;
  for (let i = 0; i < matches.length; i++) {
    const m = matches[i];
    const before = Buffer.from(rebuiltText.slice(textPos, m.index), 'utf8');
    r += before.length;
    d += before.length;
    const placeholderBytes = Buffer.byteLength(m[0], 'utf8');
    const nextEnd = i + 1 < matches.length ? matches[i + 1].index : rebuiltText.length;
    const after = Buffer.from(rebuiltText.slice(m.index + m[0].length, nextEnd), 'utf8');
    let secretEnd: number;
    if (after.length === 0) {
      secretEnd = i + 1 < matches.length ? d : disk.length;
    } else if (i + 1 === matches.length) {
      secretEnd = disk.length - after.length; // the rest of the file is literal
    } else {
      secretEnd = diskBuf.indexOf(after, d);
    }
    if (secretEnd < d) {
      break; // no alignment: the comparison reports the mismatch
    }
    spans.push({ start: r, end: r + placeholderBytes, diskLength: secretEnd - d });
    r += placeholderBytes;
    d = secretEnd;
    textPos = m.index + m[0].length;
  }
  return spans;
}

/**
 * Compares every replayable, workspace-relative rebuilt document (typed in the editor or
 * written by a tool) with the file at the same path below `folder`, byte for byte (UTF-8
 * bytes of the rebuilt text against the file's bytes). Other documents are not checked.
 * Each of `options.deleted` that exists below `folder` is an `exists` result. Results are
 * in path order.
 */
export function verifyDocuments(
  documents: ReadonlyMap<TracePath, Pick<DocState, 'text' | 'replayable'>>,
  folder: string,
  options: VerifyOptions = {},
): VerifyResult[] {
  const results: VerifyResult[] = [];
  for (const path of [...documents.keys()].sort()) {
    const doc = documents.get(path);
    const file = resolveTracePath(folder, path);
    if (!doc || !doc.replayable || file === undefined) {
      continue;
    }
    let disk: Buffer;
    try {
      disk = readFileSync(file);
    } catch {
      results.push({ path, status: 'missing' });
      continue;
    }
    const rebuilt = Buffer.from(doc.text, 'utf8');
    const given = options.expected?.(path);
    const redacted = given === undefined && doc.text.includes('«redacted:') ? placeholderDifferences(doc.text, disk) : undefined;
    const diff = compareBytes(rebuilt, disk, given ?? redacted);
    results.push(
      diff
        ? { path, status: 'mismatch', offset: diff.offset, rebuiltOffset: diff.rebuiltOffset, rebuiltBytes: rebuilt.length, diskBytes: disk.length }
        : { path, status: 'ok', ...(redacted?.length ? { redacted: redacted.length } : {}) },
    );
  }
  for (const path of options.deleted ?? []) {
    const file = resolveTracePath(folder, path);
    if (file !== undefined && !documents.has(path) && existsSync(file)) {
      results.push({ path, status: 'exists' });
    }
  }
  return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
