/**
 * Rebuilding document contents from a trace. Plain Node; never imports `vscode`.
 *
 * Reading and ordering a trace is the trace reader's job (src/trace/source.ts,
 * src/trace/sessionOrder.ts); this module consumes what it hands on.
 */
import type { ContentChange, Eol, EventOf, TracePath, TraceEvent } from '../trace/events';
import { sha256 } from '../trace/identity';
import { checkEnvelope } from '../trace/lineParser';
import { groupSessions } from '../trace/sessionOrder';
import type { TraceSession } from '../trace/session';
import { ChangeRangeError, applyEdits } from './apply';
import { isAtOrUnder } from '../trace/pathUnder';

/** The rebuilt state of one document. */
export interface DocState {
  /** Full text; `''` when the document is not replayable. */
  text: string;
  eol: Eol;
  languageId: string;
  /** Version of the last applied `doc.open`/`doc.edit`. */
  version: number;
  /** Whether `text` is the real content (a replayable snapshot plus every edit since). */
  replayable: boolean;
  /** Why it is not replayable (only when it is not). */
  reason?: string;
}

/** Something odd seen while replaying; replay carries on. */
export interface ReplayWarning {
  session: string;
  seq: number;
  path?: TracePath;
  message: string;
}

interface Pending {
  seq: number;
  session: string;
  changes: readonly ContentChange[];
}

interface Entry {
  text: string;
  eol: Eol;
  languageId: string;
  version: number;
  replayable: boolean;
  reason: string | undefined;
  /** The workspace of the event that last set its content. */
  workspace: string;
  /** Open in the editor (a doc.open without doc.close since): the editor's own events keep it current through changes on disk. */
  open?: boolean;
  /** Edits not applied to `text` yet (applied in one pass when the text is read). */
  pending: Pending[];
}

function requireString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new Error(`${name} is not a string`);
  }
}

function eolOf(value: unknown): Eol {
  return value === '\r\n' ? '\r\n' : '\n';
}

function describeChange(event: EventOf<'file.change'>): string {
  const by = typeof event.by === 'object' && event.by !== null && typeof event.by.by === 'string' ? ` by ${event.by.by}` : '';
  return `file.change seq ${event.seq}${by}`;
}

/**
 * Replays the events of a trace into document states, keyed by trace path.
 *
 * Feed events session by session, each in `seq` order (as the trace reader hands them on):
 * - `doc.open` with `replayable: true` (re)sets the snapshot; with `replayable: false`
 *   the path stays not replayable until a later replayable `doc.open`.
 * - `doc.edit` applies its changes (ignored when the path has no state or is not
 *   replayable). An edit whose version is not greater than the current one is applied
 *   anyway and flagged; an edit that does not fit the text makes the path not replayable.
 * - `file.change` (a change on disk): with `text`, (re)sets the state to that text (a
 *   snapshot); with `changes`, applies them to the current state (a warning, and not
 *   replayable, when that state is unknown); `change: "deleted"` removes the state;
 *   `omitted` makes the path known but not replayable; `editor: true` changes nothing (the
 *   `doc.edit` with cause `external` carried the content). When it has a `sha256`, the
 *   result is checked against it; a mismatch is a warning and makes the path not
 *   replayable until its next snapshot.
 * - `file.bulk` (many files changed at once, contents not recorded): every listed path
 *   with a state becomes not replayable until its next snapshot (`doc.open` or
 *   `file.change` with `text`), unless its hash in `hashes` is that of the state's text (then
 *   the state is what the file holds); when the list is `truncated`, every other state of that
 *   workspace does (one warning names the event). Documents open in the editor keep their state: VS
 *   Code reloads them and their `doc.edit` (cause `external`) carries the change.
 * - `file.rename` moves the state (and, for a folder, every state below it).
 * - `doc.close` keeps the last state; `file.delete` removes it (and every state below it).
 * - Any other kind is ignored.
 *
 * Paths whose last event deleted them are remembered ({@link deletedPaths}), so a check
 * against a folder can tell a file that should not be there.
 *
 * Edits are buffered per document and applied lazily (in one pass per read), so
 * replaying long typing bursts in large files stays cheap.
 */
