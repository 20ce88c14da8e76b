/**
 * The files one episode touches: the content of each as the episode found it (its base),
 * as the episode left it, and the patch between the two.
 *
 * A file is touched by a `doc.edit`, an `edit.step`, a `file.change`, or a deletion or
 * rename of a file with content in the trace. Its base is the state just before the first
 * such event of the episode (edits whose edit step comes in a later episode belong to that
 * one: see runs.ts); its end, the state after the episode's last event; a file created in the episode (`file.create`, a `file.change`
 * that creates it, the target of a rename) has base `created`. Untitled documents, files
 * outside the workspace and excluded files are not files of the workspace and are left out.
 * Plain Node; never imports `vscode`.
 */
import type { TracePath, TraceEvent } from '../trace/events';
import { sha256 } from '../trace/identity';
import type { BaseFile } from './episode';
import { isWorkspaceFile, type FileKnowledge, type FileState } from './files';
import { gitPatch, type FileChange } from './patch';
import type { EditRuns } from './runs';

type BaseState = FileState | { kind: 'created' };

/** What {@link EpisodeFiles.result} gives. */
export interface EpisodeFilesResult {
  base: BaseFile[];
  patch: string;
  /** One line per file whose base or end is not known (its changes are not in the patch). */
  problems: string[];
}

export class EpisodeFiles {
  private readonly base = new Map<TracePath, BaseState>();
  private readonly created = new Set<TracePath>();
  /** The end states, fixed when the episode was suspended at its session's end. */
  private end: Map<TracePath, FileState> | undefined;

  constructor(
    private readonly knowledge: FileKnowledge,
    private readonly runs: EditRuns,
  ) {}

  /** Call for each event of the episode before it is applied to the replay. */
  before(event: TraceEvent): void {
    switch (event.kind) {
      case 'doc.edit':
        this.touch(event.path, false);
        this.runs.edit(event.path, () => this.knowledge.state(event.path));
        return;
      case 'edit.step':
        this.touch(event.path, false);
        this.runs.step(event.path);
        return;
      case 'file.change':
        this.touch(event.path, event.change === 'created');
        return;
      case 'file.create':
        if (!this.base.has(event.path)) {
          this.created.add(event.path);
        }
        return;
      case 'file.delete':
        for (const path of this.knowledge.affected(event.path)) this.touch(path, false);
        return;
      case 'file.rename':
        if (event.from === event.to) {
          return;
        }
        for (const path of this.knowledge.affected(event.from)) {
          this.touch(path, false);
          const to = event.to + path.slice(event.from.length);
          this.touch(to, this.knowledge.state(to).kind !== 'text');
        }
        return;
      default:
        return;
    }
  }

  /** The session ended with the episode open: its end is now, whatever the next session replays. */
  suspend(): void {
    this.end = new Map([...this.base.keys()].map((path) => [path, this.knowledge.state(path)]));
  }

  /** The episode goes on in a new session. */
  resume(): void {
    this.end = undefined;
  }

  /** Base files sorted by path, the patch base → end, and what is not known. */
  result(): EpisodeFilesResult {
    const base: BaseFile[] = [];
    const changes: FileChange[] = [];
    const problems: string[] = [];
    for (const path of [...this.base.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const start = this.base.get(path) as BaseState;
      // edits whose step is still to come belong to a later episode
      const end = this.runs.before(path) ?? this.end?.get(path) ?? this.knowledge.state(path);
      let before: string | null;
      if (start.kind === 'text') {
        base.push({ path, known: true, text: start.text, sha256: sha256(start.text) });
        before = start.text;
      } else if (start.kind === 'unknown') {
        base.push({ path, known: false, missing: start.missing });
        problems.push(`${path}: content at the start not known: ${start.why}`);
        continue;
      } else {
        base.push({ path, known: false, missing: 'created' });
        before = null;
      }
      if (end.kind === 'unknown') {
        problems.push(`${path}: content at the end not known: ${end.why}`);
        continue;
      }
      changes.push({ path, before, after: end.kind === 'text' ? end.text : null });
    }
    return { base, patch: gitPatch(changes), problems };
  }

  private touch(path: TracePath, creation: boolean): void {
    if (!isWorkspaceFile(path) || this.base.has(path)) {
      return;
    }
    // edits typed in an earlier episode whose step is still to come: this one starts before them
    const state = this.runs.before(path) ?? this.knowledge.state(path);
    this.base.set(path, creation || this.created.has(path) || state.kind === 'absent' ? { kind: 'created' } : state);
  }
}
