/**
 * Authorship of an episode: the lines its final patch adds, from the tracker after the
 * episode's last event; and the optional, located form of an episode's authorship that the
 * Agent Trace export reads. Plain Node; never imports `vscode`.
 */
import type { Episode } from '../episodes/episode';
import type { TracePath } from '../trace/events';
import { attributeCommit, type CommitAttribution, type CommittedFile, type LineAttributor } from './commit';
import { gitLines } from './lineMatch';
import type { AttributedLine, AuthorshipRanges } from './ranges';
import { parseUnifiedDiff } from './unifiedDiff';

/**
 * Located authorship of an episode, an optional companion of `Episode.authorship` and of each
 * commit step's `observation.authorship` (which only count lines). The episode builder fills
 * it; exports that need line numbers (Agent Trace) read it.
 */
export interface EpisodeAuthorshipRanges {
  /** Per commit of the episode (`outcome.commits`), the lines it adds: `attributeCommit(...).ranges` at that commit. */
  commits?: { sha: string; ranges: AuthorshipRanges }[];
  /** The lines the final patch (`outcome.patch`) adds, numbered in the files as the episode left them: `patchAuthorship(...).ranges`. */
  patch?: AuthorshipRanges;
}

/** An episode that may carry {@link EpisodeAuthorshipRanges} (the field is optional; plain episodes are valid). */
export type EpisodeWithRanges = Episode & { authorshipRanges?: EpisodeAuthorshipRanges };

/** What `patchAuthorship` needs of the tracker. */
export interface PatchSource extends LineAttributor {
  textOf(path: TracePath): string | undefined;
}

/**
 * Authorship of the lines an episode's final patch adds (git-style unified diff, base → end),
 * from `tracker` after it consumed the trace up to the episode's last event. The new side of
 * the patch is the tracked text of each file; an added line whose content differs from the
 * tracked line of that number counts `unknown`. Files the tracker has no text for are
 * `unexplained`; deleted files add nothing.
 */
export function patchAuthorship(patch: string, tracker: PatchSource): CommitAttribution {
  const files: CommittedFile[] = [];
  const expected = new Map<TracePath, Map<number, string>>();
  for (const file of parseUnifiedDiff(patch)) {
    if (file.newPath === null || file.added.length === 0) {
      continue;
    }
    const text = tracker.textOf(file.newPath);
    if (text === undefined) {
      files.push({ path: file.newPath, committedText: null, addedLines: file.added });
      continue;
    }
    files.push({ path: file.newPath, committedText: text, addedLines: file.added });
    expected.set(file.newPath, new Map(file.added.map((n, i) => [n, file.addedText[i]])));
  }
  const checked: LineAttributor = {
    attributeLines(path, committedText, addedLines): AttributedLine[] | undefined {
      const contents = expected.get(path);
      if (contents === undefined) {
        return undefined;
      }
      const lines = gitLines(committedText);
      return tracker
        .attributeLines(path, committedText, addedLines)
        ?.map((l) => (lines[l.line - 1] === contents.get(l.line) ? l : { line: l.line, author: 'unknown', contribution: 'unknown' }));
    },
  };
  return attributeCommit(checked, files);
}
