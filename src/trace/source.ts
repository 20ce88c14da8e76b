/**
 * The trace reader: files, folders and receiver databases read as one trace, session by
 * session, with bounded memory. Replay, export and the timeline all read through it.
 * Plain Node.
 */
import { promises as fs } from 'node:fs';
import type { TraceEvent } from './events';
import { checkReadLimits, readFileEvents } from './fileEvents';
import { emptyReport, type ProblemHandler, type ReadReport } from './readReport';
import { orderSessionEvents, sessionOf, sortSessions } from './sessionOrder';
import type { TraceSession } from './session';
import { listTraceFiles } from './traceFiles';

/** What pass 1 learns of a session (its events are not kept). */
export interface SessionInfo {
  id: string;
  /** The workspace of its event with the smallest seq. */
  workspace: string;
  firstTs: number;
  lastTs: number;
  /** Events read for it, duplicates included. */
  events: number;
  /** The files (and databases) holding its events, in reading order. */
  files: string[];
}

export interface ReadProgress {
  /** `index`: pass 1 over every file; `sessions`: pass 2, files read again session by session. */
  pass: 'index' | 'sessions';
  bytesRead: number;
  bytesTotal: number;
}

export interface TraceSourceOptions {
  /** Longer lines are skipped and reported (default 64 MiB). */
  maxLineBytes?: number;
  /** Read size (default 64 KiB). */
  chunkBytes?: number;
  /** Each problem once, as found in pass 1 (and files that cannot be read again in pass 2). */
  onProblem?: ProblemHandler;
  onProgress?: (progress: ReadProgress) => void;
}

export interface TraceSource {
  /** Counters, filled as the passes go: pass 1 counts files, lines, events and problems; pass 2 duplicates. */
  readonly report: ReadReport;
  /** Pass 1 (once; later calls return the same): every session, in the order {@link sessions} hands them on. */
  index(): Promise<SessionInfo[]>;
  /**
   * Pass 2: one session at a time (see {@link TraceSession}), in the order of
   * `sortSessions` (workspace by workspace, then first `ts`, then id); `only` picks some.
   * Runs pass 1 first if needed. Stopping early (`break`) closes what is open.
   */
  sessions(only?: (session: SessionInfo) => boolean): AsyncGenerator<TraceSession>;
}

interface FileEntry {
  path: string;
  size: number;
}

interface Building extends SessionInfo {
  minSeq: number;
}

/**
 * Opens a trace made of `paths`: NDJSON files (`.ndjson`, gzip'd or not, whatever the
 * name for a path given directly), folders (every `*.ndjson` and `*.ndjson.gz` below them,
 * recursively; symbolic links to folders are not followed) and databases of the reference
 * receiver (told by their SQLite header). A path given twice is read once. Nothing is read
 * before {@link TraceSource.index}; paths that cannot be read are reported then.
 *
 * Memory: pass 1 keeps only the index (a few numbers per session); pass 2 keeps one
 * session's events. The price is reading: pass 2 reads each file again for every session
 * it holds (a file of one session is read once more; a file of n sessions n times), since
 * keeping other sessions' events aside would cost the memory this avoids. The writers keep
 * one session per file, so in practice every file is read twice in all.
 *
 * Files that change between the passes (a trace still being written): pass 2 hands on what
 * it finds for the sessions pass 1 indexed.
 *
 * @throws {RangeError} for a `maxLineBytes` or `chunkBytes` that is not a positive integer.
 */
export function openTraceSource(paths: readonly string[], options: TraceSourceOptions = {}): TraceSource {
  checkReadLimits(options);
  return new FileTraceSource([...paths], options);
}

class FileTraceSource implements TraceSource {
  readonly report: ReadReport = emptyReport();
  private indexed: Promise<SessionInfo[]> | undefined;
  private files = new Map<string, FileEntry>();
  private readonly duplicatesCounted = new Set<string>();

  constructor(
    private readonly paths: string[],
    private readonly options: TraceSourceOptions,
  ) {}

  index(): Promise<SessionInfo[]> {
    this.indexed ??= this.buildIndex();
    return this.indexed;
  }

