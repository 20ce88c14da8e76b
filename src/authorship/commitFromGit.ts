/**
 * Authorship of a commit as it is recorded: git says which lines the commit adds (one
 * `git show`) and what the committed files hold (`git show <sha>:<path>`, for the files with
 * added lines), the tracker says who wrote each line of the documents it followed. Plain
 * Node; git runs through the inspector (simple-git).
 */
import type { Authorship } from '../trace/events';
import { gitShowArgs, tracePathOf } from './gitShow';
import { addedLinesByPath } from './unifiedDiff';
import type { AuthorshipTracker } from './tracker';

export interface GitReader {
  raw(root: string, args: string[]): Promise<string | undefined>;
}

/** At most this many files are read for one commit (a bulk commit counts the rest as unexplained). */
const MAX_FILES = 200;
/** Larger committed files are not read (their added lines count as unexplained). */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Who wrote the lines commit `sha` adds, in repository `root` (`repo` is its trace path,
 * `.` for the workspace folder). Undefined when git cannot tell what the commit adds.
 */
export async function commitAuthorship(git: GitReader, tracker: AuthorshipTracker, root: string, repo: string, sha: string): Promise<Authorship | undefined> {
  const diff = await git.raw(root, gitShowArgs(sha));
  if (diff === undefined) {
    return undefined;
  }
  const added = [...addedLinesByPath(diff)].filter(([, lines]) => lines.length > 0);
  const files = await Promise.all(
    added.map(async ([path, addedLines], i) => {
      const tracePath = tracePathOf(repo, path);
      const text = i < MAX_FILES && tracker.has(tracePath) ? await git.raw(root, ['show', `${sha}:${path}`]) : undefined;
      return { path: tracePath, committedText: text !== undefined && text.length <= MAX_FILE_BYTES ? text : null, addedLines };
    }),
  );
  return tracker.commitAuthorship(files);
}
