/**
 * Secrets in documents, for the privacy stage: snapshots (`doc.open`) and edits (`doc.edit`)
 * are rewritten so that the trace is always a valid history of a *redacted view* of each
 * document, never of its real text. Plain Node, synchronous; never imports `vscode`.
 *
 * This file is the model, {@link DocumentPrivacy} and its types. The secret spans it keeps
 * (the view, the searches, the merge) are in secretSpans.ts; the chunked copy of the text a
 * release applies the held changes to is in chunkedText.ts.
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
 * Cost of a release: one pass over the held changes on a chunked copy of the text (a change
 * costs about 2 KB, not the document), one scan of about 2 × 256 characters per held edit
 * while keystroke fidelity is still possible, one scan of the touched region plus context,
 * and joining the text once. Never proportional to (document size × edits).
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
import { changeEnvelope } from '../trace/changeEnvelope';
import type { ContentChange, EditCause, NewEventOf, TracePath } from '../trace/events';
import { sha256 } from '../trace/identity';
import { ChunkedText } from './chunkedText';
import { placeholder } from './redact';
import { firstEndingAfter, hasSpan, mergeSpans, normalize, redactRange, redactSpans, straddling, type SecretSpan } from './secretSpans';

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

interface Pending {
  /** Order of holding, across documents. */
  seq: number;
  event: NewEventOf<'doc.edit'>;
  ts: number;
}

interface DocState {
  /** The real text. */
  real: string;
  /** Its secrets: sorted, disjoint, non-empty. */
  spans: SecretSpan[];
}

interface Output {
  seq: number;
  released: Released;
}

/**
 * Largest margin around an edit within which the state before it is checked for secrets
 * (the states between held edits; pasted texts are scanned whole on their own).
 */
const MAX_CHECK_CONTEXT = 256;

/** Held edits a release goes through between two steps of {@link DocumentPrivacy.releaseInSteps}. */
const EDITS_PER_STEP = 64;

/** Runs steps (of {@link DocumentPrivacy.releaseInSteps}) to the end and returns what they return. */
export function finishSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) {
      return next.value;
    }
  }
}

/** Whether a change has the shape src/replay/apply.ts accepts (whether it fits is checked as it is applied). */
function wellFormed(c: ContentChange | null | undefined): boolean {
  return (
    typeof c === 'object' && c !== null && Number.isInteger(c.offset) && Number.isInteger(c.length) && c.offset >= 0 && c.length >= 0 && typeof c.text === 'string'
  );
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10 || c === 12 || c === 11;

/** Most frequent cause; on a tie, the one held last. */
function mostFrequentCause(entries: readonly Pending[]): EditCause {
  const counts = new Map<EditCause, number>();
  for (const e of entries) {
    counts.set(e.event.cause, (counts.get(e.event.cause) ?? 0) + 1);
  }
  let best = entries[entries.length - 1].event.cause;
  let bestCount = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const cause = entries[i].event.cause;
    const n = counts.get(cause) ?? 0;
    if (n > bestCount) {
      best = cause;
      bestCount = n;
    }
  }
  return best;
}

