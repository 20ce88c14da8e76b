/**
 * The `private-key` redaction rule: the body of a `-----BEGIN … PRIVATE KEY-----` block, after
 * gitleaks' `private-key` rule (https://github.com/gitleaks/gitleaks, MIT licence, Copyright (c)
 * 2019 Zachary Rice).
 */

import { P_PRIVATE_KEY, type Candidate } from './redactCandidates';

/** Longest stretch a private-key block may cover (the rest is not scanned as key material). */
export const MAX_PRIVATE_KEY_CHARS = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Private keys: `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK),
// body redacted up to the END line, or, when there is none (unterminated, or a string cut off),
// over the run of key material that follows (base64, whitespace, `\n` escapes, armour headers),
// to the end of the text or MAX_PRIVATE_KEY_CHARS. The BEGIN and END lines are kept.

const PK_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
/** An armour header line (`Proc-Type: 4,ENCRYPTED`, `Version: GnuPG v2`), maybe indented or in a string. */
const PK_HEADER_LINE = /[ \t]*[A-Za-z-]{2,20}: ?[^\n\\]{0,200}(?:\r?\n|\\n)/y;

function isKeyMaterialChar(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    (c >= 48 && c <= 57) || // 0-9
    c === 43 || // +
    c === 47 || // /
    c === 61 || // =
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 92 || // \ (escaped newlines in JSON strings)
    c === 34 || // " (string concatenation in code)
    c === 39 // '
  );
}

export function scanPrivateKeys(text: string, out: Candidate[]): void {
  if (!text.includes('PRIVATE KEY')) {
    return;
  }
  PK_BEGIN.lastIndex = 0;
  for (let m = PK_BEGIN.exec(text); m !== null; m = PK_BEGIN.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const limit = Math.min(text.length, bodyStart + MAX_PRIVATE_KEY_CHARS);
    let p = bodyStart;
    let material = 0;
    let atLineStart = false;
    while (p < limit) {
      if (atLineStart) {
        PK_HEADER_LINE.lastIndex = p;
        if (PK_HEADER_LINE.test(text) && PK_HEADER_LINE.lastIndex <= limit) {
          p = PK_HEADER_LINE.lastIndex;
          continue;
        }
      }
      const c = text.charCodeAt(p);
      if (!isKeyMaterialChar(c)) {
        break;
      }
      if (c === 92) {
        // only `\n`, `\r`, `\t` escapes are part of a key written as a string literal
        const next = text.charCodeAt(p + 1);
        if (next !== 110 && next !== 114 && next !== 116) {
          break;
        }
        p += 2;
        atLineStart = next === 110;
        continue;
      }
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) {
        material++;
      }
      atLineStart = c === 10;
      p++;
    }
    if (material < 32) {
      continue; // `-----BEGIN PRIVATE KEY-----` in code or docs, a placeholder like `...`
    }
    // trim separators (whitespace, quotes, `\n` escapes) so the placeholder sits between the lines
    let s = bodyStart;
    let e = p;
    for (;;) {
      if (s < e && /[\s"']/.test(text[s])) {
        s++;
      } else if (s + 1 < e && text[s] === '\\' && /[nrt]/.test(text[s + 1])) {
        s += 2;
      } else {
        break;
      }
    }
    for (;;) {
      if (e > s && /[\s"'\\]/.test(text[e - 1])) {
        e--;
      } else if (e - 1 > s && text[e - 2] === '\\' && /[nrt]/.test(text[e - 1])) {
        e -= 2;
      } else {
        break;
      }
    }
    if (e > s) {
      out.push({ start: s, end: e, rule: 'private-key', priority: P_PRIVATE_KEY });
    }
    PK_BEGIN.lastIndex = Math.max(PK_BEGIN.lastIndex, p);
  }
}
