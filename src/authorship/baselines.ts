/**
 * Commit baselines: for each file, the text its last commit most likely holds, as far as the
 * trace alone can tell (a `git.commit` event lists files and line counts, not contents). With
 * the file as replayed at a commit, the baseline gives the lines the commit adds: the lines a
 * line diff does not find in the baseline. Plain Node; never imports `vscode`.
 *
 * The rules, in trace order:
 * - First sight: the text of the file's first snapshot in the trace (its `doc.open`), or
 *   empty when the trace shows it created (`file.create`, a `file.change` `created`). A file
 *   whose baseline is not known (a first `file.change` snapshot of an existing file, or a
 *   baseline forgotten to bound memory) takes its text just before its next change.
 * - A `git.commit` that lists the file: its replayed text at the commit ({@link commit}).
 * - Git changing it (a `file.change` by git — checkout, pull, merge, reset, stash — or the
 *   editor reloading it, `doc.edit` with cause `external`, within {@link EXTERNAL_MATCH_MS}
 *   of a `git.checkout` or of a change git made): its text after the change, since git wrote
 *   what the new HEAD holds.
 * - Renamed: the baseline moves with it; deleted: forgotten.
 *
 * What this cannot know: changes made while capture was off (they count as added by the next
 * commit, as `unknown` lines), uncommitted work present when the trace begins (taken for
 * committed), partial commits (`git add -p`: the commit is taken to hold the whole file), and
 * amends (the amended commit's own lines are not added again).
 *
 * Memory: the baselines set longest ago are forgotten first while their texts hold more
 * than `maxCharacters` code units in all or there are more than `maxDocuments`.
 */
import type { TracePath, TraceEvent } from '../trace/events';
import { DEFAULT_MAX_CHARACTERS, DEFAULT_MAX_DOCUMENTS, EXTERNAL_MATCH_MS, type TrackerOptions } from './tracker';
import { isAtOrUnder } from '../trace/pathUnder';

/** The text of a path at this point of the trace (the tracker's), if known. */
export type TextOf = (path: TracePath) => string | undefined;

export class CommitBaselines {
  private readonly texts = new Map<TracePath, string>();
  private readonly maxCharacters: number;
  private readonly maxDocuments: number;
  private total = 0;
  /** `ts` of the last git operation that changes files (a checkout, a change by git). */
  private gitTs = Number.NEGATIVE_INFINITY;

  constructor(options: TrackerOptions = {}) {
    this.maxCharacters = options.maxCharacters ?? DEFAULT_MAX_CHARACTERS;
    this.maxDocuments = options.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  }

  /** Code units held over all baselines. */
  get characters(): number {
    return this.total;
  }

  get(path: TracePath): string | undefined {
    return this.texts.get(path);
  }

  /** Call before the text of the trace applies `event`; `textOf` gives texts before it. */
  before(event: TraceEvent, textOf: TextOf): void {
    switch (event.kind) {
      case 'doc.edit':
        this.firstChange(event.path, textOf);
        return;
      case 'file.change':
        if (event.by.by === 'git' || event.editor === true || event.change === 'deleted') {
          return; // see after()
        }
        if (event.change === 'created' && !this.texts.has(event.path)) {
          this.set(event.path, '');
          return;
        }
        this.firstChange(event.path, textOf);
        return;
      case 'file.create':
        if (!this.texts.has(event.path)) {
          this.set(event.path, '');
        }
        return;
      default:
        return;
    }
  }

  /** Call after the text of the trace applied `event`; `textOf` gives texts after it. */
  after(event: TraceEvent, textOf: TextOf): void {
    switch (event.kind) {
      case 'doc.open':
        if (!this.texts.has(event.path) && event.replayable && typeof event.text === 'string') {
          this.set(event.path, event.text);
        }
        return;
      case 'doc.edit':
        if (event.cause === 'external' && event.ts - this.gitTs <= EXTERNAL_MATCH_MS) {
          this.follow(event.path, textOf);
        }
        return;
      case 'file.change':
        if (event.change === 'deleted' || event.omitted !== undefined) {
          this.forget(event.path);
        } else if (event.by.by === 'git') {
          this.gitTs = event.ts;
          this.follow(event.path, textOf); // with editor: true, the reload may already have come
        }
        return;
      case 'file.bulk':
        if (event.by.by === 'git') {
          this.gitTs = event.ts;
        }
        return;
      case 'git.checkout':
        this.gitTs = event.ts;
        return;
      case 'file.rename':
        this.rename(event.from, event.to);
        return;
      case 'file.delete':
        for (const path of [...this.texts.keys()]) {
          if (isAtOrUnder(path, event.path)) {
            this.forget(path);
          }
        }
        return;
      default:
        return;
    }
  }

  /** A commit holds `text` for `path` (undefined: the file is gone or its content unknown). */
  commit(path: TracePath, text: string | undefined): void {
    if (text === undefined) {
      this.forget(path);
    } else {
      this.set(path, text);
    }
  }

  private firstChange(path: TracePath, textOf: TextOf): void {
    if (this.texts.has(path)) {
      return;
    }
    const text = textOf(path);
    if (text !== undefined) {
      this.set(path, text);
    }
  }

  private follow(path: TracePath, textOf: TextOf): void {
    this.commit(path, textOf(path));
  }

  private set(path: TracePath, text: string): void {
    this.forget(path);
    this.texts.set(path, text);
    this.total += text.length;
    for (const [oldest, old] of this.texts) {
      if (this.total <= this.maxCharacters && this.texts.size <= this.maxDocuments) {
        return;
      }
      this.texts.delete(oldest);
      this.total -= old.length;
    }
  }

  private forget(path: TracePath): void {
    const text = this.texts.get(path);
    if (text !== undefined) {
      this.texts.delete(path);
      this.total -= text.length;
    }
  }

  private rename(from: TracePath, to: TracePath): void {
    if (from === to) {
      return;
    }
    const moves: [TracePath, string][] = [];
    for (const [path, text] of this.texts) {
      if (isAtOrUnder(path, from)) {
        moves.push([to + path.slice(from.length), text]);
        this.total -= text.length;
        this.texts.delete(path);
      }
    }
    for (const [path, text] of moves) {
      this.set(path, text);
    }
  }
}
