/**
 * The release of one document's held edits, for DocumentPrivacy (documents.ts, where the
 * model is described). Plain Node, synchronous; never imports `vscode`.
 *
 * The held changes are applied to a chunked copy of the real text (chunkedText.ts), the
 * secret spans carried along; the touched region plus context is re-scanned. Then either the
 * edits go out with their offsets mapped from real to view coordinates (nothing secret
 * touched, appeared, changed or vanished, and no state between the held edits held a secret
 * that is not there at the end), or one synthetic edit turns the old view into the new one.
 * A generator: it yields every EDITS_PER_STEP edits, so a caller can spread a long release
 * over turns of the event loop; the document's state changes only in its last step.
 *
 * Cost: one pass over the held changes (a change costs about one chunk, not the document),
 * one scan of about 2 × 256 characters per held edit while keystroke fidelity is still
 * possible, one scan of the touched region plus context, and joining the text once.
 */
import { wellFormed } from '../replay/apply';
import { changeEnvelope } from '../trace/changeEnvelope';
import type { ContentChange, EditCause, NewEventOf, TracePath } from '../trace/events';
import { ChunkedText } from './chunkedText';
import type { Released, ReleaseResult, Scan } from './documents';
import { firstEndingAfter, hasSpan, mergeSpans, normalize, redactRange, redactSpans, straddling, type SecretSpan } from './secretSpans';

/** An edit held for release, in the order of holding across documents. */
export interface Pending {
  seq: number;
  event: NewEventOf<'doc.edit'>;
  ts: number;
}

/** What DocumentPrivacy knows of a document with a replayable snapshot. */
export interface DocState {
  /** The real text. */
  real: string;
  /** Its secrets: sorted, disjoint, non-empty. */
  spans: SecretSpan[];
}

/** A released edit with the order it was held in (releases of several documents are merged by it). */
export interface Output {
  seq: number;
  released: Released;
}

/** What a release needs of DocumentPrivacy. */
export interface ReleaseContext {
  scan: Scan;
  /** Characters re-scanned on each side of the touched region (DocumentPrivacyOptions.contextChars). */
  contextChars: number;
  /** Length of a span's placeholder minus the span's own. */
  placeholderDelta(span: SecretSpan): number;
  /** The edits do not fit the text known: forget the document and ask for a new snapshot. */
  desync(path: TracePath, result: ReleaseResult): void;
}

/**
 * Largest margin around an edit within which the state before it is checked for secrets
 * (the states between held edits; pasted texts are scanned whole on their own).
 */
const MAX_CHECK_CONTEXT = 256;

/** Held edits a release goes through between two of its steps. */
const EDITS_PER_STEP = 64;

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

/**
 * Releases the held edits of a document with a replayable snapshot (see the module comment):
 * pushes what to write to `out`, redactions and desyncs to `result`, and sets the new state.
 */
export function* releaseDocument(ctx: ReleaseContext, state: DocState, path: TracePath, entries: Pending[], out: Output[], result: ReleaseResult): Generator<void, void, void> {
  const r0 = state.real;
  const s0 = state.spans;
  if (!entries.every((e) => Array.isArray(e.event.changes) && e.event.changes.every(wellFormed))) {
    ctx.desync(path, result);
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
    before += ctx.placeholderDelta(s0[i]);
  }
  const middle: SecretSpan[] = s0.slice(first, after).map((s) => ({ ...s }));
  const cumulative: number[] = [0];
  for (const s of middle) {
    cumulative.push(cumulative[cumulative.length - 1] + ctx.placeholderDelta(s));
  }
  const text = new ChunkedText(r0);
  const checkContext = Math.min(ctx.contextChars, MAX_CHECK_CONTEXT);
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
        for (const f of normalize(ctx.scan(text.slice(from, to)), to - from, from)) {
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
        ctx.desync(path, result);
        return;
      }
      const t = c.text.length;
      const d = t - l;
      if (fast && t > 1 && ctx.scan(c.text).length > 0) {
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
  const margin = ctx.contextChars; // re-scanned on each side of the envelope
  // At least one character beyond the envelope: a span cut by the changes then straddles
  // the border in both R0 and R1, so the cover below takes it in whole.
  let a = expandLeft(r1, Math.max(0, lo - Math.max(margin, 1)), margin);
  let b = expandRight(r1, Math.min(n, hi + Math.max(margin, 1)), margin);
  let grow = Math.max(margin, 64);
  let found: SecretSpan[];
  for (;;) {
    for (;;) {
      const sa = straddling(carried, a);
      const sb = straddling(carried, b);
      if (sa === undefined && sb === undefined) {
        break;
      }
      if (sa !== undefined) {
        a = expandLeft(r1, Math.max(0, sa.start - 1), margin);
      }
      if (sb !== undefined) {
        b = expandRight(r1, sb.end, margin);
      }
    }
    found = normalize(ctx.scan(r1.slice(a, b)), b - a, a);
    const head = found.length > 0 && found[0].start === a && a > 0 && r1.charCodeAt(a - 1) !== 10;
    const tail = found.length > 0 && found[found.length - 1].end === b && b < n;
    if (!head && !tail) {
      break;
    }
    if (head) {
      a = expandLeft(r1, Math.max(0, a - grow), margin);
    }
    if (tail) {
      b = expandRight(r1, Math.min(n, b + grow), margin);
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
    viewA += ctx.placeholderDelta(s0[k0]);
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

/** Edits of a document without a replayable snapshot: offsets as they are, inserted secrets redacted. */
export function releaseWithoutState(scan: Scan, path: TracePath, entries: readonly Pending[], out: Output[], result: ReleaseResult): void {
  for (const e of entries) {
    if (!Array.isArray(e.event.changes)) {
      continue; // malformed: nothing to redact it by, so it is not written
    }
    let changes: ContentChange[] | undefined;
    e.event.changes.forEach((c, i) => {
      const spans = typeof c.text === 'string' && c.text.length > 0 ? normalize(scan(c.text), c.text.length, 0) : [];
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
function expandLeft(text: string, x: number, contextChars: number): number {
  if (x <= 0) {
    return 0;
  }
  const limit = Math.max(0, x - contextChars);
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
function expandRight(text: string, x: number, contextChars: number): number {
  const n = text.length;
  if (x >= n) {
    return n;
  }
  const limit = Math.min(n, x + contextChars);
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