export class Replayer {
  private readonly docs = new Map<TracePath, Entry>();
  /** Deleted paths and the workspace of the deleting event. */
  private readonly deleted = new Map<TracePath, string>();
  private readonly lastSeq = new Map<string, number>();
  /** Warnings raised so far, in the order they were found. */
  readonly warnings: ReplayWarning[] = [];

  /** Consumes one event. Never throws: a malformed event becomes a warning. */
  apply(event: TraceEvent): void {
    const envelope = checkEnvelope(event);
    if (!envelope.ok) {
      const raw = (typeof event === 'object' && event !== null ? event : {}) as Partial<Record<string, unknown>>;
      this.warnings.push({
        session: typeof raw.session === 'string' ? raw.session : '',
        seq: typeof raw.seq === 'number' ? raw.seq : 0,
        message: `not a trace event (${envelope.message}); skipped`,
      });
      return;
    }
    const last = this.lastSeq.get(event.session);
    if (last !== undefined && event.seq <= last) {
      this.warn(event, undefined, `seq ${event.seq} after ${last}: events are not in seq order`);
    }
    this.lastSeq.set(event.session, event.seq);
    try {
      this.dispatch(event);
    } catch (error) {
      this.warn(event, undefined, `malformed ${event.kind} event: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private dispatch(event: TraceEvent): void {
    switch (event.kind) {
      case 'doc.open': {
        requireString(event.path, 'path');
        const previous = this.docs.get(event.path);
        if (previous) {
          this.flush(event.path, previous); // so a bad edit before the new snapshot is still reported
        }
        const replayable = event.replayable === true && typeof event.text === 'string';
        if (event.replayable === true && !replayable) {
          this.warn(event, event.path, 'replayable doc.open without text; treated as not replayable');
        }
        this.docs.set(event.path, {
          text: replayable ? (event.text ?? '') : '',
          eol: eolOf(event.eol),
          languageId: typeof event.languageId === 'string' ? event.languageId : 'plaintext',
          version: typeof event.version === 'number' ? event.version : 0,
          replayable,
          reason: replayable ? undefined : `doc.open seq ${event.seq} has no text${typeof event.omitted === 'string' ? ` (${event.omitted})` : ''}`,
          workspace: event.workspace,
          open: true,
          pending: [],
        });
        this.deleted.delete(event.path);
        return;
      }
      case 'doc.close': {
        const entry = typeof event.path === 'string' ? this.docs.get(event.path) : undefined;
        if (entry) {
          entry.open = false; // keeps its last state
        }
        return;
      }
      case 'doc.edit': {
        requireString(event.path, 'path');
        const entry = this.docs.get(event.path);
        if (!entry || !entry.replayable) {
          return;
        }
        if (!Array.isArray(event.changes)) {
          throw new Error('changes is not an array');
        }
        if (!(event.version > entry.version)) {
          this.warn(event, event.path, `edit version ${String(event.version)} is not greater than current version ${entry.version}`);
        }
        if (typeof event.version === 'number') {
          entry.version = event.version;
        }
        entry.pending.push({ seq: event.seq, session: event.session, changes: event.changes });
        return;
      }
      case 'file.change':
        this.fileChange(event);
        return;
      case 'file.bulk':
        this.fileBulk(event);
        return;
      case 'file.create':
        requireString(event.path, 'path');
        this.deleted.delete(event.path);
        return;
      case 'file.rename':
        requireString(event.from, 'from');
        requireString(event.to, 'to');
        this.rename(event.from, event.to);
        return;
      case 'file.delete':
        requireString(event.path, 'path');
        this.remove(event.path, event.workspace, true);
        return;
      default:
        // other kinds do not change contents.
        return;
    }
  }

  private fileChange(event: EventOf<'file.change'>): void {
    requireString(event.path, 'path');
    const path = event.path;
    if (event.editor === true && event.change !== 'deleted') {
      return; // open in the editor: the doc.edit with cause `external` carried the content
    }
    const previous = this.docs.get(path);
    if (previous) {
      this.flush(path, previous);
    }
    if (event.change === 'deleted') {
      this.remove(path, event.workspace, false);
      return;
    }
    this.deleted.delete(path);
    const unknown = (reason: string): void => {
      this.docs.set(path, {
        text: '',
        eol: previous?.eol ?? '\n',
        languageId: previous?.languageId ?? 'plaintext',
        version: previous?.version ?? 0,
        replayable: false,
        reason,
        workspace: event.workspace,
        pending: [],
      });
    };
    if (event.omitted !== undefined) {
      unknown(`${describeChange(event)}: content not recorded (${String(event.omitted)})`);
      return;
    }
    if (typeof event.text === 'string') {
      const entry: Entry = {
        text: event.text,
        eol: event.text.includes('\r\n') ? '\r\n' : '\n',
        languageId: previous?.languageId ?? 'plaintext',
        version: previous?.version ?? 0,
        replayable: true,
        reason: undefined,
        workspace: event.workspace,
        pending: [],
      };
      this.docs.set(path, entry);
      this.checkHash(event, entry);
      return;
    }
    if (event.changes !== undefined) {
      if (!Array.isArray(event.changes)) {
        throw new Error('changes is not an array');
      }
      if (previous === undefined && event.change === 'created') {
        // A file that did not exist: its changes start from empty.
        const created: Entry = { text: '', eol: '\n', languageId: 'plaintext', version: 0, replayable: true, reason: undefined, workspace: event.workspace, pending: [] };
        this.docs.set(path, created);
        created.pending.push({ seq: event.seq, session: event.session, changes: event.changes });
        this.checkHash(event, created);
        this.flush(path, created);
        created.eol = created.text.includes('\r\n') ? '\r\n' : '\n';
        return;
      }
      if (previous === undefined || !previous.replayable) {
        const reason = `${describeChange(event)} changes content that is not known`;
        this.warn(event, path, `${reason}; not replayable until its next snapshot`);
        unknown(reason);
        return;
      }
      previous.pending.push({ seq: event.seq, session: event.session, changes: event.changes });
      this.checkHash(event, previous);
      return;
    }
    const reason = `${describeChange(event)} has no text, changes or omitted`;
    this.warn(event, path, `${reason}; not replayable until its next snapshot`);
    unknown(reason);
  }

  /** After a file.change: the rebuilt text must hash to its `sha256`. */
  private checkHash(event: EventOf<'file.change'>, entry: Entry): void {
    if (typeof event.sha256 !== 'string') {
      return;
    }
    this.flush(event.path, entry);
    if (entry.replayable && sha256(entry.text) !== event.sha256.toLowerCase()) {
      const reason = `the content after ${describeChange(event)} does not match its sha256`;
      this.warn(event, event.path, `${reason}; not replayable until its next snapshot`);
      this.markUnknown(entry, reason);
    }
  }

  private fileBulk(event: EventOf<'file.bulk'>): void {
    if (!Array.isArray(event.paths)) {
      throw new Error('paths is not an array');
    }
    const hashes: unknown[] = Array.isArray(event.hashes) ? event.hashes : [];
    const reason = `file.bulk seq ${event.seq} changed it without recording the content`;
    /** Listed paths whose hash after the change is that of their state: still known. */
    const verified = new Set<TracePath>();
    event.paths.forEach((path: unknown, i) => {
      if (typeof path !== 'string') {
        return;
      }
      const entry = this.docs.get(path);
      const hash = hashes[i];
      if (entry && !entry.open) {
        this.flush(path, entry);
        if (entry.replayable && typeof hash === 'string' && sha256(entry.text) === hash.toLowerCase()) {
          verified.add(path);
        } else {
          this.markUnknown(entry, reason);
        }
      }
      if (typeof hashes[i] === 'string') {
        this.deleted.delete(path); // it exists after the change
      }
    });
    if (event.truncated === true) {
      for (const [path, entry] of this.docs) {
        if (entry.workspace === event.workspace && entry.replayable && !entry.open && !verified.has(path)) {
          this.flush(path, entry);
          this.markUnknown(entry, `file.bulk seq ${event.seq} changed files it did not list`);
        }
      }
      for (const [path, workspace] of [...this.deleted]) {
        if (workspace === event.workspace) {
          this.deleted.delete(path); // it may exist again
        }
      }
      const count = typeof event.count === 'number' ? event.count : '?';
      this.warn(event, undefined, `file.bulk lists ${event.paths.length} of the ${count} files it changed: every document of workspace ${event.workspace} not open in the editor is not replayable until its next snapshot`);
    }
  }

  private markUnknown(entry: Entry, reason: string): void {
    entry.text = '';
    entry.replayable = false;
    entry.reason = reason;
    entry.pending = [];
  }

  private remove(path: TracePath, workspace: string, below: boolean): void {
    for (const known of [...this.docs.keys()]) {
      if (known === path || (below && isAtOrUnder(known, path))) {
        this.docs.delete(known);
        this.deleted.set(known, workspace);
      }
    }
    this.deleted.set(path, workspace);
  }

  private rename(from: TracePath, to: TracePath): void {
    if (from === to) {
      return;
    }
    const moves: [TracePath, Entry][] = [];
    for (const [path, entry] of this.docs) {
      if (isAtOrUnder(path, from)) {
        moves.push([to + path.slice(from.length), entry]);
        this.docs.delete(path);
      }
    }
    for (const [path, entry] of moves) {
      this.docs.set(path, entry);
      this.deleted.delete(path);
    }
    this.deleted.delete(to);
  }

  private flush(path: TracePath, entry: Entry): void {
    if (entry.pending.length === 0) {
      return;
    }
    const pending = entry.pending;
    entry.pending = [];
    try {
      entry.text = applyEdits(
        entry.text,
        pending.map((p) => p.changes),
      );
    } catch (error) {
      const at = error instanceof ChangeRangeError ? pending[error.editIndex] : pending[0];
      const what =
        error instanceof ChangeRangeError
          ? `change ${error.changeIndex} (offset ${String(error.change.offset)}, length ${String(error.change.length)}) does not fit the text (${error.textLength} code units)`
          : error instanceof Error
            ? error.message
            : String(error);
      this.warnings.push({ session: at.session, seq: at.seq, path, message: `${what}; document not replayable until its next snapshot` });
      this.markUnknown(entry, `seq ${at.seq}: ${what}`);
    }
  }

  /** The state of one document, or undefined when the trace has none for it. */
  get(path: TracePath): DocState | undefined {
    const entry = this.docs.get(path);
    if (!entry) {
      return undefined;
    }
    this.flush(path, entry);
    return {
      text: entry.text,
      eol: entry.eol,
      languageId: entry.languageId,
      version: entry.version,
      replayable: entry.replayable,
      ...(entry.replayable || entry.reason === undefined ? {} : { reason: entry.reason }),
    };
  }

  /** Every document state, sorted by path. */
  documents(): Map<TracePath, DocState> {
    const result = new Map<TracePath, DocState>();
    for (const path of [...this.docs.keys()].sort()) {
      const state = this.get(path);
      if (state) {
        result.set(path, state);
      }
    }
    return result;
  }

  /** Paths whose last event deleted them (file.delete, file.change `deleted`), sorted. */
  deletedPaths(): TracePath[] {
    return [...this.deleted.keys()].sort();
  }

  private warn(event: TraceEvent, path: TracePath | undefined, message: string): void {
    this.warnings.push({ session: event.session, seq: event.seq, ...(path === undefined ? {} : { path }), message });
  }
}

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
  /**
   * Stop after the last event of the chosen session whose `seq` is at most this
   * (inclusive). Requires `session` when the trace holds more than one session.
   */
  atSeq?: number;
  /**
   * Replay up to and including this session (earlier sessions fully, later ones not
   * at all); with `atSeq`, only up to that seq of it.
   */
  session?: string;
}

/** What a replay rebuilt. */
export interface ReplayResult {
  /** Every document state, sorted by path. */
  documents: Map<TracePath, DocState>;
  /** Paths whose last event deleted them, sorted. */
  deleted: TracePath[];
  warnings: ReplayWarning[];
  /** Ids of the sessions found, in replay order. */
  sessions: string[];
  /** Number of events consumed. */
  events: number;
  /** The last event consumed (with `atSeq`: the event at or just before that seq). */
  last?: TraceEvent;
}

/** Thrown for replay options that do not fit the trace. */
export class ReplayOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayOptionsError';
  }
}

/**
 * One replay fed session by session (the streaming form of {@link replayTrace}): sessions
 * in the trace reader's order, so a later session's snapshots replace earlier state.
 *
 * `--at` semantics: `atSeq` refers to a seq of `session`, or of the only session when
 * the trace has just one. With several sessions and no `session`, it is an error
 * (listing the session ids), because seqs restart in every session.
 */
export class TraceReplay {
  readonly replayer = new Replayer();
  private readonly stopSession: string | undefined;
  private readonly workspaces = new Set<string>();
  private count = 0;
  private finished = false;
  private last: TraceEvent | undefined;

  /**
   * @param sessionIds every session of the trace, in the order they will be fed
   * @throws {ReplayOptionsError} for an unknown `session` or an ambiguous `atSeq`.
   */
  constructor(
    private readonly sessionIds: readonly string[],
    private readonly options: ReplayOptions = {},
  ) {
    let stop = options.session;
    if (stop !== undefined && !sessionIds.includes(stop)) {
      throw new ReplayOptionsError(`session ${stop} is not in the trace; sessions: ${sessionIds.join(', ') || '(none)'}`);
    }
    if (options.atSeq !== undefined && stop === undefined) {
      if (sessionIds.length > 1) {
        throw new ReplayOptionsError(`the trace has ${sessionIds.length} sessions and seqs restart in each; choose one with --session: ${sessionIds.join(', ')}`);
      }
      stop = sessionIds[0];
    }
    this.stopSession = stop;
  }

  /** Feeds the next session; returns false once the replay is complete (later sessions are not needed). */
  feed(session: TraceSession): boolean {
    if (this.finished) {
      return false;
    }
    const isLast = session.id === this.stopSession;
    for (const event of session.events) {
      if (isLast && this.options.atSeq !== undefined && event.seq > this.options.atSeq) {
        break;
      }
      this.workspaces.add(event.workspace);
      this.replayer.apply(event);
      this.last = event;
      this.count++;
    }
    this.finished = isLast;
    return !isLast;
  }

  result(): ReplayResult {
    const warnings = [...this.replayer.warnings];
    if (this.workspaces.size > 1) {
      warnings.unshift({ session: this.sessionIds[0] ?? '', seq: 0, message: `the trace mixes ${this.workspaces.size} workspaces; paths of different workspaces share one namespace` });
    }
    return {
      documents: this.replayer.documents(),
      deleted: this.replayer.deletedPaths(),
      warnings,
      sessions: [...this.sessionIds],
      events: this.count,
      ...(this.last === undefined ? {} : { last: this.last }),
    };
  }
}

/**
 * Replays sessions as the trace reader hands them on (`sessions` in the order of
 * `sessionIds`), stopping once the options are met.
 *
 * @throws {ReplayOptionsError} as {@link TraceReplay} does (before reading any session).
 */
export async function replaySessions(sessionIds: readonly string[], sessions: AsyncIterable<TraceSession>, options: ReplayOptions = {}): Promise<ReplayResult> {
  const replay = new TraceReplay(sessionIds, options);
  for await (const session of sessions) {
    if (!replay.feed(session)) {
      break;
    }
  }
  return replay.result();
}

/**
 * Replays events held in memory (any order; they are grouped and ordered as the trace
 * reader does). Values that are not trace events (by their envelope) become warnings.
 *
 * @throws {ReplayOptionsError} for an unknown `session` or an ambiguous `atSeq`.
 */
export function replayTrace(events: readonly TraceEvent[], options: ReplayOptions = {}): ReplayResult {
  const valid: TraceEvent[] = [];
  const skipped: ReplayWarning[] = [];
  for (const event of events) {
    const check = checkEnvelope(event);
    if (check.ok) {
      valid.push(check.event);
    } else {
      skipped.push({ session: '', seq: 0, message: `not a trace event (${check.message}); skipped` });
    }
  }
  const sessions = groupSessions(valid);
  const replay = new TraceReplay(
    sessions.map((s) => s.id),
    options,
  );
  for (const session of sessions) {
    if (!replay.feed(session)) {
      break;
    }
  }
  const result = replay.result();
  return skipped.length === 0 ? result : { ...result, warnings: [...skipped, ...result.warnings] };
}
