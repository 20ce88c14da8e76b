/**
 * Rebuilding document contents from a trace. Plain Node; never imports `vscode`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { ContentChange, Eol, TracePath, TraceEvent } from '../trace/events';
import { ChangeRangeError, applyEdits } from './apply';

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
  /** Edits not applied to `text` yet (applied in one pass when the text is read). */
  pending: Pending[];
}

/** Whether `path` is `folder` itself or lies below it (trace paths use `/`). */
function isAtOrUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

function requireString(value: unknown, name: string): void {
  if (typeof value !== 'string') {
    throw new Error(`${name} is not a string`);
  }
}

/**
 * Replays the events of a trace into document states, keyed by trace path.
 *
 * Feed events session by session, each in `seq` order (see {@link orderEvents}):
 * - `doc.open` with `replayable: true` (re)sets the snapshot; with `replayable: false`
 *   the path stays not replayable until a later replayable `doc.open`.
 * - `doc.edit` applies its changes (ignored when the path has no state or is not
 *   replayable). An edit whose version is not greater than the current one is applied
 *   anyway and flagged; an edit that does not fit the text makes the path not replayable.
 * - `file.rename` moves the state (and, for a folder, every state below it).
 * - `doc.close` keeps the last state; `file.delete` removes it (and every state below it).
 * - Any other kind is ignored.
 *
 * Edits are buffered per document and applied lazily (in one pass per read), so
 * replaying long typing bursts in large files stays cheap.
 */
export class Replayer {
  private readonly docs = new Map<TracePath, Entry>();
  private readonly lastSeq = new Map<string, number>();
  /** Warnings raised so far, in the order they were found. */
  readonly warnings: ReplayWarning[] = [];

  /** Consumes one event. Never throws: a malformed event becomes a warning. */
  apply(event: TraceEvent): void {
    const last = this.lastSeq.get(event.session);
    if (last !== undefined && event.seq <= last) {
      this.warn(event, undefined, `seq ${event.seq} after ${last}: events are not in seq order`);
    }
    this.lastSeq.set(event.session, event.seq);
    try {
      this.dispatch(event);
    } catch (error) {
      this.warn(event, undefined, `malformed ${String(event.kind)} event: ${error instanceof Error ? error.message : String(error)}`);
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
        const replayable = event.replayable && typeof event.text === 'string';
        if (event.replayable && !replayable) {
          this.warn(event, event.path, 'replayable doc.open without text; treated as not replayable');
        }
        this.docs.set(event.path, {
          text: replayable ? (event.text ?? '') : '',
          eol: event.eol,
          languageId: event.languageId,
          version: event.version,
          replayable,
          pending: [],
        });
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
          this.warn(event, event.path, `edit version ${event.version} is not greater than current version ${entry.version}`);
        }
        entry.version = event.version;
        entry.pending.push({ seq: event.seq, session: event.session, changes: event.changes });
        return;
      }
      case 'file.rename':
        requireString(event.from, 'from');
        requireString(event.to, 'to');
        this.rename(event.from, event.to);
        return;
      case 'file.delete':
        requireString(event.path, 'path');
        for (const path of [...this.docs.keys()]) {
          if (isAtOrUnder(path, event.path)) {
            this.docs.delete(path);
          }
        }
        return;
      default:
        // doc.close keeps the last state; other kinds do not change contents.
        return;
    }
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
    }
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
      entry.text = '';
      entry.replayable = false;
    }
  }

  /** The state of one document, or undefined when the trace has none for it. */
  get(path: TracePath): DocState | undefined {
    const entry = this.docs.get(path);
    if (!entry) {
      return undefined;
    }
    this.flush(path, entry);
    return { text: entry.text, eol: entry.eol, languageId: entry.languageId, version: entry.version, replayable: entry.replayable };
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

  private warn(event: TraceEvent, path: TracePath | undefined, message: string): void {
    this.warnings.push({ session: event.session, seq: event.seq, ...(path === undefined ? {} : { path }), message });
  }
}

/** A line or file of a trace that could not be read. */
export interface TraceProblem {
  file: string;
  /** 1-based line number; absent when the whole file failed. */
  line?: number;
  message: string;
}

/** Whether a parsed JSON value has the envelope fields replay relies on. */
function looksLikeEvent(value: unknown): value is TraceEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === 'string' &&
    typeof v.id === 'string' &&
    typeof v.session === 'string' &&
    typeof v.seq === 'number' &&
    Number.isFinite(v.seq) &&
    typeof v.ts === 'number' &&
    Number.isFinite(v.ts)
  );
}

function listTraceFiles(root: string, out: string[]): void {
  const entries = readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(root, entry.name);
    if (entry.isDirectory()) {
      listTraceFiles(full, out); // symlinked folders are not followed (isDirectory is false for links)
    } else if (entry.isFile() && (entry.name.endsWith('.ndjson') || entry.name.endsWith('.ndjson.gz'))) {
      out.push(full);
    }
  }
}

function readText(file: string): string {
  const bytes = readFileSync(file);
  if (!file.endsWith('.gz')) {
    return bytes.toString('utf8');
  }
  // Z_SYNC_FLUSH returns what a truncated gzip (a file still being written) holds so far
  // instead of throwing; a cut-off last line is then reported like any corrupt line.
  return gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
}

