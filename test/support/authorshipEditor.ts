/**
 * Drives an AuthorshipTracker like an editor would: keeps each document's text, turns edits
 * into stamped `doc.edit` events and feeds them (for tests).
 */
import type { Author } from '../../src/authorship/author';
import { AuthorshipTracker, type TrackerOptions } from '../../src/authorship/tracker';
import { applyChanges } from '../../src/replay/apply';
import type { ChangeAttribution, ContentChange, EditCause, TraceEvent } from '../../src/trace/events';
import { TraceBuilder, sha256 } from './traceBuilder';

export class AuthorshipEditor {
  readonly b = new TraceBuilder('s-authorship');
  readonly tracker: AuthorshipTracker;
  readonly texts = new Map<string, string>();
  readonly events: TraceEvent[] = [];
  private readonly versions = new Map<string, number>();

  constructor(options: TrackerOptions = {}) {
    this.tracker = new AuthorshipTracker(options);
  }

  feed(event: TraceEvent): void {
    this.events.push(event);
    this.tracker.apply(event);
  }

  open(path: string, text: string): void {
    this.texts.set(path, text);
    this.versions.set(path, 1);
    this.feed(this.b.open(path, text));
  }

  text(path: string): string {
    const text = this.texts.get(path);
    if (text === undefined) {
      throw new Error(`no text for ${path}`);
    }
    return text;
  }

  /** One `doc.edit` with these changes (applied in order). */
  edit(path: string, changes: ContentChange[], cause: EditCause): void {
    this.texts.set(path, applyChanges(this.text(path), changes));
    const version = (this.versions.get(path) ?? 0) + 1;
    this.versions.set(path, version);
    this.feed(this.b.edit(path, version, changes, cause));
  }

  /** Inserts `text` at `offset`. */
  insert(path: string, offset: number, text: string, cause: EditCause): void {
    this.edit(path, [{ offset, length: 0, text }], cause);
  }

  /** Inserts `text` at the end. */
  append(path: string, text: string, cause: EditCause): void {
    this.insert(path, this.text(path).length, text, cause);
  }

  /** Types `text` one character per event at `offset`. */
  type(path: string, offset: number, text: string): void {
    for (let i = 0; i < text.length; i++) {
      this.insert(path, offset + i, text[i], 'typing');
    }
  }

  /** Replaces the first occurrence of `search` with `text`. */
  replace(path: string, search: string, text: string, cause: EditCause): void {
    const offset = this.text(path).indexOf(search);
    if (offset < 0) {
      throw new Error(`${JSON.stringify(search)} not in ${path}`);
    }
    this.edit(path, [{ offset, length: search.length, text }], cause);
  }

  /** A change on disk (`file.change`) with exact changes, for a file the editor does not have open. */
  diskEdit(path: string, changes: ContentChange[], by: ChangeAttribution): void {
    const after = applyChanges(this.texts.get(path) ?? '', changes);
    this.texts.set(path, after);
    this.feed(this.b.stamp({ kind: 'file.change', path, change: 'changed', changes, added: 0, removed: 0, sha256: sha256(after), size: Buffer.byteLength(after), by }));
  }

  /** A change on disk (`file.change`) carrying a full snapshot. */
  diskSnapshot(path: string, text: string, change: 'created' | 'changed', by: ChangeAttribution): void {
    this.texts.set(path, text);
    this.feed(this.b.stamp({ kind: 'file.change', path, change, text, added: 0, removed: 0, sha256: sha256(text), size: Buffer.byteLength(text), by }));
  }

  /** The `file.change` with `editor: true` that says what made an `external` reload. */
  diskReloadNotice(path: string, by: ChangeAttribution): void {
    const text = this.text(path);
    this.feed(this.b.stamp({ kind: 'file.change', path, change: 'changed', editor: true, added: 0, removed: 0, sha256: sha256(text), size: Buffer.byteLength(text), by }));
  }

  lines(path: string): Author[] | undefined {
    return this.tracker.linesOf(path);
  }
}
