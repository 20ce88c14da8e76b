/**
 * Lines and the mixed-line rule: who a line is counted for when several origins wrote its
 * characters. Plain Node; never imports `vscode`.
 *
 * Lines are split as VS Code splits them (`\r\n`, `\n` or a lone `\r` ends a line; a text
 * ending with a line break has a last, empty line). Characters are UTF-16 code units.
 *
 * The mixed-line rule:
 * 1. The *deciding characters* of a line are its non-whitespace characters; if it has none,
 *    its whitespace characters; if it is empty, its own line break, or the line break before
 *    it when it has none (the last line) or its own is of `unknown` origin (Enter pressed at
 *    the end of a line puts the new break before the old one). A line break never counts
 *    otherwise.
 * 2. Characters of `unknown` origin (there before capture, brought by git, programmatic)
 *    are set aside unless every deciding character is `unknown`: a line any recorded edit
 *    wrote into is counted for that edit's author.
 * 3. The line's author is the author class with the most deciding characters. A tie goes
 *    to the first in {@link TIE_ORDER}: assistant, completion, tool, pasted, typed,
 *    refactor, formatter — text a machine produced wins over the hand that adjusted it, and
 *    text that was written wins over a formatter or refactoring that only reshaped it.
 * 4. Hence whitespace (re-indentation, line breaks) never takes a line from its author; a
 *    typed line a formatter reformatted stays typed unless the formatter inserted most of its
 *    non-whitespace characters; a completion line edited by hand stays a completion unless
 *    the hand-typed non-whitespace characters are more than the completion's.
 * 5. The line's contribution (Agent Trace): `mixed` when its deciding characters (rule 2)
 *    include both human-class and AI-class origins (see author.ts); otherwise `ai` when
 *    AI-class characters are present and at least as many as the unknown-class ones
 *    (pasted, tool, formatter), `human` likewise for human-class ones, else `unknown`.
 */
import { ORIGINS, authorOf, contributionOf, type Author, type Contribution, type Origin } from './author';
import type { Run } from './runs';

/** One line: `[start, end)` its content, `next` where the following line starts (after the line break). */
export interface LineSpan {
  start: number;
  end: number;
  next: number;
}

/** Who a line is counted for. */
export interface LineAuthorship {
  author: Author;
  contribution: Contribution;
}

/** Tie order of rule 3 (see the module comment). `unknown` only decides alone. */
export const TIE_ORDER: readonly Author[] = ['assistant', 'completion', 'tool', 'pasted', 'typed', 'refactor', 'formatter', 'unknown'];

/** The lines of `text` (at least one). */
export function lineSpans(text: string): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      spans.push({ start, end: i, next: i + 1 });
      start = i + 1;
    } else if (c === 13) {
      const next = text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      spans.push({ start, end: i, next });
      start = next;
      i = next - 1;
    }
  }
  spans.push({ start, end: text.length, next: text.length });
  return spans;
}

/** The contents of the lines of `text`, without line breaks (at least one). */
export function splitLines(text: string): string[] {
  return lineSpans(text).map((s) => text.slice(s.start, s.end));
}

/** The lines of `text` with their line breaks, joined back they give `text`; no trailing empty line. */
export function splitLinesKeepingBreaks(text: string): string[] {
  return lineSpans(text)
    .map((s) => text.slice(s.start, s.next))
    .filter((line) => line !== '');
}

const WHITESPACE = /\s/;

function isWhitespace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) {
    return true;
  }
  return code >= 128 && WHITESPACE.test(String.fromCharCode(code));
}

const ORIGIN_INDEX = new Map<Origin, number>(ORIGINS.map((o, i) => [o, i]));
const UNKNOWN_INDEX = ORIGINS.indexOf('unknown');

function zeros(): number[] {
  return ORIGINS.map(() => 0);
}

