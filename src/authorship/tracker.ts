/**
 * The authorship tracker: consumes trace events in order and keeps, for every document it can
 * replay, who wrote each character. Plain Node; never imports `vscode`.
 *
 * What each event does (see origins.ts for the origin of each cause and attribution):
 * - `doc.open` with text: a document seen for the first time is all `unknown` (it existed
 *   before); a known one keeps its origins if the text is unchanged, else its unchanged lines
 *   keep theirs and the changed lines become `unknown` (rebase.ts). Not replayable: forgotten.
 * - `doc.edit`: inserted text gets the origin of the cause; `undo`/`redo` restore the origin
 *   the text had when it was removed (undo.ts). An edit that does not fit: forgotten.
 * - `file.change` with `changes`: applied, inserted text gets the origin of `by`
 *   (`git` → unknown, `extension` → assistant, a known agent CLI → agent, else tool); ignored
 *   for a file the tracker does not know.
 * - `file.change` with `text`: `created` → all of it by `by`; a known file → rebased, changed
 *   lines by `by`; a file seen for the first time → all `unknown`.
 * - `file.change` with `editor: true` (and `file.bulk`, for its listed paths): says what
 *   made the `external` reload of an open file, whose text otherwise counts as `tool`: the
 *   reload just before (or the next one, within {@link EXTERNAL_MATCH_MS}) takes the origin
 *   of `by`, so a `git checkout` of an open file is `unknown` and an agent CLI's edit `agent`.
 * - `file.change` deleted, omitted (binary, too large) or without content: forgotten.
 * - `file.rename` moves the state (a folder: everything below it); `file.delete` forgets
 *   it; `doc.close` keeps it. Other kinds are ignored.
 *
 * Memory: documents are kept in least-recently-used order and the oldest are forgotten while
 * their texts hold more than `maxCharacters` code units in all (default 32 Mi) or there are
 * more than `maxDocuments` (default 4096). Per document, the runs take memory in proportion to
 * the number of author changes, and the removals kept for undo are bounded (undo.ts).
 */
import type { AuthorshipCounts, ChangeAttribution, ContentChange, TracePath, TraceEvent } from '../trace/events';
import type { Author } from './author';
import { attributeCommit, countLines, type CommitAttribution, type CommittedFile } from './commit';
import { TrackedDocument } from './document';
import { gitLines, matchLines, validLines } from './lineMatch';
import { classifyLines, classifySomeLines, type LineAuthorship } from './lines';
import { originOfCause, originOfChange } from './origins';
import type { AttributedLine } from './ranges';
import type { Run } from './runs';
import { isAtOrUnder } from '../trace/pathUnder';

export const DEFAULT_MAX_CHARACTERS = 32 * 1024 * 1024;
export const DEFAULT_MAX_DOCUMENTS = 4096;

/** How far apart (trace time) a `file.change` with `editor: true` and its `external` reload may be. */
export const EXTERNAL_MATCH_MS = 10_000;

/** Most attributions of reloads still to come that are remembered. */
const MAX_PENDING_RELOADS = 1000;

export interface TrackerOptions {
  /** Most code units of text kept over all documents (least recently used forgotten first). */
  maxCharacters?: number;
  /** Most documents kept (least recently used forgotten first); bounds the per-document overhead of many small files. */
  maxDocuments?: number;
}

export class AuthorshipTracker {
  private readonly docs = new Map<TracePath, TrackedDocument>();
  private readonly reloads = new Map<TracePath, { by: ChangeAttribution; ts: number }>();
  private readonly maxCharacters: number;
  private readonly maxDocuments: number;
  private total = 0;

  constructor(options: TrackerOptions = {}) {
    this.maxCharacters = options.maxCharacters ?? DEFAULT_MAX_CHARACTERS;
    this.maxDocuments = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  }

  /** Code units of text held over all documents. */
  get characters(): number {
    return this.total;
  }

  /** Paths of the documents held, least recently used first. */
  paths(): TracePath[] {
    return [...this.docs.keys()];
  }

  /** Consumes one event (in trace order). Never throws: a malformed event forgets what it concerns. */
  apply(event: TraceEvent): void {
    try {
      this.dispatch(event);
    } catch {
      const path = (event as { path?: unknown }).path;
      if (typeof path === 'string') {
        this.forget(path);
      }
    }
  }