/**
 * Reads a trace: one NDJSON file (`*.ndjson` or gzip'd `*.ndjson.gz`, read whatever
 * its name) or every such file below a folder, recursively. Blank lines are skipped;
 * lines that are not JSON objects with the envelope fields (`id`, `seq`, `ts`, `session`,
 * `kind`) are passed to `onProblem` and skipped, as are unreadable files. The result is
 * {@link orderEvents}: grouped by session, sessions by first `ts`, events by `seq`,
 * duplicates (same `id`) dropped.
 *
 * @throws when `pathToFileOrFolder` itself does not exist.
 */
export function readTrace(pathToFileOrFolder: string, onProblem: (problem: TraceProblem) => void = () => undefined): TraceEvent[] {
  const files: string[] = [];
  if (statSync(pathToFileOrFolder).isDirectory()) {
    listTraceFiles(pathToFileOrFolder, files);
  } else {
    files.push(pathToFileOrFolder);
  }
  const events: TraceEvent[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      onProblem({ file, message: `cannot read: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') {
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        onProblem({ file, line: i + 1, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      if (looksLikeEvent(value)) {
        events.push(value);
      } else {
        onProblem({ file, line: i + 1, message: 'not a trace event (missing id, seq, ts, session or kind)' });
      }
    }
  }
  return orderEvents(events);
}

/** A session of a trace, as found by {@link groupSessions}. */
export interface TraceSession {
  id: string;
  /** Smallest `ts` of its events. */
  firstTs: number;
  /** Its events in `seq` order, without duplicates. */
  events: TraceEvent[];
}

/**
 * Groups events by session, drops repeated ids (delivery is at-least-once; the first
 * copy wins), orders each session by `seq` and the sessions by their first `ts`
 * (ties by session id).
 */
export function groupSessions(events: readonly TraceEvent[]): TraceSession[] {
  const seen = new Set<string>();
  const sessions = new Map<string, TraceSession>();
  for (const event of events) {
    if (seen.has(event.id)) {
      continue;
    }
    seen.add(event.id);
    let session = sessions.get(event.session);
    if (!session) {
      session = { id: event.session, firstTs: event.ts, events: [] };
      sessions.set(event.session, session);
    }
    session.firstTs = Math.min(session.firstTs, event.ts);
    session.events.push(event);
  }
  const result = [...sessions.values()];
  for (const session of result) {
    session.events.sort((a, b) => a.seq - b.seq); // stable: equal seqs keep file order
  }
  return result.sort((a, b) => a.firstTs - b.firstTs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The events of {@link groupSessions}, flattened: the order replay consumes them in. */
export function orderEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return groupSessions(events).flatMap((s) => s.events);
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

/** What {@link replayTrace} rebuilt. */
export interface ReplayResult {
  /** Every document state, sorted by path. */
  documents: Map<TracePath, DocState>;
  warnings: ReplayWarning[];
  /** Ids of the sessions found, in replay order. */
  sessions: string[];
  /** Number of events consumed. */
  events: number;
}

/** Thrown for `replayTrace` options that do not fit the trace. */
export class ReplayOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayOptionsError';
  }
}

/**
 * Replays a trace (any order; it is put through {@link groupSessions}) into one
 * {@link Replayer}: sessions in order of their first `ts`, so a later session's
 * snapshots replace earlier state.
 *
 * `--at` semantics: `atSeq` refers to a seq of `session`, or of the only session when
 * the trace has just one. With several sessions and no `session`, it is an error
 * (listing the session ids), because seqs restart in every session.
 *
 * @throws {ReplayOptionsError} for an unknown `session` or an ambiguous `atSeq`.
 */
export function replayTrace(events: readonly TraceEvent[], options: ReplayOptions = {}): ReplayResult {
  const sessions = groupSessions(events);
  const ids = sessions.map((s) => s.id);
  let stopSession: string | undefined = options.session;
  if (stopSession !== undefined && !ids.includes(stopSession)) {
    throw new ReplayOptionsError(`session ${stopSession} is not in the trace; sessions: ${ids.join(', ') || '(none)'}`);
  }
  if (options.atSeq !== undefined && stopSession === undefined) {
    if (sessions.length > 1) {
      throw new ReplayOptionsError(`the trace has ${sessions.length} sessions; choose one for --at with --session: ${ids.join(', ')}`);
    }
    stopSession = ids[0];
  }
  const replayer = new Replayer();
  const workspaces = new Set<string>();
  let count = 0;
  for (const session of sessions) {
    const last = session.id === stopSession;
    for (const event of session.events) {
      if (last && options.atSeq !== undefined && event.seq > options.atSeq) {
        break;
      }
      workspaces.add(event.workspace);
      replayer.apply(event);
      count++;
    }
    if (last) {
      break;
    }
  }
  const warnings = [...replayer.warnings];
  if (workspaces.size > 1) {
    warnings.unshift({ session: ids[0] ?? '', seq: 0, message: `the trace mixes ${workspaces.size} workspaces; paths of different workspaces share one namespace` });
  }
  return { documents: replayer.documents(), warnings, sessions: ids, events: count };
}