  async *sessions(only?: (session: SessionInfo) => boolean): AsyncGenerator<TraceSession> {
    const infos = (await this.index()).filter((info) => only === undefined || only(info));
    const bytesTotal = infos.reduce((sum, info) => sum + info.files.reduce((n, f) => n + (this.files.get(f)?.size ?? 0), 0), 0);
    let bytesRead = 0;
    const onBytes = (n: number): void => {
      bytesRead += n;
      this.options.onProgress?.({ pass: 'sessions', bytesRead, bytesTotal });
    };
    for (const info of infos) {
      const collected: TraceEvent[] = [];
      for (const file of info.files) {
        // Problems were reported in pass 1; only a file that can no longer be read is news.
        const again = emptyReport();
        const events = readFileEvents(file, {
          ...this.readOptions(),
          session: info.id,
          report: again,
          onBytes,
          onProblem: (problem) => {
            if (problem.kind === 'unreadable') {
              this.options.onProblem?.({ ...problem, message: `${problem.message} (reading it again for session ${info.id})` });
            }
          },
        });
        for await (const event of events) {
          collected.push(event);
        }
        this.report.unreadableFiles += again.unreadableFiles;
      }
      const { events, duplicates } = orderSessionEvents(collected);
      if (!this.duplicatesCounted.has(info.id)) {
        this.duplicatesCounted.add(info.id);
        this.report.duplicates += duplicates;
      }
      if (events.length > 0) {
        yield sessionOf(info.id, events);
      }
    }
  }

  private readOptions(): { maxLineBytes?: number; chunkBytes?: number } {
    const { maxLineBytes, chunkBytes } = this.options;
    return { ...(maxLineBytes === undefined ? {} : { maxLineBytes }), ...(chunkBytes === undefined ? {} : { chunkBytes }) };
  }

  private unreadable(path: string, error: unknown): void {
    this.report.unreadableFiles++;
    this.options.onProblem?.({ kind: 'unreadable', source: path, message: `cannot read: ${error instanceof Error ? error.message : String(error)}` });
  }

  /** Every file to read, each once (by real path), in the order given. */
  private async findFiles(): Promise<FileEntry[]> {
    const seen = new Set<string>();
    const entries: FileEntry[] = [];
    const add = async (path: string, size?: number): Promise<void> => {
      let real: string;
      let bytes: number;
      try {
        real = await fs.realpath(path);
        bytes = size ?? (await fs.stat(path)).size;
      } catch (error) {
        this.unreadable(path, error);
        return;
      }
      if (!seen.has(real)) {
        seen.add(real);
        entries.push({ path, size: bytes });
      }
    };
    for (const path of this.paths) {
      let stats;
      try {
        stats = await fs.stat(path);
      } catch (error) {
        this.unreadable(path, error);
        continue;
      }
      if (!stats.isDirectory()) {
        await add(path, stats.size);
        continue;
      }
      const listed = await listTraceFiles(path, this.options.onProblem);
      this.report.unreadableFiles += listed.failed;
      for (const file of listed.files) {
        await add(file);
      }
    }
    return entries;
  }

  private async buildIndex(): Promise<SessionInfo[]> {
    const files = await this.findFiles();
    this.files = new Map(files.map((f) => [f.path, f]));
    const bytesTotal = files.reduce((n, f) => n + f.size, 0);
    let bytesRead = 0;
    const onBytes = (n: number): void => {
      bytesRead += n;
      this.options.onProgress?.({ pass: 'index', bytesRead, bytesTotal });
    };
    const sessions = new Map<string, Building>();
    for (const file of files) {
      const events = readFileEvents(file.path, { ...this.readOptions(), report: this.report, onBytes, ...(this.options.onProblem ? { onProblem: this.options.onProblem } : {}) });
      for await (const event of events) {
        const info = sessions.get(event.session);
        if (info === undefined) {
          sessions.set(event.session, { id: event.session, workspace: event.workspace, minSeq: event.seq, firstTs: event.ts, lastTs: event.ts, events: 1, files: [file.path] });
          continue;
        }
        info.events++;
        if (event.seq < info.minSeq) {
          info.minSeq = event.seq;
          info.workspace = event.workspace;
        }
        info.firstTs = Math.min(info.firstTs, event.ts);
        info.lastTs = Math.max(info.lastTs, event.ts);
        if (info.files[info.files.length - 1] !== file.path) {
          info.files.push(file.path);
        }
      }
    }
    return sortSessions([...sessions.values()]).map(({ minSeq: _minSeq, ...info }) => info);
  }
}
