/**
 * Secret detection and redaction, plain Node, synchronous.
 *
 * Every secret found is replaced by a fixed placeholder naming the rule, `«redacted:<rule-id>»`,
 * whose length depends on the rule only, never on the secret. Placeholders match no rule, so
 * redacting redacted text changes nothing.
 *
 * The provider-token rules are ported from gitleaks' default rule set
 * (https://github.com/gitleaks/gitleaks, `config/gitleaks.toml` and
 * `cmd/generate/config/rules/*.go`, MIT licence, Copyright (c) 2019 Zachary Rice) and, for Shopify
 * and Slack, widened after secretlint's rules (https://github.com/secretlint/secretlint, MIT,
 * Copyright (c) 2020 azu). They are rewritten for JavaScript's regex engine: every pattern starts at
 * a literal prefix behind a lookbehind boundary and has bounded quantifiers over classes that the
 * next token cannot match, so a scan is linear in the input (no nested quantifiers, no unbounded
 * runs). The key/value ("generic") rule, the private-key, URL-credential and `curl -u` scanners and
 * the entropy gate are written for this engine, after gitleaks' `generic-api-key`, `private-key` and
 * `curl-auth-*` rules and their allowlists. The measured corpus: test/fixtures/redaction/README.md.
 *
 * Entropy gate of the key/value rule: the value must be at least 8 characters long and have a
 * Shannon entropy of at least min(3.5, log2(length) − 0.5) bits per character. A fixed 3.5 would
 * silently require 12+ characters (a string of n characters has at most log2(n) bits/char), so
 * short passwords get a threshold that still demands nearly all-distinct characters. Hex values
 * (at most 4 bits/char) need 16+ digits and 2.5 bits/char. Letters-only values are words or
 * identifiers unless their case changes like random text. Names that only say `key` (not
 * `api_key`, `secret_key`…) need 16+ characters, a digit and a letter, and 3.5 bits/char.
 *
 * Offsets are JavaScript string indices (UTF-16 code units), like `String.prototype.slice`.
 *
 * This module is the engine: it runs every rule over the text, merges the overlapping spans and
 * writes the placeholders. The rules live in their own modules: the provider-token table in
 * redactTokenRules.ts, the key/value rule in redactAssignments.ts (names: redactSecretNames.ts),
 * private keys in redactPrivateKeys.ts, Authorization headers, URL and `curl -u` credentials in
 * redactCredentials.ts, the user's patterns in redactUserPatterns.ts; shared by them: the
 * candidate spans and their priorities (redactCandidates.ts), the entropy gate (redactEntropy.ts)
 * and the values that are obviously not secrets (redactPlaceholderValues.ts).
 */

import { scanAssignments } from './redactAssignments';
import { P_TOKEN, type Candidate } from './redactCandidates';
import { scanAuthHeaders, scanCurlUser, scanUrlCredentials } from './redactCredentials';
import { shannonEntropy } from './redactEntropy';
import { isPlaceholderValue } from './redactPlaceholderValues';
import { scanPrivateKeys } from './redactPrivateKeys';
import { TOKEN_RULES } from './redactTokenRules';
import { compileUserPattern, scanUserPatterns, type UserPattern } from './redactUserPatterns';

export { isSecretValue } from './redactAssignments';
export { entropyThreshold, shannonEntropy } from './redactEntropy';
export { isPlaceholderValue } from './redactPlaceholderValues';
export { MAX_PRIVATE_KEY_CHARS } from './redactPrivateKeys';
export { classifyName } from './redactSecretNames';

export interface Redaction {
  /** Rule id, as in the placeholder. */
  rule: string;
  /** Offsets of the placeholder in the output text. */
  start: number;
  end: number;
  /** Offsets of the redacted secret in the input text. */
  originalStart: number;
  originalEnd: number;
}

export interface RedactResult {
  text: string;
  redactions: Redaction[];
}

export interface RedactorOptions {
  /**
   * User regexes (`worktrace.redact.patterns`): either a bare source (`mycorp_[a-z0-9]{32}`) or a
   * regex literal with flags (`/mycorp_[a-z0-9]{32}/i`). If the pattern has a capture group, only
   * the named group `secret`, else group 1, is redacted; otherwise the whole match. Invalid or
   * unsafe patterns are reported in `problems` and skipped.
   */
  extraPatterns?: readonly string[];
}

/** The placeholder that replaces a secret found by `rule`. */
export function placeholder(rule: string): string {
  return `«redacted:${rule}»`;
}

