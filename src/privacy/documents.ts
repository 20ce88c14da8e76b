/**
 * Secrets in documents, for the privacy stage: snapshots (`doc.open`) and edits (`doc.edit`)
 * are rewritten so that the trace is always a valid history of a *redacted view* of each
 * document, never of its real text. Plain Node, synchronous; never imports `vscode`.
 *
 * This file is the model, {@link DocumentPrivacy} and its types. The release of one
 * document's held edits is documentRelease.ts's; the secret spans it keeps (the view, the
 * searches, the merge) are in secretSpans.ts; the chunked copy of the text a release
 * applies the held changes to is in chunkedText.ts.
 *
 * For each document with a replayable snapshot this keeps the real text R and its secret
 * spans S (real coordinates, sorted, disjoint). The view is T = R with every span replaced by
 * its placeholder `«redacted:<rule>»` (see {@link redactSpans}); the trace holds the view of
 * the last `doc.open` followed by edits of the view, so replaying it gives T.
 *
 * Edits are held ({@link DocumentPrivacy.hold}, O(1)) and released in batches
 * ({@link DocumentPrivacy.release}), because a secret typed one character per edit can only
 * be recognised once complete. A release applies the held changes to R, re-scans the touched
 * region (plus `contextChars` on both sides) and then either
 * - passes the edits on with their offsets mapped from real to view coordinates (keystroke
 *   fidelity) when no change touched a secret, no secret appeared, changed or vanished, and
 *   no state between the held edits held a secret that is not there at the end (each
 *   inserted text is scanned on its own, and before each held edit after the first the text
 *   within min(contextChars, 256) of it: a secret pasted or typed and then broken again
 *   before the release must not reach the trace edit by edit), or
 * - emits one synthetic `doc.edit` that turns the old view into the new one.
 *
 * A release costs one pass over the held changes, never (document size × edits): see
 * documentRelease.ts.
 *
 * Spans are sticky: a detected secret follows its text through later edits, shrinking when
 * some of its characters are deleted and growing when text is inserted strictly inside it,
 * and is dropped only when all its characters are gone. A re-scan can add spans (merged with
 * overlapping ones) but never un-redacts surviving characters of a detected secret, e.g. the
 * first seven characters of a password after one backspace, or a value whose key was renamed.
 * A later `doc.open` takes a fresh full scan, which is the only place where they can differ.
 *
 * Limitation, by design: a secret typed slowly across two releases reaches the trace
 * partially. The first release cannot recognise the incomplete secret and passes its prefix
 * on; the second recognises it and emits a synthetic edit replacing the prefix too, so the
 * view no longer shows any of it, but the earlier events did carry the prefix. The caller
 * decides how long to hold (e.g. until the edit step closes); holding longer shrinks the
 * window.
 */
import type { NewEventOf, TracePath } from '../trace/events';
import { sha256 } from '../trace/identity';
import { releaseDocument, releaseWithoutState, type DocState, type Output, type Pending, type ReleaseContext } from './documentRelease';
import { placeholder } from './redact';
import { normalize, redactSpans, type SecretSpan } from './secretSpans';
import { isAtOrUnder } from '../trace/pathUnder';

/** Finds the secrets of a text (e.g. `(t) => redactor.scan(t)`): offsets into `text`. */
export type Scan = (text: string) => readonly { rule: string; start: number; end: number }[];

/** An edit held back until its document is released. */
export interface HeldEdit {
  event: NewEventOf<'doc.edit'>;
  ts: number;
}

/** An edit ready to be written: the held one mapped to the view, or a synthetic one. */
export interface Released {
  event: NewEventOf<'doc.edit'>;
  /** When it happened: the held edit's `ts` (a synthetic edit has its last held edit's). */
  ts: number;
}

/** One secret replaced by a placeholder (for `privacy.redacted`: rule and where, never the value). */
export interface DocumentRedaction {
  rule: string;
  path: TracePath;
}

export interface DocumentPrivacyResult<E> {
  event: E;
  redactions: DocumentRedaction[];
}

export interface ReleaseResult {
  /** Edits to write, in the order they were held (across documents when all are released). */
  events: Released[];
  /** One per secret that appeared in the released edits. */
  redactions: DocumentRedaction[];
  /**
   * Documents whose held edits did not fit the text they were recorded against (an edit
   * missed or out of order): their edits were dropped and their state cleared. The caller
   * should emit a new `doc.open` snapshot for each (through {@link DocumentPrivacy.open}).
   */
  resnapshot: TracePath[];
}

