/**
 * The git command that lists the lines a commit adds, and the mapping between git's
 * repository-relative paths and trace paths. Plain Node; never imports `vscode` and runs
 * nothing itself: the VS Code layer runs git and hands the output to `parseUnifiedDiff`.
 */

/**
 * Arguments to `git` (run in the repository root) that print the diff of commit `sha` with no
 * context lines, in the form `parseUnifiedDiff` reads whatever the user's configuration says:
 * no colour, no external diff or textconv drivers, `a/`/`b/` prefixes, unquoted UTF-8 names,
 * renames followed (a renamed file's lines are not all added), and a merge diffed against its
 * first parent (what the merge brought into the branch).
 */
export function gitShowArgs(sha: string): string[] {
  if (!/^[0-9a-fA-F]{4,64}$/.test(sha)) {
    throw new Error(`not a commit id: ${sha}`);
  }
  return [
    '-c',
    'core.quotePath=false',
    'show',
    '--format=',
    '--unified=0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--find-renames',
    '--diff-merges=first-parent',
    sha,
  ];
}

/**
 * Arguments to `git` that print the committed content of several files in one process:
 * `git cat-file --batch`, fed `<sha>:<path>` lines on stdin (one per file).
 */
export const GIT_CAT_FILE_ARGS: readonly string[] = ['cat-file', '--batch'];

/** The trace path of a path relative to repository `repo` (as `git.commit.repo`: `.` for the workspace folder itself). */
export function tracePathOf(repo: string, repoPath: string): string {
  return repo === '.' || repo === '' ? repoPath : `${repo.replace(/\/+$/, '')}/${repoPath}`;
}

/** The path relative to repository `repo` of a trace path, or undefined when it lies outside it. */
export function repoPathOf(repo: string, tracePath: string): string | undefined {
  if (repo === '.' || repo === '') {
    return tracePath;
  }
  const prefix = `${repo.replace(/\/+$/, '')}/`;
  return tracePath.startsWith(prefix) ? tracePath.slice(prefix.length) : undefined;
}