/** Applies rules 2, 3 and 5 to the deciding characters, counted per origin (indices of ORIGINS). */
export function decideLine(byOrigin: readonly number[]): LineAuthorship {
  const perAuthor = new Map<Author, number>();
  let recorded = 0;
  let human = 0;
  let ai = 0;
  let other = 0;
  for (let k = 0; k < ORIGINS.length; k++) {
    const n = byOrigin[k] ?? 0;
    if (n === 0 || k === UNKNOWN_INDEX) {
      continue;
    }
    const origin = ORIGINS[k];
    recorded += n;
    const author = authorOf(origin);
    perAuthor.set(author, (perAuthor.get(author) ?? 0) + n);
    const kind = contributionOf(origin);
    if (kind === 'human') {
      human += n;
    } else if (kind === 'ai') {
      ai += n;
    } else {
      other += n;
    }
  }
  if (recorded === 0) {
    return { author: 'unknown', contribution: 'unknown' };
  }
  let author: Author = 'unknown';
  let best = 0;
  for (const candidate of TIE_ORDER) {
    const n = perAuthor.get(candidate) ?? 0;
    if (n > best) {
      best = n;
      author = candidate;
    }
  }
  const contribution: Contribution = human > 0 && ai > 0 ? 'mixed' : ai > 0 && ai >= other ? 'ai' : human > 0 && human >= other ? 'human' : 'unknown';
  return { author, contribution };
}

/**
 * Who each line of `text` is counted for, by the mixed-line rule; `runs` must cover `text`
 * exactly (their lengths sum to `text.length`).
 */
export function classifyLines(text: string, runs: readonly Run[]): LineAuthorship[] {
  const result: LineAuthorship[] = [];
  classify(text, runs, undefined, (_line, who) => result.push(who));
  return result;
}

/**
 * {@link classifyLines} for some lines only (0-based indices; others and those past the end
 * are left out): the cost is the length of those lines, not of the whole text.
 */
export function classifySomeLines(text: string, runs: readonly Run[], lines: Iterable<number>): Map<number, LineAuthorship> {
  const wanted = new Set(lines);
  const result = new Map<number, LineAuthorship>();
  classify(text, runs, wanted, (line, who) => result.set(line, who));
  return result;
}

function classify(text: string, runs: readonly Run[], wanted: ReadonlySet<number> | undefined, emit: (line: number, who: LineAuthorship) => void): void {
  const spans = lineSpans(text);
  let r = 0;
  let runStart = 0;
  // positions are asked in increasing order only (lines left out are skipped, never revisited)
  const originAt = (p: number): number => {
    while (r < runs.length && runStart + runs[r].length <= p) {
      runStart += runs[r].length;
      r++;
    }
    const run = runs[r];
    return run === undefined ? UNKNOWN_INDEX : (ORIGIN_INDEX.get(run.origin) ?? UNKNOWN_INDEX);
  };
  let previousBreak: number[] | undefined;
  for (let l = 0; l < spans.length; l++) {
    const { start, end, next } = spans[l];
    const self = wanted === undefined || wanted.has(l);
    if (!self && !wanted?.has(l + 1)) {
      continue; // neither this line nor its break (which the next line may need) is asked for
    }
    const nonWhitespace = zeros();
    const whitespace = zeros();
    let nonWhitespaceCount = 0;
    if (self) {
      for (let p = start; p < end; p++) {
        const o = originAt(p);
        if (isWhitespace(text.charCodeAt(p))) {
          whitespace[o]++;
        } else {
          nonWhitespace[o]++;
          nonWhitespaceCount++;
        }
      }
    }
    const lineBreak = zeros();
    for (let p = end; p < next; p++) {
      lineBreak[originAt(p)]++;
    }
    if (self) {
      let deciding: number[];
      if (nonWhitespaceCount > 0) {
        deciding = nonWhitespace;
      } else if (end > start) {
        deciding = whitespace;
      } else {
        const ownIsKnown = lineBreak.some((n, o) => n > 0 && o !== UNKNOWN_INDEX);
        deciding = ownIsKnown || previousBreak === undefined ? lineBreak : previousBreak; // line l - 1 was read: l is asked for
      }
      emit(l, decideLine(deciding));
    }
    previousBreak = lineBreak;
  }
}