/** Matches any placeholder (what the engine writes; it never matches a rule). */
export const PLACEHOLDER_PATTERN = /«redacted:[a-z0-9-]{1,40}»/g;

/** Counts redactions per rule (for metrics). */
export function countByRule(redactions: readonly Redaction[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of redactions) {
    out[r.rule] = (out[r.rule] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function scanTokens(text: string, out: Candidate[]): void {
  for (const rule of TOKEN_RULES) {
    if (!rule.keywords.some((k) => text.includes(k))) {
      continue;
    }
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const s = m[0];
      if (shannonEntropy(s) < rule.minEntropy || isPlaceholderValue(s) || (rule.reject?.(s) ?? false)) {
        continue;
      }
      out.push({ start: m.index, end: m.index + s.length, rule: rule.id, priority: P_TOKEN });
    }
  }
}

/** Every rule id the engine may emit. */
export const RULE_IDS: readonly string[] = [
  ...new Set([...TOKEN_RULES.map((r) => r.id), 'private-key', 'aws-secret-key', 'auth-header', 'url-credentials', 'cli-credentials', 'generic-secret', 'user-pattern']),
];

function placeholderSpans(text: string): Array<[number, number]> {
  if (!text.includes('«redacted:')) {
    return [];
  }
  const spans: Array<[number, number]> = [];
  const re = new RegExp(PLACEHOLDER_PATTERN.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    spans.push([m.index, m.index + m[0].length]);
  }
  return spans;
}

/** Merges overlapping candidates (the union keeps the name of the most specific rule). */
function resolve(candidates: Candidate[], protectedSpans: Array<[number, number]>): Candidate[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Candidate[] = [];
  let k = 0;
  for (const c of candidates) {
    while (k < protectedSpans.length && protectedSpans[k][1] <= c.start) {
      k++;
    }
    if (k < protectedSpans.length && protectedSpans[k][0] < c.end) {
      continue; // overlaps a placeholder already in the text
    }
    const last = merged[merged.length - 1];
    if (last !== undefined && c.start < last.end) {
      if (c.end > last.end) {
        last.end = c.end;
      }
      if (c.priority < last.priority) {
        last.priority = c.priority;
        last.rule = c.rule;
      }
    } else {
      merged.push({ ...c });
    }
  }
  return merged;
}

export class Redactor {
  /** Problems found in the options, e.g. invalid user patterns (reported, never thrown). */
  readonly problems: string[] = [];
  private readonly userPatterns: UserPattern[] = [];

  constructor(options: RedactorOptions = {}) {
    for (const raw of options.extraPatterns ?? []) {
      const compiled = compileUserPattern(raw);
      if (typeof compiled === 'string') {
        this.problems.push(`worktrace.redact.patterns: ignoring ${JSON.stringify(raw)}: ${compiled}`);
      } else {
        this.userPatterns.push(compiled);
      }
    }
  }

  /** Finds the secrets of `text`: spans of the input, sorted and disjoint (overlaps merged). */
  scan(text: string): Array<{ rule: string; start: number; end: number }> {
    const candidates: Candidate[] = [];
    scanTokens(text, candidates);
    scanPrivateKeys(text, candidates);
    scanUrlCredentials(text, candidates);
    scanCurlUser(text, candidates);
    scanAuthHeaders(text, candidates);
    scanAssignments(text, candidates);
    scanUserPatterns(this.userPatterns, text, candidates);
    if (candidates.length === 0) {
      return [];
    }
    return resolve(candidates, placeholderSpans(text)).map(({ rule, start, end }) => ({ rule, start, end }));
  }

  /** Replaces every secret of `text` by its placeholder. Synchronous; linear in the text. */
  redact(text: string): RedactResult {
    const found = this.scan(text);
    if (found.length === 0) {
      return { text, redactions: [] };
    }
    const parts: string[] = [];
    const redactions: Redaction[] = [];
    let pos = 0;
    let outLen = 0;
    for (const f of found) {
      const before = text.slice(pos, f.start);
      parts.push(before);
      outLen += before.length;
      const ph = placeholder(f.rule);
      parts.push(ph);
      redactions.push({ rule: f.rule, start: outLen, end: outLen + ph.length, originalStart: f.start, originalEnd: f.end });
      outLen += ph.length;
      pos = f.end;
    }
    parts.push(text.slice(pos));
    return { text: parts.join(''), redactions };
  }
}