  private dispatch(event: TraceEvent): void {
    switch (event.kind) {
      case 'doc.open': {
        if (!event.replayable || typeof event.text !== 'string') {
          this.forget(event.path);
          return;
        }
        const text = event.text;
        this.update(event.path, (doc) => {
          if (doc === undefined) {
            return new TrackedDocument(text, [{ origin: 'unknown', length: text.length }]);
          }
          if (doc.getText() !== text) {
            doc.replaceText(text, 'unknown');
          }
          return doc;
        });
        return;
      }
      case 'doc.edit': {
        if (!this.docs.has(event.path)) {
          return;
        }
        let origin = originOfCause(event.cause);
        const external = event.cause === 'external';
        const reload = this.reloads.get(event.path);
        if (reload !== undefined) {
          this.reloads.delete(event.path);
          if (external && Math.abs(event.ts - reload.ts) <= EXTERNAL_MATCH_MS) {
            origin = originOfChange(reload.by);
          }
        }
        const restore = event.cause === 'undo' || event.cause === 'redo';
        this.edit(event.path, event.changes, { origin, restore, external, ts: event.ts });
        return;
      }
      case 'file.change':
        this.fileChange(event);
        return;
      case 'file.bulk':
        for (const path of event.paths) {
          this.expectReload(path, event.by, event.ts);
        }
        return;
      case 'file.rename':
        this.rename(event.from, event.to);
        return;
      case 'file.delete':
        for (const path of [...this.docs.keys()]) {
          if (isAtOrUnder(path, event.path)) {
            this.forget(path);
          }
        }
        return;
      default:
        return; // doc.close keeps the state; other kinds change no text
    }
  }

  private fileChange(event: Extract<TraceEvent, { kind: 'file.change' }>): void {
    const { path, by } = event;
    if (event.change === 'deleted' || event.omitted !== undefined) {
      this.forget(path);
      return;
    }
    const origin = originOfChange(by);
    if (event.editor === true) {
      const doc = this.docs.get(path);
      if (doc === undefined || !doc.relabelExternal(origin, event.ts, EXTERNAL_MATCH_MS)) {
        this.expectReload(path, by, event.ts);
      }
      return;
    }
    if (Array.isArray(event.changes)) {
      if (this.docs.has(path)) {
        this.edit(path, event.changes, { origin, restore: false, external: false, ts: event.ts });
      }
      return;
    }
    if (typeof event.text === 'string') {
      const text = event.text;
      this.update(path, (doc) => {
        if (event.change === 'created' || doc === undefined) {
          return new TrackedDocument(text, [{ origin: event.change === 'created' ? origin : 'unknown', length: text.length }]);
        }
        doc.replaceText(text, origin);
        return doc;
      });
      return;
    }
    this.forget(path); // changed, but the trace does not say how: what we hold is stale
  }

  private expectReload(path: TracePath, by: ChangeAttribution, ts: number): void {
    this.reloads.delete(path);
    this.reloads.set(path, { by, ts });
    if (this.reloads.size > MAX_PENDING_RELOADS) {
      const oldest = this.reloads.keys().next();
      if (oldest.done !== true) {
        this.reloads.delete(oldest.value);
      }
    }
  }

  private edit(path: TracePath, changes: readonly ContentChange[], how: Parameters<TrackedDocument['applyEdit']>[1]): void {
    if (!Array.isArray(changes)) {
      this.forget(path);
      return;
    }
    let ok = true;
    this.update(path, (doc) => {
      ok = doc !== undefined && doc.applyEdit(changes, how);
      return doc;
    });
    if (!ok) {
      this.forget(path);
    }
  }

  /** Runs `change` on the state of `path` (undefined: none) and keeps what it returns as most recently used. */
  private update(path: TracePath, change: (doc: TrackedDocument | undefined) => TrackedDocument | undefined): void {
    const before = this.docs.get(path);
    const beforeLength = before?.length ?? 0;
    this.docs.delete(path);
    const after = change(before);
    this.total -= beforeLength;
    if (after !== undefined) {
      this.docs.set(path, after);
      this.total += after.length;
    }
    this.evict();
  }

