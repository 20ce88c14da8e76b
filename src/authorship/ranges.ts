/**
 * Authorship as line ranges: which lines of a commit (or of an episode's end state) who wrote.
 * `Authorship` (events.ts) only counts lines; exports that name lines (Agent Trace) need these.
 * Plain Node; never imports `vscode`.
 */
import type { LineRange, TracePath } from '../trace/events';
import type { Author, Contribution } from './author';

/** One added line and who it is counted for. */
export interface AttributedLine {
  /** 1-based line number in the committed (or final) text. */
  line: number;
  author: Author;
  contribution: Contribution;
}

/** Consecutive lines (1-based, inclusive) of one author and contribution. */
export interface AuthorRange {
  start: number;
  end: number;
  author: Author;
  contribution: Contribution;
}

/** The added lines of one file the tracker could attribute. */
export interface FileAuthorshipRanges {
  path: TracePath;
  /** Ascending, not overlapping; lines the commit does not add are in none. */
  ranges: AuthorRange[];
}

/**
 * The lines a commit (or an episode's final patch) adds, as ranges by author. Line numbers
 * refer to the committed text (for a patch: the new side, the files as the episode left them).
 * An optional companion of `Authorship`: the same lines, located.
 */
export interface AuthorshipRanges {
  /** Files with added lines the tracker could attribute, sorted by path. */
  files: FileAuthorshipRanges[];
  /** Added lines of files the tracker had no text for (the `unexplained` count), sorted by path. */
  unexplained: { path: TracePath; ranges: LineRange[] }[];
}

/** Merges consecutive lines of one author and contribution into ranges (input in any order). */
export function toAuthorRanges(lines: readonly AttributedLine[]): AuthorRange[] {
  const sorted = [...lines].sort((a, b) => a.line - b.line);
  const out: AuthorRange[] = [];
  for (const { line, author, contribution } of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end + 1 === line && last.author === author && last.contribution === contribution) {
      last.end = line;
    } else if (last === undefined || line > last.end) {
      out.push({ start: line, end: line, author, contribution });
    }
  }
  return out;
}

/** Merges line numbers (any order, repeats allowed) into ascending ranges. */
export function toLineRanges(lines: readonly number[]): LineRange[] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: LineRange[] = [];
  for (const line of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end + 1 === line) {
      last.end = line;
    } else {
      out.push({ start: line, end: line });
    }
  }
  return out;
}
