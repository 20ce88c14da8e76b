/**
 * Authorship for the episode builder (`BuildOptions.observe`): one AuthorshipTracker per
 * workspace, fed every event the builder uses, in order, so that when an episode closes the
 * tracker stands where the episode ends. Plain Node; never imports `vscode`.
 *
 * - `episode.authorship`: `patchAuthorship(episode.outcome.patch, tracker)` when the episode
 *   closes — the lines its final patch adds, by who wrote them (a patch line whose content is
 *   not the tracked line of that number counts `unknown`; files the tracker has no text for
 *   are `unexplained`). Zero counts when the patch adds nothing.
 * - With `ranges`, `episode.authorshipRanges` (what the Agent Trace export reads):
 *   - `patch`: the same lines, located;
 *   - `commits`: per commit of the episode, the lines it adds, located, from the tracker's
 *     state at the commit. The trace does not hold the committed contents; the committed text
 *     of a file is taken to be its replayed text at the commit (the builder's replay), and the
 *     lines it adds are those a line diff does not find in its commit baseline (baselines.ts:
 *     its text at the previous commit, or when the trace first showed it). Files the commit
 *     lists whose replayed text or baseline is not known (or that git says gain no line) are
 *     left out: their lines cannot be located. A commit step's recorded `authorship` (counts
 *     from git at capture time, revision 2 traces) is left as it was recorded.
 *
 * Memory: the tracker and the baselines are bounded (TrackerOptions: `maxCharacters`,
 * `maxDocuments` each); commit ranges wait for their episode, at most {@link MAX_PENDING_COMMITS}.
 */
import type { ReplayedFiles, WorkspaceObserver } from '../episodes/builder';
import type { Episode } from '../episodes/episode';
import type { EventOf, TraceEvent } from '../trace/events';
import { CommitBaselines } from './baselines';
import { attributeCommit, type CommittedFile } from './commit';
import { patchAuthorship, type EpisodeAuthorshipRanges, type EpisodeWithRanges } from './episode';
import { tracePathOf } from './gitShow';
import { addedLineNumbers } from './lineMatch';
import type { AuthorshipRanges } from './ranges';
import { AuthorshipTracker, type TrackerOptions } from './tracker';

/** Most commits whose ranges wait for the episode they belong to (the oldest are dropped). */
export const MAX_PENDING_COMMITS = 256;

export interface WorkspaceAuthorshipOptions extends TrackerOptions {
  /** Also locate the lines: `episode.authorshipRanges` (per commit and for the final patch). */
  ranges?: boolean;
}

/** Follows one workspace (see the module comment). */
export class WorkspaceAuthorship implements WorkspaceObserver {
  readonly tracker: AuthorshipTracker;
  private readonly baselines: CommitBaselines | undefined;
  private pending: { sha: string; ranges: AuthorshipRanges }[] = [];

  constructor(options: WorkspaceAuthorshipOptions = {}) {
    const limits: TrackerOptions = {
      ...(options.maxCharacters === undefined ? {} : { maxCharacters: options.maxCharacters }),
      ...(options.maxDocuments === undefined ? {} : { maxDocuments: options.maxDocuments }),
    };
    this.tracker = new AuthorshipTracker(limits);
    this.baselines = options.ranges === true ? new CommitBaselines(limits) : undefined;
  }

  event(event: TraceEvent, files: ReplayedFiles): void {
    const textOf = (path: string): string | undefined => this.tracker.textOf(path);
    this.baselines?.before(event, textOf);
    this.tracker.apply(event);
    if (this.baselines === undefined) {
      return;
    }
    this.baselines.after(event, textOf);
    if (event.kind === 'git.commit') {
      this.commit(event, files, this.baselines);
    }
  }

  episode(episode: Episode): void {
    const patch = patchAuthorship(episode.outcome.patch, this.tracker);
    episode.authorship = patch.authorship;
    if (this.baselines !== undefined) {
      const commits: NonNullable<EpisodeAuthorshipRanges['commits']> = [];
      for (const sha of episode.outcome.commits) {
        const found = this.pending.find((c) => c.sha === sha);
        if (found !== undefined) {
          commits.push(found);
        }
      }
      (episode as EpisodeWithRanges).authorshipRanges = { ...(commits.length > 0 ? { commits } : {}), patch: patch.ranges };
    }
    this.pending = [];
  }

  private commit(event: EventOf<'git.commit'>, files: ReplayedFiles, baselines: CommitBaselines): void {
    const committed: CommittedFile[] = [];
    const texts = new Map<string, string | undefined>();
    for (const file of event.files) {
      const path = tracePathOf(event.repo, file.path);
      const state = files.state(path);
      const text = state.kind === 'text' ? state.text : undefined;
      texts.set(path, text);
      const base = baselines.get(path);
      if (file.added === 0 || text === undefined || base === undefined) {
        continue;
      }
      const addedLines = addedLineNumbers(base, text);
      if (addedLines.length > 0) {
        committed.push({ path, committedText: text, addedLines });
      }
    }
    this.pending.push({ sha: event.sha, ranges: attributeCommit(this.tracker, committed).ranges });
    if (this.pending.length > MAX_PENDING_COMMITS) {
      this.pending.shift();
    }
    for (const [path, text] of texts) {
      baselines.commit(path, text);
    }
  }
}

/** `BuildOptions.observe` that gives every workspace its {@link WorkspaceAuthorship}. */
export function observeAuthorship(options: WorkspaceAuthorshipOptions = {}): (workspace: string) => WorkspaceAuthorship {
  return () => new WorkspaceAuthorship(options);
}
