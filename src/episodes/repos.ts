/**
 * The repositories of one workspace as the trace last told them: the repos of the last
 * `session.start`, moved on by the `git.checkout` and `git.commit` events since. Gives an
 * episode its starting repository state and an inferred episode its name. Plain Node; never
 * imports `vscode`.
 */
import type { EventOf } from '../trace/events';
import type { EpisodeRepo } from './episode';

export class RepoTracker {
  private repos: EpisodeRepo[] = [];
  private folders: string[] = [];

  /** A new window: its repositories and folders replace what was known. */
  sessionStart(event: EventOf<'session.start'>): void {
    this.repos = event.repos.map((r) => ({ root: r.root, head: r.head, branch: r.branch }));
    this.folders = [...event.folders];
  }

  checkout(event: EventOf<'git.checkout'>): void {
    const repo = this.repo(event.repo);
    repo.branch = event.to;
    if (event.sha !== null) {
      repo.head = event.sha;
    }
  }

  commit(event: EventOf<'git.commit'>): void {
    const repo = this.repo(event.repo);
    repo.head = event.sha;
    if (event.branch !== null) {
      repo.branch = event.branch;
    }
  }

  /** A copy of the current state, in the order of `session.start` (repositories first seen later at the end). */
  snapshot(): EpisodeRepo[] {
    return this.repos.map((r) => ({ ...r }));
  }

  /**
   * A name for work found in the trace: `Work on <branch> in <folders>`, with the branch of
   * the first repository that is on one (the workspace's own root `.` first); `Work in
   * <folders>` without a branch; `Work on <branch>` / `Work in this workspace` without folders.
   */
  describe(): string {
    const own = this.repos.find((r) => r.root === '.' && r.branch !== null);
    const branch = (own ?? this.repos.find((r) => r.branch !== null))?.branch ?? null;
    const where = this.folders.length > 0 ? this.folders.join(', ') : undefined;
    if (branch !== null) {
      return where === undefined ? `Work on ${branch}` : `Work on ${branch} in ${where}`;
    }
    return where === undefined ? 'Work in this workspace' : `Work in ${where}`;
  }

  private repo(root: string): EpisodeRepo {
    let repo = this.repos.find((r) => r.root === root);
    if (!repo) {
      repo = { root, head: null, branch: null };
      this.repos.push(repo);
    }
    return repo;
  }
}