export interface DocumentPrivacyOptions {
  /**
   * Characters re-scanned on each side of the region touched by a release (default 4096).
   * Must exceed the longest secret a rule can find plus the context it needs before it (a
   * key name, a `BEGIN` line): a secret completed by an edit is only seen if it lies within
   * this distance of the edit. The region is also widened to whole lines when the line's
   * start or end is within this distance, and to whole secrets it would cut.
   */
  contextChars?: number;
  /** Held edits per document at which {@link DocumentPrivacy.hold} asks for a release (default 5000). */
  maxHeldEdits?: number;
}

/** Runs steps (of {@link DocumentPrivacy.releaseInSteps}) to the end and returns what they return. */
export function finishSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) {
      return next.value;
    }
  }
}

/**
 * Keeps secrets of documents out of `doc.open` and `doc.edit` events while the trace stays
 * replayable. Synchronous; one instance per recorder. See the module comment for the model.
 *
 * Calling order the privacy stage must keep (all synchronous):
 * - `doc.open` → release the path first if edits are held for it (a snapshot supersedes
 *   them: `open` discards them), then {@link open}; write the returned event.
 * - `doc.edit` → {@link hold}; write nothing yet. When `hold` returns true, release that path.
 * - before writing an event that must come after a document's edits (its save, close,
 *   rename or delete, a run, a commit) and when the edit step closes (a pause): release it
 *   (or everything) and write the returned events first, each with its `ts`, without passing
 *   them through `hold` again, plus one `privacy.redacted` per redaction. Every
 *   `resnapshot` path needs a fresh `doc.open`.
 * - `file.rename` → release, write the rename, {@link rename}; `doc.close` → release, write
 *   the close, {@link close}.
 */
export class DocumentPrivacy {
  private readonly docs = new Map<TracePath, DocState>();
  private readonly pending = new Map<TracePath, Pending[]>();
  private seq = 0;
  private readonly maxHeldEdits: number;
  private readonly placeholderLengths = new Map<string, number>();
  private readonly releaseContext: ReleaseContext;

  constructor(
    private readonly scan: Scan,
    options: DocumentPrivacyOptions = {},
  ) {
    this.maxHeldEdits = Math.max(1, Math.floor(options.maxHeldEdits ?? 5000));
    this.releaseContext = {
      scan,
      contextChars: Math.max(0, Math.floor(options.contextChars ?? 4096)),
      placeholderDelta: (span) => this.placeholderDelta(span),
      desync: (path, result) => this.desync(path, result),
    };
  }

  /**
   * A snapshot. Replayable (with text): full scan, the text becomes the view (`length` and
   * `sha256` describe the view), one redaction per secret; the document's state is (re)set.
   * Not replayable: passed through and the state cleared (its edits are then released with
   * secrets in their inserted texts redacted, see {@link release}). Either way, edits still
   * held for the path are discarded.
   */
  open(event: NewEventOf<'doc.open'>): DocumentPrivacyResult<NewEventOf<'doc.open'>> {
    const path = event.path;
    this.pending.delete(path);
    if (!event.replayable || typeof event.text !== 'string') {
      this.docs.delete(path);
      return { event, redactions: [] };
    }
    const text = event.text;
    const spans = normalize(this.scan(text), text.length, 0);
    this.docs.set(path, { real: text, spans });
    if (spans.length === 0) {
      return { event, redactions: [] };
    }
    const view = redactSpans(text, spans);
    return {
      event: { ...event, text: view, length: view.length, sha256: sha256(view) },
      redactions: spans.map((s) => ({ rule: s.rule, path })),
    };
  }

  /**
   * Holds an edit until its document is released: O(1), no scanning. Returns true when the
   * document has {@link DocumentPrivacyOptions.maxHeldEdits} or more held edits: release it
   * now (the edits stay held otherwise; nothing is dropped).
   */
  hold(event: NewEventOf<'doc.edit'>, ts: number): boolean {
    let list = this.pending.get(event.path);
    if (list === undefined) {
      list = [];
      this.pending.set(event.path, list);
    }
    list.push({ seq: ++this.seq, event, ts });
    return list.length >= this.maxHeldEdits;
  }

  /** Whether `path` holds so many edits that it should be released now. */
  mustRelease(path: TracePath): boolean {
    return (this.pending.get(path)?.length ?? 0) >= this.maxHeldEdits;
  }

  /** How many documents hold edits. */
  heldDocuments(): number {
    return this.pending.size; // a document's list leaves the map when it is released
  }

  /** The documents with held edits, the one whose first held edit came first, first. */
  heldPaths(): TracePath[] {
    return [...this.pending]
      .filter(([, entries]) => entries.length > 0)
      .sort((a, b) => a[1][0].seq - b[1][0].seq)
      .map(([path]) => path);
  }