function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
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
  private readonly contextChars: number;
  private readonly maxHeldEdits: number;
  private readonly placeholderLengths = new Map<string, number>();

  constructor(
    private readonly scan: Scan,
    options: DocumentPrivacyOptions = {},
  ) {
    this.contextChars = Math.max(0, Math.floor(options.contextChars ?? 4096));
    this.maxHeldEdits = Math.max(1, Math.floor(options.maxHeldEdits ?? 5000));
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
      this.releaseWithoutState(path, entries, out, result);
      return;
    }
    const r0 = state.real;
    const s0 = state.spans;
    if (!entries.every((e) => Array.isArray(e.event.changes) && e.event.changes.every(wellFormed))) {
      this.desync(path, result);
      return;
    }

    // 1. The envelope of every change: R1 = R0[0, lo) + R1[lo, hi) + R0[hi - delta, ...).
    const envelope = changeEnvelope(entries.map((e) => e.event.changes));
    if (envelope === undefined) {
      // Only edits without changes: nothing to map.
      for (const e of entries) {
        out.push({ seq: e.seq, released: { event: e.event, ts: e.ts } });
      }
      return;
    }
    const { lo, hi, delta } = envelope;
    const hi0 = hi - delta;

    // 2. Apply the changes one by one, carrying the spans along. Spans before the envelope
    //    stay, spans after it shift; the ones in between are followed change by change, which
    //    also maps each change's offset to the view while no change touches a span.
    //    Keystroke fidelity also needs every state between the held edits to be free of new
    //    secrets (a secret pasted, then a character deleted, must not reach the trace through
    //    the paste): each inserted text is scanned on its own, and before every edit after the
    //    first the text around it (a secret the edit destroys lies there). The changes within
    //    one edit are one atomic step of the document, so the states between them are not.
    let first = 0;
    while (first < s0.length && s0[first].end <= lo) {
      first++;
    }
    let after = first;
    while (after < s0.length && s0[after].start < hi0) {
      after++;
    }
    let before = 0;
    for (let i = 0; i < first; i++) {
      before += this.placeholderDelta(s0[i]);
    }
    const middle: SecretSpan[] = s0.slice(first, after).map((s) => ({ ...s }));
    const cumulative: number[] = [0];
    for (const s of middle) {
      cumulative.push(cumulative[cumulative.length - 1] + this.placeholderDelta(s));
    }
    const text = new ChunkedText(r0);
    const checkContext = Math.min(this.contextChars, MAX_CHECK_CONTEXT);
    let fast = true; // no span touched and no new secret seen so far
    let shifted = 0; // delta of the changes so far: where the spans after the envelope are now
    let firstEdit = true;
    const mapped: NewEventOf<'doc.edit'>[] = [];
    let done = 0;
    for (const { event } of entries) {
      if (++done % EDITS_PER_STEP === 0) {
        yield;
      }
      if (fast && !firstEdit) {
        const around = changeEnvelope([event.changes]);
        if (around !== undefined && around.lo <= text.length) {
          const from = Math.max(0, around.lo - checkContext);
          const to = Math.min(text.length, Math.max(around.lo, around.hi - around.delta) + checkContext);
          for (const f of normalize(this.scan(text.slice(from, to)), to - from, from)) {
            if (!hasSpan(s0, 0, first, f, 0) && !hasSpan(middle, 0, middle.length, f, 0) && !hasSpan(s0, after, s0.length, f, shifted)) {
              fast = false; // a secret that was not there: it must not go out edit by edit
              break;
            }
          }
        }
      }
      const changes: ContentChange[] = [];
      for (const c of event.changes) {
        const o = c.offset;
        const l = c.length;
        if (o + l > text.length) {
          this.desync(path, result);
          return;
        }
        const t = c.text.length;
        const d = t - l;
        if (fast && t > 1 && this.scan(c.text).length > 0) {
          fast = false;
        }
        const j = firstEndingAfter(middle, o);
        if (fast) {
          changes.push({ offset: o + before + cumulative[j], length: l, text: c.text });
        }
        let k = j;
        while (k < middle.length && (l > 0 ? middle[k].start < o + l : middle[k].start < o)) {
          k++;
        }
        if (k > j) {
          // Touched: keep the surviving characters (and text inserted strictly inside).
          fast = false;
          const kept: SecretSpan[] = [];
          for (let i = j; i < k; i++) {
            const s = middle[i];
            const left = s.start < o;
            const right = s.end > o + l;
            if (left && right) {
              kept.push({ rule: s.rule, start: s.start, end: s.end + d });
            } else if (left) {
              kept.push({ rule: s.rule, start: s.start, end: o });
            } else if (right) {
              kept.push({ rule: s.rule, start: o + t, end: s.end + d });
            }
          }
          middle.splice(j, k - j, ...kept);
          k = j + kept.length;
        }
        if (d !== 0) {
          for (let i = k; i < middle.length; i++) {
            middle[i].start += d;
            middle[i].end += d;
          }
        }
        text.replace(o, l, c.text);
        shifted += d;
      }
      firstEdit = false;
      if (fast) {
        mapped.push({ ...event, changes });
      }
    }
    const r1 = text.toString();
    const carried: SecretSpan[] = [...s0.slice(0, first), ...middle];
    for (let i = after; i < s0.length; i++) {
      carried.push({ rule: s0[i].rule, start: s0[i].start + delta, end: s0[i].end + delta });
    }

    // 3. Re-scan [a, b) of R1: the envelope plus context, widened to lines, to whole carried
    //    spans (and the context before them), and while a secret found touches its border.
    const n = r1.length;
    const ctx = this.contextChars;
    // At least one character beyond the envelope: a span cut by the changes then straddles
    // the border in both R0 and R1, so the cover below takes it in whole.
    let a = this.expandLeft(r1, Math.max(0, lo - Math.max(ctx, 1)));
    let b = this.expandRight(r1, Math.min(n, hi + Math.max(ctx, 1)));
    let grow = Math.max(ctx, 64);
    let found: SecretSpan[];
    for (;;) {
      for (;;) {
        const sa = straddling(carried, a);
        const sb = straddling(carried, b);
        if (sa === undefined && sb === undefined) {
          break;
        }
        if (sa !== undefined) {
          a = this.expandLeft(r1, Math.max(0, sa.start - 1));
        }
        if (sb !== undefined) {
          b = this.expandRight(r1, sb.end);
        }
      }
      found = normalize(this.scan(r1.slice(a, b)), b - a, a);
      const head = found.length > 0 && found[0].start === a && a > 0 && r1.charCodeAt(a - 1) !== 10;
      const tail = found.length > 0 && found[found.length - 1].end === b && b < n;
      if (!head && !tail) {
        break;
      }
      if (head) {
        a = this.expandLeft(r1, Math.max(0, a - grow));
      }
      if (tail) {
        b = this.expandRight(r1, Math.min(n, b + grow));
      }
      grow *= 2;
    }

    // 4. Merge what the scan found with the carried spans inside [a, b).
    const inFirst = firstEndingAfter(carried, a);
    let inEnd = inFirst;
    while (inEnd < carried.length && carried[inEnd].end <= b) {
      inEnd++;
    }
    const merged = mergeSpans(carried.slice(inFirst, inEnd), found);
    const spans1 = [...carried.slice(0, inFirst), ...merged.spans, ...carried.slice(inEnd)];
    state.real = r1;
    state.spans = spans1;
    for (const s of merged.fresh) {
      result.redactions.push({ rule: s.rule, path });
    }

    if (fast && !merged.changed) {
      for (let i = 0; i < entries.length; i++) {
        out.push({ seq: entries[i].seq, released: { event: mapped[i], ts: entries[i].ts } });
      }
      return;
    }

    // 5. One synthetic edit: the differing middle of the old and new views within [a, b).
    const b0 = b - delta;
    let viewA = a;
    let k0 = 0;
    while (k0 < s0.length && s0[k0].end <= a) {
      viewA += this.placeholderDelta(s0[k0]);
      k0++;
    }
    let k1 = k0;
    while (k1 < s0.length && s0[k1].end <= b0) {
      k1++;
    }
    const view0 = redactRange(r0, a, b0, s0.slice(k0, k1));
    const view1 = redactRange(r1, a, b, merged.spans);
    let p = 0;
    const shorter = Math.min(view0.length, view1.length);
    while (p < shorter && view0.charCodeAt(p) === view1.charCodeAt(p)) {
      p++;
    }
    let s = 0;
    while (s < shorter - p && view0.charCodeAt(view0.length - 1 - s) === view1.charCodeAt(view1.length - 1 - s)) {
      s++;
    }
    const changes: ContentChange[] =
      view0 === view1 ? [] : [{ offset: viewA + p, length: view0.length - p - s, text: view1.slice(p, view1.length - s) }];
    const last = entries[entries.length - 1];
    out.push({
      seq: last.seq,
      released: {
        event: { kind: 'doc.edit', path, version: last.event.version, changes, cause: mostFrequentCause(entries) },
        ts: last.ts,
      },
    });
  }

  /** The edits do not fit the text we know: we cannot tell what the view is any more. */
  private desync(path: TracePath, result: ReleaseResult): void {
    this.docs.delete(path);
    result.resnapshot.push(path);
  }

  /** Edits of a document without a replayable snapshot: offsets as they are, inserted secrets redacted. */
  private releaseWithoutState(path: TracePath, entries: readonly Pending[], out: Output[], result: ReleaseResult): void {
    for (const e of entries) {
      if (!Array.isArray(e.event.changes)) {
        continue; // malformed: nothing to redact it by, so it is not written
      }
      let changes: ContentChange[] | undefined;
      e.event.changes.forEach((c, i) => {
        const spans = typeof c.text === 'string' && c.text.length > 0 ? normalize(this.scan(c.text), c.text.length, 0) : [];
        if (spans.length > 0) {
          changes ??= [...e.event.changes];
          changes[i] = { ...c, text: redactSpans(c.text, spans) };
          for (const s of spans) {
            result.redactions.push({ rule: s.rule, path });
          }
        }
      });
      out.push({ seq: e.seq, released: { event: changes ? { ...e.event, changes } : e.event, ts: e.ts } });
    }
  }

  /**
   * A start at or before `x` to scan from: the start of the line holding `x - 1` if within
   * `contextChars`, else just after the nearest blank within it, else `x - contextChars`.
   * Looks at no more than `contextChars` characters (a huge single line stays cheap).
   */
  private expandLeft(text: string, x: number): number {
    if (x <= 0) {
      return 0;
    }
    const limit = Math.max(0, x - this.contextChars);
    let blank = -1;
    for (let i = x - 1; i >= limit; i--) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        return i + 1;
      }
      if (blank < 0 && isBlank(c)) {
        blank = i + 1;
      }
    }
    if (limit === 0) {
      return 0;
    }
    return blank >= 0 ? blank : limit;
  }

  /** An end at or after `x` to scan to: through the end of its line, or a blank, within `contextChars`. */
  private expandRight(text: string, x: number): number {
    const n = text.length;
    if (x >= n) {
      return n;
    }
    const limit = Math.min(n, x + this.contextChars);
    let blank = -1;
    for (let i = x; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        return i + 1;
      }
      if (blank < 0 && isBlank(c)) {
        blank = i + 1;
      }
    }
    if (limit === n) {
      return n;
    }
    return blank >= 0 ? blank : limit;
  }
}
