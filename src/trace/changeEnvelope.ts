/**
 * The region a sequence of content changes touched, in the coordinates after them. Plain Node.
 */
import type { ContentChange } from './events';

/** The text after the changes is the text before with `[lo, hi - delta)` replaced by `[lo, hi)`. */
export interface ChangeEnvelope {
  lo: number;
  hi: number;
  delta: number;
}

/**
 * The envelope of `edits` (each a `doc.edit`'s changes, applied in order), or undefined when
 * there is no change. Everything before `lo` and after `hi` (after `hi - delta` in the text
 * before) is untouched: a lower bound of the texts' common prefix and common suffix, found
 * without reading the texts.
 */
export function changeEnvelope(edits: readonly (readonly ContentChange[])[]): ChangeEnvelope | undefined {
  let lo = -1;
  let hi = -1;
  let delta = 0;
  for (const changes of edits) {
    for (const c of changes) {
      const o = c.offset;
      const l = c.length;
      const t = c.text.length;
      if (lo < 0) {
        lo = o;
        hi = o + t;
      } else {
        const mappedHi = hi <= o ? hi : hi >= o + l ? hi + t - l : o + t;
        lo = Math.min(lo, o);
        hi = Math.max(mappedHi, o + t);
      }
      delta += t - l;
    }
  }
  return lo < 0 ? undefined : { lo, hi, delta };
}
