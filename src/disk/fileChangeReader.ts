/**
 * What one changed file amounts to, once read (changeTracker.ts reads the files of a closed
 * batch one per turn and asks this): the exact change from the last known content in the
 * content store, a snapshot, a deletion, or only a hash (binary, too large). Updates the store
 * to the new content. Plain Node.
 *
 * - gone: `deleted` (removed lines counted when the last content is known), unless the batch
 *   saw it created and it was never known (a temporary file): nothing;
 * - a folder or other non-file: nothing;
 * - over the size bound: hashed as a stream (fileRead.ts), `omitted: 'too-large'`;
 * - binary (a NUL in the first 8 KB, or not valid UTF-8): `omitted: 'binary'`;
 * - same SHA-256 as the content store holds: nothing (the editor's own saves end here);
 * - otherwise the exact change from the last known text: `changes` + `diff` + line counts. A
 *   file never seen (or evicted) gets `text`, a snapshot, unless the watcher reported it
 *   created: then its base is empty. A diff over its bounds falls back to `text`. When the
 *   old or the new text holds a secret (`containsSecret`), `text` is given instead of
 *   `changes` (the privacy stage redacts `text` and `diff`; replay continues from the
 *   redacted snapshot). For a file open in the editor (`isOpenInEditor`), `editor: true` and
 *   neither `changes` nor `text` (its content arrives as the editor's `doc.edit`, cause
 *   `external`).
 * Text is decoded as UTF-8 with a leading byte-order mark dropped, as the editor shows it;
 * `sha256` and `size` are those of the bytes.
 */
import { createHash } from 'node:crypto';
import { estimateLineCounts, type DiffLimits } from '../semantic/editSteps';
import type { NewEventOf, TracePath } from '../trace/events';
import type { WatchChange } from './bulkSummary';
import type { ContentStore } from './contentStore';
import type { FileRead } from './fileRead';
import { diffTexts, lineCount } from './textDiff';

export type FileChangeBody = Omit<NewEventOf<'file.change'>, 'kind' | 'by'>;

/** The file as its batch saw it: its path and the first change the watcher reported in the burst. */
export interface ReadEntry {
  path: TracePath;
  first: WatchChange;
}

export interface FileChangeReaderOptions {
  store: ContentStore;
  limits: DiffLimits;
  /** Whether the editor has the file open (then `editor: true`, no `changes`/`text`). */
  isOpenInEditor: (path: TracePath) => boolean;
  /** Whether a text holds a secret (then `text` instead of `changes`). */
  containsSecret: ((text: string) => boolean) | undefined;
}

