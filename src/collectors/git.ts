import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { CommitDetails, GitInspector } from '../git/inspector';
import type { Authorship, TraceSink } from '../trace/events';
import type { GitExtension, GitRepository } from '../vscode/gitApi';
import type { TracePaths } from '../vscode/paths';

export interface GitCollectorOptions {
  /** worktrace.capture.authorName */
  readonly authorName: boolean;
  /** How long to wait after a HEAD change for the git extension's onDidCommit (ms). */
  readonly scmWaitMs?: number;
  /** Who wrote the lines the commit adds (authorship/commitFromGit.ts); undefined when it cannot be told. */
  readonly authorship?: (root: string, repo: string, sha: string) => Promise<Authorship | undefined>;
}

interface RepoState {
  head: string | undefined;
  branch: string | undefined;
  /** When the git extension last reported a commit it ran (SCM view, git commands). */
  scmCommitAt: number;
}

/**
 * Notices HEAD changes through the built-in `vscode.git` extension and turns them into
 * `git.commit` (sha, parents, branch, message, files with lines added/removed, amend,
 * origin) and `git.checkout` events. Commit details come from the GitInspector
 * (simple-git); the collector does no I/O of its own. The author's email is never
 * recorded, the name only with worktrace.capture.authorName.
 */
export class GitCollector extends Disposable {
  private readonly repos = new Map<string, RepoState>();

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly inspector: GitInspector,
    private readonly options: GitCollectorOptions,
    private readonly log: Logger,
  ) {
    super();
    void this.init().catch((e: unknown) => log.warn(`git capture is off: ${e instanceof Error ? e.message : String(e)}`));
  }

  private async init(): Promise<void> {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) {
      this.log.info('the built-in git extension is not available: commits are not captured');
      return;
    }
    const api = (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
    if (this.isDisposed) {
      return;
    }
    for (const repo of api.repositories) {
      this.watch(repo);
    }
    this.register(api.onDidOpenRepository(guard(this.log, 'git repository', (repo: GitRepository) => this.watch(repo))));
  }

  private watch(repo: GitRepository): void {
    const key = repo.rootUri.toString();
    if (this.repos.has(key)) {
      return;
    }
    const state: RepoState = { head: repo.state.HEAD?.commit, branch: repo.state.HEAD?.name, scmCommitAt: 0 };
    this.repos.set(key, state);
    this.register(repo.state.onDidChange(guard(this.log, 'git state', () => this.changed(repo, state))));
    if (repo.onDidCommit) {
      this.register(repo.onDidCommit(() => (state.scmCommitAt = Date.now())));
    }
  }

  private repoPath(repo: GitRepository): string {
    const location = this.paths.locate(repo.rootUri);
    return location ? location.path || '.' : '.';
  }

  private changed(repo: GitRepository, state: RepoState): void {
    const head = repo.state.HEAD;
    const sha = head?.commit;
    if (sha === state.head && head?.name === state.branch) {
      return;
    }
    const previous = state.head;
    const previousBranch = state.branch;
    state.head = sha;
    state.branch = head?.name;
    if (previous === undefined && previousBranch === undefined) {
      return; // the first status of a repository: nothing happened
    }
    if (head?.name !== previousBranch) {
      this.sink.emit({ kind: 'git.checkout', repo: this.repoPath(repo), from: previousBranch ?? null, to: head?.name ?? null, sha: sha ?? null });
      return;
    }
    if (sha && previous !== sha) {
      void this.commit(repo, state, previous, sha, head?.name ?? null, Date.now());
    }
  }

  private async commit(repo: GitRepository, state: RepoState, previous: string | undefined, sha: string, branch: string | null, changedAt: number): Promise<void> {
    const root = repo.rootUri.fsPath;
    const details = await this.inspector.describe(root, sha);
    if (!details || this.isDisposed) {
      return;
    }
    let amend = false;
    if (previous && !details.parents.includes(previous)) {
      const previousParents = await this.inspector.parents(root, previous);
      amend = previousParents !== undefined && previousParents.join(' ') === details.parents.join(' ');
      if (!amend) {
        return; // reset, rebase or pull that moved HEAD elsewhere: not a commit made here
      }
    }
    // The git extension reports its own commits (SCM view) just after the HEAD change.
    const wait = this.options.scmWaitMs ?? 1_000;
    const remaining = changedAt + wait - Date.now();
    if (remaining > 0 && state.scmCommitAt < changedAt - 500) {
      await new Promise((resolve) => setTimeout(resolve, remaining));
    }
    if (this.isDisposed) {
      return;
    }
    const authorship = await this.options.authorship?.(root, this.repoPath(repo), details.sha).catch((e: unknown) => {
      this.log.warn(`cannot tell who wrote commit ${details.sha.slice(0, 8)}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
    if (this.isDisposed) {
      return;
    }
    this.emitCommit(repo, details, branch, amend, state.scmCommitAt >= changedAt - 500 ? 'scm' : 'external', authorship);
  }

  private emitCommit(repo: GitRepository, details: CommitDetails, branch: string | null, amend: boolean, origin: 'scm' | 'external', authorship: Authorship | undefined): void {
    this.sink.emit({
      kind: 'git.commit',
      repo: this.repoPath(repo),
      sha: details.sha,
      parents: details.parents,
      branch,
      message: details.message,
      files: details.files,
      amend,
      origin, // the semantic layer attributes an `external` commit to a `git commit` typed just before
      ...(this.options.authorName && details.author ? { author: details.author } : {}),
      tests: [],
      lastTestPassed: null,
      ...(authorship ? { authorship } : {}),
    });
  }
}
