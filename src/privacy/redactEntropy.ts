/**
 * Shannon entropy and the entropy gate the redaction rules use to tell random secrets from words,
 * identifiers and repeated characters (see the header of redact.ts).
 */

/** Shannon entropy of `s` in bits per character (UTF-16 code units). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) {
    return 0;
  }
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Entropy a key/value secret of this length must reach (bits per character). */
export function entropyThreshold(length: number): number {
  return Math.min(3.5, Math.log2(length) - 0.5);
}
