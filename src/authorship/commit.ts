/**
 * Authorship of the lines a commit adds, from the committed files and the tracker's state.
 * Plain Node; never imports `vscode`.
 */
import type { Authorship, AuthorshipCounts, TracePath } from '../trace/events';
import { addCounts, emptyCounts } from './author';
import { gitLines, validLines } from './lineMatch';
import { toAuthorRanges, toLineRanges, type AttributedLine, type AuthorshipRanges } from './ranges';

/** One file of a commit: its committed content and the lines the commit adds to it. */
export interface CommittedFile {
  /** Trace path (workspace-relative, see gitShow.ts `tracePathOf`). */
  path: TracePath;
  /** The file's content in the commit (the blob, decoded as UTF-8); null when it could not be read (its added lines are then `unexplained`). */
  committedText: string | null;
  /** 1-based line numbers of `committedText` the commit adds (from `parseUnifiedDiff`). */
  addedLines: readonly number[];
}

/** `Authorship` of a commit, and the same lines as ranges. */
export interface CommitAttribution {
  authorship: Authorship;
  ranges: AuthorshipRanges;
}

/** Where attributed lines come from: the tracker (or anything that can tell). */
export interface LineAttributor {
  /** Who each of `addedLines` of `committedText` is counted for; undefined when `path` has no replayable text. */
  attributeLines(path: TracePath, committedText: string, addedLines: readonly number[]): AttributedLine[] | undefined;
}

/** Counts attributed lines by author. */
export function countLines(lines: readonly AttributedLine[]): AuthorshipCounts {
  const counts = emptyCounts();
  for (const { author } of lines) {
    counts[author]++;
  }
  return counts;
}

/**
 * Authorship of the added lines of `files`: per file (files with added lines only, sorted by
 * path) and in total; added lines of files `attributor` has no text for, or whose committed
 * text is not known, are `unexplained`.
 * Line numbers outside the committed text and repeats are ignored.
 */
export function attributeCommit(attributor: LineAttributor, files: readonly CommittedFile[]): CommitAttribution {
  const total = emptyCounts();
  const perFile: Authorship['files'] = [];
  const ranges: AuthorshipRanges = { files: [], unexplained: [] };
  let unexplained = 0;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    const added = validLines(file.addedLines, file.committedText === null ? Number.MAX_SAFE_INTEGER : gitLines(file.committedText).length);
    if (added.length === 0) {
      continue;
    }
    const lines = file.committedText === null ? undefined : attributor.attributeLines(file.path, file.committedText, added);
    if (lines === undefined) {
      unexplained += added.length;
      ranges.unexplained.push({ path: file.path, ranges: toLineRanges(added) });
      continue;
    }
    const counts = countLines(lines);
    addCounts(total, counts);
    perFile.push({ path: file.path, lines: counts });
    ranges.files.push({ path: file.path, ranges: toAuthorRanges(lines) });
  }
  return { authorship: { lines: total, files: perFile, unexplained }, ranges };
}
