/**
 * The `user-pattern` redaction rule: the user's own regexes (`worktrace.redact.patterns`), checked
 * when the Redactor is built (invalid or unsafe ones are refused) and run over the text.
 */

import { P_USER, type Candidate } from './redactCandidates';

// ---------------------------------------------------------------------------------------------
// User patterns.

export interface UserPattern {
  source: string;
  re: RegExp;
}

/** Heuristic: a quantified group that itself contains a quantifier, e.g. `(a+)+`, `(\w*x)*`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

export function compileUserPattern(raw: string): UserPattern | string {
  let source = raw;
  let flags = '';
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(raw);
  if (literal !== null) {
    source = literal[1];
    flags = literal[2].replace(/[gyd]/g, '');
  }
  if (source.length === 0) {
    return 'empty pattern';
  }
  if (NESTED_QUANTIFIER.test(source)) {
    return 'nested quantifiers can backtrack catastrophically; rewrite without a repeated group that repeats inside';
  }
  try {
    const re = new RegExp(source, `${flags}gd`);
    if (re.test('')) {
      return 'pattern matches the empty string';
    }
    return { source: raw, re };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function scanUserPatterns(patterns: readonly UserPattern[], text: string, out: Candidate[]): void {
  for (const { re } of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      let span: [number, number] | undefined = m.indices?.[0];
      const named = m.indices?.groups?.secret;
      if (named !== undefined) {
        span = named;
      } else if (m.length > 1 && m.indices?.[1] !== undefined) {
        span = m.indices[1];
      }
      if (span !== undefined && span[1] > span[0]) {
        out.push({ start: span[0], end: span[1], rule: 'user-pattern', priority: P_USER });
      }
    }
  }
}
