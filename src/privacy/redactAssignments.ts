/**
 * The key/value ("generic") redaction rule: `<name> <operator> <value>` where the name says secret
 * (redactSecretNames.ts) and the value passes the entropy gate described in the header of
 * redact.ts. Emits `generic-secret`, and `aws-secret-key` for AWS secret access keys. Written after
 * gitleaks' `generic-api-key` rule and its allowlists (https://github.com/gitleaks/gitleaks, MIT
 * licence, Copyright (c) 2019 Zachary Rice).
 */

import { P_GENERIC, type Candidate } from './redactCandidates';
import { entropyThreshold, shannonEntropy } from './redactEntropy';
import { isPlaceholderValue } from './redactPlaceholderValues';
import { classifyName, isIdentChar, splitSegments } from './redactSecretNames';

/** Longest value the key/value and URL rules consider. */
const MAX_VALUE = 1000;

// ---------------------------------------------------------------------------------------------
// Key/value assignments: `<name> <operator> <value>` where the name says secret.

const KEYWORD_RE = /pass|pwd|secret|token|key|auth|cred/gi;

/**
 * After a name: an optional closing quote (maybe escaped), an optional type annotation
 * (`: string =`, Go's ` string =`), an operator, spaces. Group 1: the operator.
 */
const ASSIGN_RE =
  /(?:\\{0,3}["'`])?(?:[ \t]*:[ \t]*[A-Za-z_][\w.]{0,40}(?:<[^>\n]{0,40}>)?(?:\[\])?\??(?=[ \t]*=[^=>])|[ \t]+[A-Za-z_][\w.]{0,40}(?:\[\])?(?=[ \t]*=[^=>]))?[ \t]{0,8}(:::=|::=|:=|\?\?=|\?=|\+=|\.=|=>|!==|===|!=|==|=|:|,|\(|[ \t])[ \t]{0,8}/y;
const YAML_BLOCK_RE = /[|>][-+]?[ \t]*\r?\n[ \t]+/y;
const UNQUOTED_STOP = /[\s"'`,;)}\]<>|(]/;
/** In a URL query (`?token=…&x=1`) a value also ends at `&`. */
const QUERY_VALUE_STOP = /[\s"'`,;)}\]<>|(&#]/;

interface Value {
  start: number;
  end: number;
  quoted: boolean;
}

function readValue(text: string, p: number, allowUnquoted: boolean, inQuery: boolean): Value | null {
  let q = text[p];
  let escaped = false;
  if (q === '\\') {
    let b = p;
    while (text[b] === '\\' && b - p < 3) {
      b++;
    }
    if (text[b] === '"' || text[b] === "'") {
      escaped = true;
      q = text[b];
      p = b;
    }
  }
  if (q === '"' || q === "'" || q === '`') {
    const start = p + 1;
    const limit = Math.min(text.length, start + MAX_VALUE);
    for (let i = start; i < limit; i++) {
      const c = text[i];
      if (c === '\n') {
        return null;
      }
      if (c === q) {
        if (escaped) {
          if (text[i - 1] === '\\') {
            let j = i - 1;
            while (j > start && text[j - 1] === '\\') {
              j--;
            }
            return { start, end: j, quoted: true };
          }
          continue;
        }
        if (text[i - 1] === '\\' && text[i - 2] !== '\\') {
          continue; // an escaped quote inside the string
        }
        return { start, end: i, quoted: true };
      }
    }
    return null;
  }
  if (!allowUnquoted) {
    return null;
  }
  const limit = Math.min(text.length, p + MAX_VALUE);
  let i = p;
  const stop = inQuery ? QUERY_VALUE_STOP : UNQUOTED_STOP;
  while (i < limit && !stop.test(text[i])) {
    i++;
  }
  if (i === p || text[i] === '(') {
    return null; // nothing, or a function call: token = getToken()
  }
  return { start: p, end: i, quoted: false };
}

/** Whether `value` (assigned to a secret-looking name) is a secret. Exported for tests. */
export function isSecretValue(value: string, kind: 'strong' | 'weak', quoted: boolean): boolean {
  const n = value.length;
  if (n < (kind === 'weak' ? 16 : 8) || n > MAX_VALUE) {
    return false;
  }
  if (/\s/.test(value) || isPlaceholderValue(value)) {
    return false;
  }
  if (/^[A-Za-z]+$/.test(value)) {
    // letters only: a word or an identifier (changeme, getToken, RsaPrivateKey), unless its case
    // changes like random text: split at case changes, random text falls into 1-2 letter pieces
    const pieces = splitSegments(value);
    const short = pieces.filter((w) => w.length <= 2).length;
    return kind === 'strong' && pieces.length >= 3 && short * 2 >= pieces.length && shannonEntropy(value) >= entropyThreshold(n);
  }
  if (/^[A-Za-z_.\-/]+$/.test(value)) {
    return false; // identifiers, member expressions, paths: options.token, src/key, my_secret
  }
  if (/^[0-9.,:+\-/ ]+$/.test(value) || /^v?[0-9]+(?:\.[0-9]+){1,3}(?:[-+][\w.]+)?$/.test(value)) {
    return false; // numbers, dates, times, versions
  }
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) || /^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) {
    return false; // paths and URLs (credentials in URLs have their own rule)
  }
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value)) {
    return false; // e-mail address
  }
  if (!quoted && /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) {
    return false; // member expression in code
  }
  if (!quoted && /^[&*]?[A-Za-z_$][\w$]*(?:\[|\.[A-Za-z_$])|^[&*][A-Za-z_]/.test(value)) {
    return false; // tokens[i], self.cache[key], n.token-1, &ref, YAML &anchor / *alias: not a literal
  }
  if (kind === 'weak') {
    if (/^[A-Za-z]+[0-9]{0,3}(?:[._\-/:][A-Za-z]+[0-9]{0,3}|[._\-/:]v?[0-9]{1,4})+$/.test(value)) {
      return false; // a dotted or dashed name: app.settings.v2, en-US/messages
    }
    return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.5;
  }
  if (/^[0-9a-f]{16,}$/i.test(value)) {
    // hex has 4 bits/char at most and 16 random hex digits have ~3.3, so a lower gate (2.5) holds
    return /[a-f]/i.test(value) && shannonEntropy(value) >= 2.5;
  }
  return shannonEntropy(value) >= entropyThreshold(n);
}

export function scanAssignments(text: string, out: Candidate[]): void {
  KEYWORD_RE.lastIndex = 0;
  for (let m = KEYWORD_RE.exec(text); m !== null; m = KEYWORD_RE.exec(text)) {
    let s = m.index;
    while (s > 0 && m.index - s < 64 && isIdentChar(text.charCodeAt(s - 1))) {
      s--;
    }
    let e = m.index + m[0].length;
    while (e < text.length && e - m.index < 64 && isIdentChar(text.charCodeAt(e))) {
      e++;
    }
    KEYWORD_RE.lastIndex = e;
    const ident = text.slice(s, e);
    const info = classifyName(ident);
    if (info.kind === 'none') {
      continue;
    }
    const keyQuoted = s > 0 && /["'`]/.test(text[s - 1]);
    let value: Value | null = null;
    if (s > 0 && text[s - 1] === '<' && text[e] === '>') {
      // <password>value</password>
      let p = e + 1;
      while (p < text.length && p - e < 16 && /[ \t\r\n]/.test(text[p])) {
        p++;
      }
      const close = text.indexOf('<', p);
      if (close > p && close - p <= MAX_VALUE) {
        let end = close;
        while (end > p && /\s/.test(text[end - 1])) {
          end--;
        }
        value = { start: p, end, quoted: true };
      }
    } else {
      ASSIGN_RE.lastIndex = e;
      const a = ASSIGN_RE.exec(text);
      if (a === null) {
        continue;
      }
      const op = a[1];
      let p = ASSIGN_RE.lastIndex;
      if (op === ' ' || op === '\t') {
        // a value after a space only for a CLI flag (--password s3cr3t) or `… set <name> <value>`
        // (aws configure set, npm config set, gh secret set …)
        if (text[p] === '-' || !(ident.startsWith('-') || /\bset[ \t]{1,4}$/.test(text.slice(Math.max(0, s - 8), s)))) {
          continue;
        }
      } else if (op === ',' && !keyQuoted) {
        continue;
      } else if (op === '(' && text[e] !== '(') {
        continue; // only a direct call with a literal: password("…")
      }
      if (op === ':') {
        YAML_BLOCK_RE.lastIndex = p;
        if (YAML_BLOCK_RE.test(text)) {
          p = YAML_BLOCK_RE.lastIndex;
        }
      }
      value = readValue(text, p, op !== '(' && op !== ',', s > 0 && (text[s - 1] === '?' || text[s - 1] === '&'));
    }
    if (value === null) {
      continue;
    }
    const v = text.slice(value.start, value.end);
    let accepted = true;
    if (info.aws && /^[A-Za-z0-9/+=]{40}$/.test(v) && shannonEntropy(v) >= 3.5 && !v.endsWith('EXAMPLEKEY')) {
      out.push({ start: value.start, end: value.end, rule: 'aws-secret-key', priority: P_GENERIC });
    } else if (isSecretValue(v, info.kind, value.quoted)) {
      out.push({ start: value.start, end: value.end, rule: 'generic-secret', priority: P_GENERIC });
    } else {
      accepted = false;
    }
    // Resume after the value when it is redacted, or unquoted (one token: no spaces, quotes or
    // separators, so a name inside it assigns nothing). This keeps the scan linear on inputs like
    // `key=key=key=…`. A rejected quoted string is scanned further: it may be prose or code that
    // holds an assignment.
    if (accepted || !value.quoted) {
      KEYWORD_RE.lastIndex = Math.max(KEYWORD_RE.lastIndex, value.end);
    }
  }
}
