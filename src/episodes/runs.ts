/**
 * Raw edits waiting for their edit step. The semantic layer emits an `edit.step` after the
 * `doc.edit`s it covers (at a pause, a switch, a save, a run), so a boundary can fall between
 * them: a task started, or a branch switched, a second after typing. The edits belong to the
 * episode that gets their step: every episode that ends while they wait for it ends with the
 * file as it was before them, and the next one starts from there. At the end of a session every step has
 * been emitted (the extension flushes it), so runs left open then stay where they were typed.
 * Plain Node; never imports `vscode`.
 */
import type { TracePath } from '../trace/events';
import type { FileState } from './files';

export class EditRuns {
  /** Per file with edits since its last step: the file before the first of them. */
  private readonly runs = new Map<TracePath, FileState>();

  /** A doc.edit of `path` (call before it is replayed; `before` is read only for the first edit of a run). */
  edit(path: TracePath, before: () => FileState): void {
    if (!this.runs.has(path)) {
      this.runs.set(path, before());
    }
  }

  /** The edit step of `path` came: its edits are covered. */
  step(path: TracePath): void {
    this.runs.delete(path);
  }

  /** The file before the edits of `path` still waiting for their step, if any. */
  before(path: TracePath): FileState | undefined {
    return this.runs.get(path);
  }

  /** The session ended: edits without a step stay in the episode they were typed in. */
  clear(): void {
    this.runs.clear();
  }
}