  /** How many edits are held for `path`, or for all documents. */
  held(path?: TracePath): number {
    if (path !== undefined) {
      return this.pending.get(path)?.length ?? 0;
    }
    let n = 0;
    for (const list of this.pending.values()) {
      n += list.length;
    }
    return n;
  }

  /**
   * Releases the held edits of `path` (of every document when undefined). For a document
   * with a replayable snapshot, either the edits themselves with offsets mapped to the view
   * (nothing secret touched, appeared, changed or vanished) or one synthetic edit from the
   * old view to the new one (version and ts of the last held edit, its most frequent cause;
   * `changes: []` when the view did not change). Edits of documents without state are
   * released one by one, offsets unchanged, with secrets in their inserted texts replaced by
   * placeholders (such documents are not replayable anyway).
   */
  release(path?: TracePath): ReleaseResult {
    const result: ReleaseResult = { events: [], redactions: [], resnapshot: [] };
    const paths = path === undefined ? [...this.pending.keys()] : this.pending.has(path) ? [path] : [];
    const out: Output[] = [];
    for (const p of paths) {
      const entries = this.pending.get(p) ?? [];
      this.pending.delete(p);
      if (entries.length > 0) {
        finishSteps(this.releaseDocument(p, entries, out, result));
      }
    }
    if (paths.length > 1) {
      out.sort((x, y) => x.seq - y.seq);
    }
    result.events = out.map((o) => o.released);
    return result;
  }

  /**
   * {@link release} of one document as steps, for a caller that spreads a long release over
   * turns of the event loop (thousands of keystrokes typed without a pause): each `next()`
   * goes through a part of the held edits, and the last returns the result. The held edits
   * leave the document at once (new ones are held afresh) and its state changes only in the
   * last step, so nothing else may touch this document's state, and nothing may be written
   * that must come after its edits, before the steps are run to their end.
   */
  *releaseInSteps(path: TracePath): Generator<void, ReleaseResult, void> {
    const result: ReleaseResult = { events: [], redactions: [], resnapshot: [] };
    const entries = this.pending.get(path) ?? [];
    this.pending.delete(path);
    const out: Output[] = [];
    if (entries.length > 0) {
      yield* this.releaseDocument(path, entries, out, result);
    }
    result.events = out.map((o) => o.released);
    return result;
  }

  /** A document (or a folder: everything under it) was renamed: its state and held edits move. */
  rename(from: TracePath, to: TracePath): void {
    if (from === to) {
      return;
    }
    const moved = (p: string): string => to + p.slice(from.length);
    for (const [p, state] of [...this.docs]) {
      if (isAtOrUnder(p, from)) {
        this.docs.delete(p);
        this.docs.set(moved(p), state);
      }
    }
    for (const [p, list] of [...this.pending]) {
      if (isAtOrUnder(p, from)) {
        this.pending.delete(p);
        const target = moved(p);
        const rewritten = list.map((e) => ({ ...e, event: { ...e.event, path: target } }));
        const existing = this.pending.get(target);
        this.pending.set(target, existing ? [...existing, ...rewritten].sort((x, y) => x.seq - y.seq) : rewritten);
      }
    }
  }

  /** Forgets a closed document. Releases nothing: release first; edits still held are discarded. */
  close(path: TracePath): void {
    this.docs.delete(path);
    this.pending.delete(path);
  }

  /** The state of a document (for tests and diagnostics): real text, spans, view. */
  inspect(path: TracePath): { real: string; spans: readonly SecretSpan[]; view: string } | undefined {
    const state = this.docs.get(path);
    return state && { real: state.real, spans: state.spans.map((s) => ({ ...s })), view: redactSpans(state.real, state.spans) };
  }

  // -------------------------------------------------------------------------------------------

  private placeholderDelta(span: SecretSpan): number {
    let n = this.placeholderLengths.get(span.rule);
    if (n === undefined) {
      n = placeholder(span.rule).length;
      this.placeholderLengths.set(span.rule, n);
    }
    return n - (span.end - span.start);
  }

  private *releaseDocument(path: TracePath, entries: Pending[], out: Output[], result: ReleaseResult): Generator<void, void, void> {
    const state = this.docs.get(path);
    if (state === undefined) {
      releaseWithoutState(this.scan, path, entries, out, result);
      return;
    }
    yield* releaseDocument(this.releaseContext, state, path, entries, out, result);
  }

  /** The edits do not fit the text we know: we cannot tell what the view is any more. */
  private desync(path: TracePath, result: ReleaseResult): void {
    this.docs.delete(path);
    result.resnapshot.push(path);
  }
}