const BINARY_PROBE = 8 * 1024;
/** Paths whose last text's secret check is remembered. */
const SECRET_MEMO = 1024;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes`, or undefined when they are binary (a NUL in the first 8 KB, or not UTF-8). */
export function decodeText(bytes: Uint8Array): string | undefined {
  const probe = Math.min(bytes.length, BINARY_PROBE);
  for (let i = 0; i < probe; i++) {
    if (bytes[i] === 0) return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** See the module comment. */
export class FileChangeReader {
  private readonly store: ContentStore;
  private readonly limits: DiffLimits;
  private readonly isOpenInEditor: (path: TracePath) => boolean;
  private readonly containsSecret: ((text: string) => boolean) | undefined;
  /** Whether the last text of a path held a secret, when it was scanned as new text. */
  private readonly secretMemo = new Map<TracePath, boolean>();

  constructor(options: FileChangeReaderOptions) {
    this.store = options.store;
    this.limits = options.limits;
    this.isOpenInEditor = options.isOpenInEditor;
    this.containsSecret = options.containsSecret;
  }

  /** The path's content came from elsewhere (the editor saved it): what was remembered about its text no longer holds. */
  forgetText(path: TracePath): void {
    this.secretMemo.delete(path);
  }

  /** What the change of one file, now read as `file`, amounts to; undefined: nothing to record. */
  async read(entry: ReadEntry, file: FileRead): Promise<FileChangeBody | undefined> {
    if (file.kind === 'other') {
      return undefined;
    }
    const editor = this.isOpenInEditor(entry.path);
    if (file.kind === 'missing') {
      return this.deleted(entry, editor);
    }
    if (file.kind === 'large') {
      return this.hashOnly(entry, file.sha256, file.size, 'too-large', editor, await this.store.hashOf(entry.path));
    }
    const bytes = file.bytes;
    const hash = sha256(bytes);
    const known = await this.store.hashOf(entry.path);
    if (known === hash) {
      return undefined;
    }
    const newText = decodeText(bytes);
    if (newText === undefined) {
      return this.hashOnly(entry, hash, bytes.length, 'binary', editor, known);
    }
    const oldBytes = known !== undefined ? await this.store.get(entry.path) : undefined;
    const oldText = oldBytes ? decodeText(oldBytes) : undefined;
    await this.store.put(entry.path, bytes);
    if (oldText !== undefined && oldText === newText) {
      return undefined; // only a byte-order mark differs
    }
    const created = known === undefined && entry.first === 'created';
    const body: FileChangeBody = { path: entry.path, change: created ? 'created' : 'changed', added: 0, removed: 0, sha256: hash, size: bytes.length };
    const remembered = this.secretMemo.get(entry.path); // about the previous text, if scanned when it was new
    const hasSecret = this.secretIn(entry.path, newText);
    const base = oldText ?? (created ? '' : undefined);
    if (base === undefined) {
      // first seen, evicted or forgotten: a snapshot
      return editor ? { ...body, editor: true } : { ...body, text: newText };
    }
    const d = diffTexts(entry.path, base, newText, this.limits);
    if (!d) {
      const estimate = estimateLineCounts(base, newText);
      return editor ? { ...body, ...estimate, editor: true } : { ...body, ...estimate, text: newText };
    }
    const counted: FileChangeBody = { ...body, diff: d.diff, added: d.added, removed: d.removed };
    if (editor) {
      return { ...counted, editor: true };
    }
    if (hasSecret || (base !== '' && (remembered ?? this.hadSecret(base)))) {
      return { ...counted, text: newText };
    }
    return { ...body, changes: d.changes, diff: d.diff, added: d.added, removed: d.removed };
  }

  private async deleted(entry: ReadEntry, editor: boolean): Promise<FileChangeBody | undefined> {
    const known = await this.store.hashOf(entry.path);
    if (known === undefined && entry.first === 'created') {
      return undefined; // created and removed within the burst: a temporary file
    }
    const old = known !== undefined ? await this.store.get(entry.path) : undefined;
    const oldText = old ? decodeText(old) : undefined;
    await this.store.forget(entry.path);
    this.secretMemo.delete(entry.path);
    const body: FileChangeBody = { path: entry.path, change: 'deleted', added: 0, removed: oldText ? lineCount(oldText) : 0, sha256: null, size: null };
    return editor ? { ...body, editor: true } : body;
  }

  private async hashOnly(entry: ReadEntry, hash: string, size: number, omitted: 'binary' | 'too-large', editor: boolean, previous: string | undefined): Promise<FileChangeBody | undefined> {
    if (previous === hash) {
      return undefined;
    }
    await this.store.putHash(entry.path, hash);
    this.secretMemo.delete(entry.path);
    const created = previous === undefined && entry.first === 'created';
    const body: FileChangeBody = { path: entry.path, change: created ? 'created' : 'changed', added: 0, removed: 0, sha256: hash, size, omitted };
    return editor ? { ...body, editor: true } : body;
  }

  /** Whether `text`, the new content of `path`, holds a secret; remembered for the next change of the path. */
  private secretIn(path: TracePath, text: string): boolean {
    if (!this.containsSecret) {
      return false;
    }
    const found = this.containsSecret(text);
    this.secretMemo.delete(path);
    this.secretMemo.set(path, found);
    if (this.secretMemo.size > SECRET_MEMO) {
      const oldest = this.secretMemo.keys().next();
      if (!oldest.done) this.secretMemo.delete(oldest.value);
    }
    return found;
  }

  /** Whether the previous text held a secret (when it was not remembered). */
  private hadSecret(previous: string): boolean {
    return this.containsSecret ? this.containsSecret(previous) : false;
  }
}