  private evict(): void {
    for (const [path, doc] of this.docs) {
      if (this.total <= this.maxCharacters && this.docs.size <= this.maxDocuments) {
        return;
      }
      this.docs.delete(path);
      this.total -= doc.length;
    }
  }

  private forget(path: TracePath): void {
    const doc = this.docs.get(path);
    if (doc !== undefined) {
      this.docs.delete(path);
      this.total -= doc.length;
    }
  }

  private rename(from: TracePath, to: TracePath): void {
    if (from === to) {
      return;
    }
    const moves: [TracePath, TracePath, TrackedDocument][] = [];
    for (const [path, doc] of this.docs) {
      if (isAtOrUnder(path, from)) {
        moves.push([path, to + path.slice(from.length), doc]);
      }
    }
    for (const [oldPath] of moves) {
      this.forget(oldPath);
    }
    for (const [, newPath, doc] of moves) {
      this.forget(newPath);
      this.docs.set(newPath, doc);
      this.total += doc.length;
    }
  }

  /** Whether the tracker holds a replayable text for `path`. */
  has(path: TracePath): boolean {
    return this.docs.has(path);
  }

  /** The current text of `path`, as the trace rebuilds it. */
  textOf(path: TracePath): string | undefined {
    return this.docs.get(path)?.getText();
  }

  /** Origins of the current text of `path` as runs (they sum to its length). */
  runsOf(path: TracePath): Run[] | undefined {
    return this.docs.get(path)?.getRuns();
  }

  /** Author and contribution of every line of the current text (VS Code's lines, mixed-line rule). */
  lineAuthorship(path: TracePath): LineAuthorship[] | undefined {
    const doc = this.docs.get(path);
    return doc === undefined ? undefined : classifyLines(doc.getText(), doc.getRuns());
  }

  /** The author of every line of the current text of `path` (VS Code's lines, mixed-line rule). */
  linesOf(path: TracePath): Author[] | undefined {
    return this.lineAuthorship(path)?.map((l) => l.author);
  }

  /**
   * Who each of `addedLines` (1-based lines of `committedText`, as git numbers them) is
   * counted for: a committed line identical to a tracked line it corresponds to in a line
   * diff takes that line's author; any other line is `unknown`. Out-of-range numbers and
   * repeats are ignored. Undefined when `path` has no replayable text.
   */
  attributeLines(path: TracePath, committedText: string, addedLines: readonly number[]): AttributedLine[] | undefined {
    const doc = this.docs.get(path);
    if (doc === undefined) {
      return undefined;
    }
    const text = doc.getText();
    // the committed text is often the tracked one (an episode's patch, a commit of what the editor holds): no diff then
    const same = committedText === text;
    const committed = gitLines(committedText);
    const map = same ? undefined : matchLines(gitLines(text), committed);
    const added = validLines(addedLines, committed.length);
    const trackedOf = (line: number): number => (map === undefined ? line - 1 : map[line - 1]);
    const lines = classifySomeLines(
      text,
      doc.getRuns(),
      added.map(trackedOf).filter((t) => t >= 0),
    );
    return added.map((line) => {
      const tracked = trackedOf(line);
      const who = tracked >= 0 ? lines.get(tracked) : undefined;
      return { line, author: who?.author ?? 'unknown', contribution: who?.contribution ?? 'unknown' };
    });
  }

  /** {@link attributeLines}, counted by author. Undefined when `path` has no replayable text. */
  attribute(path: TracePath, committedText: string, addedLines: readonly number[]): AuthorshipCounts | undefined {
    const lines = this.attributeLines(path, committedText, addedLines);
    return lines === undefined ? undefined : countLines(lines);
  }

  /** Authorship of a commit's added lines (`git.commit.authorship`), and the same lines as ranges. */
  attributeCommit(files: readonly CommittedFile[]): CommitAttribution {
    return attributeCommit(this, files);
  }

  /** Authorship of a commit's added lines, for `git.commit.authorship`. */
  commitAuthorship(files: readonly CommittedFile[]): CommitAttribution['authorship'] {
    return this.attributeCommit(files).authorship;
  }
}
