/**
 * What the trace tells about each file's content at a point of the trace: the Replayer's
 * document states, plus what the Replayer does not track — which files are known not to
 * exist (deleted, renamed away) and which replayed states cannot be trusted (too large or
 * binary files, changes on disk replay did not reproduce, a malformed event that was
 * skipped, a bulk change that listed only some of its files). Plain Node; never imports
 * `vscode`.
 */
import type { ReplayWarning, Replayer } from '../replay/replay';
import type { EventOf, TracePath, TraceEvent } from '../trace/events';
import { sha256 } from '../trace/identity';
import type { BaseFile } from './episode';
import { isAtOrUnder } from '../trace/pathUnder';

export type Missing = Exclude<NonNullable<BaseFile['missing']>, 'created'>;

/** A file's content at one point: its text, known absence, or unknown (and why). */
export type FileState = { kind: 'text'; text: string } | { kind: 'absent' } | { kind: 'unknown'; missing: Missing; why: string };

/** Whether a path names a file of the workspace (not an untitled document, an outside file or an excluded one). */
export function isWorkspaceFile(path: TracePath): boolean {
  return !/^(untitled|outside|excluded):/.test(path);
}

const WHY: Record<Missing, string> = {
  'no-snapshot': 'the trace has no content of it (no doc.open snapshot or file.change text before)',
  'not-replayable': 'its replayed content is not reliable',
  binary: 'a binary file (no content recorded)',
  'too-large': 'over the capture size limit (no content recorded)',
};

/**
 * Wraps a Replayer. Feed every event through {@link before} (before the Replayer sees it)
 * and {@link after} (after), then ask {@link state}.
 */
export class FileKnowledge {
  private readonly absent = new Set<TracePath>();
  private readonly untrusted = new Map<TracePath, { missing: Missing; why: string }>();
  /** Documents open in the editor (VS Code reloads them when they change on disk). */
  private readonly open = new Set<TracePath>();
  /** Paths with a replayed state (from doc.open), for bulk changes that do not list them all. */
  private readonly known = new Set<TracePath>();

  constructor(private readonly replayer: Replayer) {}

  /** The paths with a state that a deletion or rename of `path` (a file or a folder) concerns. */
  affected(path: TracePath): TracePath[] {
    const result = new Set<TracePath>();
    for (const p of this.known) {
      if (isAtOrUnder(p, path)) result.add(p);
    }
    if (this.replayer.get(path) !== undefined) result.add(path);
    return [...result].sort();
  }

  /** Call before the Replayer applies `event`. */
  before(event: TraceEvent): void {
    switch (event.kind) {
      case 'file.delete':
        for (const p of this.affected(event.path)) this.markAbsent(p);
        this.markAbsent(event.path);
        return;
      case 'file.rename':
        if (event.from === event.to) {
          return;
        }
        for (const p of this.affected(event.from)) {
          const to = event.to + p.slice(event.from.length);
          const distrust = this.untrusted.get(p);
          this.markAbsent(p);
          this.absent.delete(to);
          this.known.add(to);
          if (distrust) this.untrusted.set(to, distrust);
          else this.untrusted.delete(to);
          if (this.open.delete(p)) this.open.add(to);
        }
        this.markAbsent(event.from);
        this.absent.delete(event.to);
        return;
      default:
        return;
    }
  }

  /** Call after the Replayer applied `event`. */
  after(event: TraceEvent): void {
    switch (event.kind) {
      case 'doc.open':
        this.absent.delete(event.path);
        this.known.add(event.path);
        this.open.add(event.path);
        if (event.replayable && typeof event.text === 'string') {
          this.untrusted.delete(event.path);
        } else {
          this.untrusted.set(event.path, event.omitted === 'too-large' ? { missing: 'too-large', why: WHY['too-large'] } : { missing: 'not-replayable', why: 'its snapshot is not replayable' });
        }
        return;
      case 'doc.close':
        this.open.delete(event.path);
        return;
      case 'file.create':
        this.absent.delete(event.path);
        return;
      case 'file.change':
        this.fileChange(event);
        return;
      case 'file.bulk':
        this.fileBulk(event);
        return;
      default:
        return;
    }
  }

  /** A content event that was skipped as malformed: replay of `path` has lost track. */
  lost(path: TracePath, why: string): void {
    this.untrusted.set(path, { missing: 'not-replayable', why });
  }

  /** The content of `path` now. */
  state(path: TracePath): FileState {
    if (this.absent.has(path)) {
      return { kind: 'absent' };
    }
    const distrust = this.untrusted.get(path);
    if (distrust) {
      return { kind: 'unknown', ...distrust };
    }
    const doc = this.replayer.get(path);
    if (!doc) {
      return { kind: 'unknown', missing: 'no-snapshot', why: WHY['no-snapshot'] };
    }
    if (!doc.replayable) {
      let warning: ReplayWarning | undefined;
      for (const w of this.replayer.warnings) {
        if (w.path === path) warning = w;
      }
      return { kind: 'unknown', missing: 'not-replayable', why: warning ? `replay lost track: ${warning.message}` : WHY['not-replayable'] };
    }
    return { kind: 'text', text: doc.text };
  }

  private markAbsent(path: TracePath): void {
    this.absent.add(path);
    this.untrusted.delete(path);
    this.known.delete(path);
    this.open.delete(path);
  }

  private fileChange(event: EventOf<'file.change'>): void {
    if (event.change === 'deleted') {
      this.markAbsent(event.path);
      return;
    }
    this.absent.delete(event.path);
    this.known.add(event.path);
    if (event.omitted !== undefined) {
      this.untrusted.set(event.path, { missing: event.omitted, why: WHY[event.omitted] });
      return;
    }
    if (event.editor === true) {
      return; // the content change is the editor's doc.edit (cause external)
    }
    // Replay must reproduce the file's bytes; when it does not (a Replayer without
    // file.change support, a change from a content replay did not have), the state is
    // not trusted until the next snapshot.
    const doc = this.replayer.get(event.path);
    if (!doc || !doc.replayable) {
      this.untrusted.set(event.path, { missing: 'no-snapshot', why: `replay has no content after the file.change at seq ${event.seq}` });
    } else if (event.sha256 !== null && sha256(doc.text) !== event.sha256) {
      this.untrusted.set(event.path, { missing: 'not-replayable', why: `replayed content does not match the sha256 of the file.change at seq ${event.seq}` });
    } else {
      this.untrusted.delete(event.path);
    }
  }

  private fileBulk(event: EventOf<'file.bulk'>): void {
    const listed = new Set(event.paths);
    event.paths.forEach((path, i) => {
      if (this.open.has(path)) {
        return; // VS Code reloads an open document: its doc.edit (cause external) carries the change
      }
      const hash = event.hashes?.[i];
      const doc = this.replayer.get(path);
      if (!doc || typeof hash !== 'string' || !doc.replayable || sha256(doc.text) !== hash) {
        this.untrusted.set(path, { missing: 'not-replayable', why: `changed on disk by a bulk change at seq ${event.seq} that carries no content` });
      }
    });
    if (event.truncated) {
      for (const path of this.known) {
        if (!listed.has(path) && !this.open.has(path)) {
          this.untrusted.set(path, { missing: 'not-replayable', why: `possibly changed on disk by a bulk change at seq ${event.seq} that lists only some of its files` });
        }
      }
    }
  }
}
