/**
 * The measured redaction corpus (test/fixtures/redaction): loading it and computing recall on the
 * positives and false positives on the negatives. Plain Node; used by the unit tests and the bench.
 *
 * - positives/<family>.json: `{ family, examples: [{ text, secret, source, family? }] }` (an example's
 *   own `family` overrides the file's). An example counts
 *   as detected when every occurrence of `secret` in `text` is entirely inside redacted spans.
 * - negatives/*: ordinary files without secrets; every redaction there is a false positive.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Redactor } from './redact';

export interface PositiveExample {
  family: string;
  text: string;
  /** The secret value: it must be redacted wherever it occurs in `text`. */
  secret: string;
  /** Where the example comes from (see the corpus README). */
  source: string;
}

export interface NegativeFile {
  name: string;
  text: string;
  lines: number;
}

export interface Corpus {
  dir: string;
  positives: PositiveExample[];
  negatives: NegativeFile[];
}

export interface Span {
  start: number;
  end: number;
}

export interface FamilyRecall {
  total: number;
  detected: number;
}

export interface RecallResult {
  total: number;
  detected: number;
  /** detected / total */
  recall: number;
  byFamily: Record<string, FamilyRecall>;
  /** Examples whose secret was not (entirely) redacted. */
  misses: PositiveExample[];
}

export interface FalsePositive {
  file: string;
  /** 1-based line of the start of the redaction. */
  line: number;
  rule: string;
  match: string;
}

export interface FalsePositiveResult {
  files: number;
  lines: number;
  bytes: number;
  falsePositives: FalsePositive[];
  /** False positives per 10,000 lines of negatives. */
  perTenThousandLines: number;
}

const CORPUS_SUBDIR = path.join('test', 'fixtures', 'redaction');

/** Finds test/fixtures/redaction from `from` (default: this module's folder) upwards. */
export function findCorpusDir(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, CORPUS_SUBDIR);
    if (existsSync(path.join(candidate, 'positives'))) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no ${CORPUS_SUBDIR} above ${from}`);
    }
    dir = parent;
  }
}

/** Lines of `text` as an editor counts them (a final newline does not start a line). */
export function countLines(text: string): number {
  if (text.length === 0) {
    return 0;
  }
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    n++;
  }
  return text.endsWith('\n') ? n - 1 : n;
}

function isPositiveFile(value: unknown): value is { family: string; examples: Array<{ text: string; secret: string; source?: string; family?: string }> } {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as { family?: unknown; examples?: unknown };
  return (
    typeof v.family === 'string' &&
    Array.isArray(v.examples) &&
    v.examples.every((e: unknown) => typeof e === 'object' && e !== null && typeof (e as { text?: unknown }).text === 'string' && typeof (e as { secret?: unknown }).secret === 'string')
  );
}

export function loadCorpus(dir: string = findCorpusDir()): Corpus {
  const positives: PositiveExample[] = [];
  const posDir = path.join(dir, 'positives');
  for (const name of readdirSync(posDir).sort()) {
    if (!name.endsWith('.json')) {
      continue;
    }
    const parsed: unknown = JSON.parse(readFileSync(path.join(posDir, name), 'utf8'));
    if (!isPositiveFile(parsed)) {
      throw new Error(`${name}: expected { family, examples: [{ text, secret }] }`);
    }
    for (const e of parsed.examples) {
      if (e.secret.length === 0 || !e.text.includes(e.secret)) {
        throw new Error(`${name}: the secret does not occur in its text: ${JSON.stringify(e.text.slice(0, 80))}`);
      }
      positives.push({ family: e.family ?? parsed.family, text: e.text, secret: e.secret, source: e.source ?? '' });
    }
  }
  const negatives: NegativeFile[] = [];
  const negDir = path.join(dir, 'negatives');
  for (const name of readdirSync(negDir).sort()) {
    const p = path.join(negDir, name);
    if (!statSync(p).isFile()) {
      continue;
    }
    const text = readFileSync(p, 'utf8');
    negatives.push({ name, text, lines: countLines(text) });
  }
  return { dir, positives, negatives };
}

/** Whether every occurrence of `secret` in `text` lies inside the union of `spans` (input offsets). */
export function isSecretCovered(text: string, secret: string, spans: readonly Span[]): boolean {
  if (secret.length === 0) {
    return false;
  }
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let found = false;
  for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
    found = true;
    let reach = at; // covered up to here
    for (const s of sorted) {
      if (s.start > reach) {
        break;
      }
      reach = Math.max(reach, s.end);
    }
    if (reach < at + secret.length) {
      return false;
    }
  }
  return found;
}

function redactedSpans(redactor: Redactor, text: string): Span[] {
  return redactor.redact(text).redactions.map((r) => ({ start: r.originalStart, end: r.originalEnd }));
}

export function measureRecall(redactor: Redactor, positives: readonly PositiveExample[]): RecallResult {
  const byFamily: Record<string, FamilyRecall> = {};
  const misses: PositiveExample[] = [];
  let detected = 0;
  for (const p of positives) {
    const f = (byFamily[p.family] ??= { total: 0, detected: 0 });
    f.total++;
    if (isSecretCovered(p.text, p.secret, redactedSpans(redactor, p.text))) {
      f.detected++;
      detected++;
    } else {
      misses.push(p);
    }
  }
  return { total: positives.length, detected, recall: positives.length === 0 ? 0 : detected / positives.length, byFamily, misses };
}

export function measureFalsePositives(redactor: Redactor, negatives: readonly NegativeFile[]): FalsePositiveResult {
  const falsePositives: FalsePositive[] = [];
  let lines = 0;
  let bytes = 0;
  for (const f of negatives) {
    lines += f.lines;
    bytes += Buffer.byteLength(f.text);
    for (const r of redactor.redact(f.text).redactions) {
      falsePositives.push({ file: f.name, line: countLines(f.text.slice(0, r.originalStart + 1)), rule: r.rule, match: f.text.slice(r.originalStart, r.originalEnd) });
    }
  }
  return { files: negatives.length, lines, bytes, falsePositives, perTenThousandLines: lines === 0 ? 0 : (falsePositives.length / lines) * 10_000 };
}
