/**
 * Secret spans of a text, for the document redaction of documents.ts (DocumentPrivacy): a
 * span is where a rule found a secret (`[start, end)`; lists of spans are sorted and
 * disjoint), the view of a text is the text with every span replaced by its rule's
 * placeholder `«redacted:<rule>»`, and the searches and the merge here carry spans through
 * edits and re-scans. Plain Node, synchronous; never imports `vscode`.
 */
import { placeholder } from './redact';

/** A secret found in a text: `[start, end)` in UTF-16 code units, and the rule that found it. */
export interface SecretSpan {
  rule: string;
  start: number;
  end: number;
}

/** Replaces each span of `text` (sorted, disjoint, within the text) by its rule's placeholder. */
export function redactSpans(text: string, spans: readonly SecretSpan[]): string {
  return redactRange(text, 0, text.length, spans);
}

/** The view of `text[from, to)`: `spans` must lie within that range, sorted and disjoint. */
export function redactRange(text: string, from: number, to: number, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) {
    return text.slice(from, to);
  }
  const parts: string[] = [];
  let pos = from;
  for (const s of spans) {
    parts.push(text.slice(pos, s.start), placeholder(s.rule));
    pos = s.end;
  }
  parts.push(text.slice(pos, to));
  return parts.join('');
}

/** Sorted, disjoint, non-empty spans within `[0, length)`, shifted by `shift`; overlaps are merged. */
export function normalize(found: readonly { rule: string; start: number; end: number }[], length: number, shift: number): SecretSpan[] {
  const valid: SecretSpan[] = [];
  for (const f of found) {
    const start = Math.max(0, Math.min(length, Math.floor(f.start)));
    const end = Math.max(0, Math.min(length, Math.ceil(f.end)));
    if (end > start) {
      valid.push({ rule: f.rule, start, end });
    }
  }
  valid.sort((x, y) => x.start - y.start || y.end - x.end);
  const out: SecretSpan[] = [];
  for (const s of valid) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start + shift < last.end) {
      last.end = Math.max(last.end, s.end + shift);
    } else {
      out.push({ rule: s.rule, start: s.start + shift, end: s.end + shift });
    }
  }
  return out;
}

/** Index of the first span whose end is after `x` (spans sorted and disjoint, so ends ascend). */
export function firstEndingAfter(spans: readonly SecretSpan[], x: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].end > x) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/** The span that has `x` strictly inside (`start < x < end`), if any. */
export function straddling(spans: readonly SecretSpan[], x: number): SecretSpan | undefined {
  const i = firstEndingAfter(spans, x);
  return i < spans.length && spans[i].start < x ? spans[i] : undefined;
}

/** Whether `spans[from, to)`, shifted by `shift`, has one exactly at `f`. */
export function hasSpan(spans: readonly SecretSpan[], from: number, to: number, f: SecretSpan, shift: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (spans[mid].start + shift < f.start) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo < to && spans[lo].start + shift === f.start && spans[lo].end + shift === f.end;
}

/**
 * Merges carried spans (sticky) with spans a re-scan found, both sorted and disjoint:
 * overlapping spans become their union (named by the rule that found it). `changed`: the
 * result differs from `carried`; `fresh`: spans overlapping no carried span (new secrets).
 */
export function mergeSpans(carried: readonly SecretSpan[], found: readonly SecretSpan[]): { spans: SecretSpan[]; fresh: SecretSpan[]; changed: boolean } {
  const spans: SecretSpan[] = [];
  const fresh: SecretSpan[] = [];
  let changed = false;
  let i = 0;
  let j = 0;
  while (i < carried.length || j < found.length) {
    const takeCarried = j >= found.length || (i < carried.length && carried[i].start <= found[j].start);
    const seed = takeCarried ? carried[i++] : found[j++];
    let end = seed.end;
    let old: SecretSpan | undefined = takeCarried ? seed : undefined;
    let olds = takeCarried ? 1 : 0;
    let foundRule = takeCarried ? undefined : seed.rule;
    for (;;) {
      if (i < carried.length && carried[i].start < end) {
        old = carried[i];
        olds++;
        end = Math.max(end, carried[i++].end);
      } else if (j < found.length && found[j].start < end) {
        foundRule ??= found[j].rule;
        end = Math.max(end, found[j++].end);
      } else {
        break;
      }
    }
    if (olds === 1 && old !== undefined && old.start === seed.start && old.end === end) {
      spans.push(old);
      continue;
    }
    const span = { rule: foundRule ?? seed.rule, start: seed.start, end };
    spans.push(span);
    changed = true;
    if (olds === 0) {
      fresh.push(span);
    }
  }
  return { spans, fresh, changed };
}
