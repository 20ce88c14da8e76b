/**
 * Turns the file-system watcher's reports into `file.change` and `file.bulk` events: what
 * changed on disk, exactly, and what made it. Plain Node; the VS Code layer calls
 * {@link ChangeTracker.observe} for every watcher event it did not filter out (excluded and
 * git-ignored paths and `.git/` are skipped there, before this sees them).
 *
 * Batches. Each observed change is attributed ({@link Attribution.attribute}) and joins the
 * open batch of its source (a terminal command, a task, git, or unknown). A batch closes
 * `settleMs` (300 ms) after its last change, or `maxBatchMs` (2 s) after its first (a bulk
 * batch: no limit); only then are its files read, so a burst of writes to one file is one change, read once. A path
 * already waiting in an open batch stays there (one change per burst).
 *
 * Editor saves. The watcher reports the editor's own saves too, often before the editor tells
 * what it wrote (editorSaves.ts). A report the editor's save explains joins a batch of saves
 * of its source that never becomes bulk and is not read before the editor told what it wrote
 * (or {@link SAVE_WINDOW_MS} passed): each file is read and, holding what the editor saved,
 * records nothing. (Summed up in a `file.bulk`, a Save All of many files made every one of
 * them unknown to replay once closed, though the trace held their content.)
 *
 * Bulk. A batch that grows past `bulkThreshold` (200) files is no longer read at all: it
 * becomes a summary (counts by kind of change, the first paths in sorted order) that keeps
 * growing, without a time limit, until its source has been quiet for `settleMs`; then one
 * `file.bulk` is emitted. Changes of the same source in the second after it (the watcher's
 * late chunks) are summed up in another `file.bulk`, not read one by one. Its paths are
 * forgotten in the content store as they come (those of one turn of the event loop in one
 * store operation), so each gets a fresh snapshot the next time it changes.
 *
 * Reading (closed batches, a few files read ahead, one file handled per turn of the event
 * loop): what each file amounts to (an exact change, a snapshot, a deletion, a hash only, or
 * nothing when the content store already holds it, as after the editor's own saves noted by
 * {@link ChangeTracker.noteEditorSave}) is fileChangeReader.ts's; the summary of a bulk batch
 * is bulkSummary.ts's.
 */
import * as fsc from 'node:fs';
import { promisify } from 'node:util';
import type { Logger } from '../common/logger';
import { DEFAULT_DIFF_LIMITS, realClock, type DiffLimits, type StepClock } from '../semantic/editSteps';
import type { ChangedFile, NewEventOf, TracePath, TraceSink } from '../trace/events';
import { mergeChange, type Attributed, type Attribution, type FileList } from './attribution';
import { BulkSummary, type BulkFile, type WatchChange } from './bulkSummary';
import type { ContentStore } from './contentStore';
import { EditorSaves, SAVE_WINDOW_MS } from './editorSaves';
import { FileChangeReader, sha256 } from './fileChangeReader';
import { readWorkspaceFile, type FileRead } from './fileRead';

/**
 * After a bulk summary, changes of the same source within this long (ms) are summed up too:
 * the watcher hands over thousands of events in chunks, and the last ones can come well after
 * the program that wrote them ended. (Waiting that long before the first summary instead kept
 * the extension host busy a second after every checkout.)
 */
const LATE_BULK_MS = 1_000;

/** The key of a source's batch of editor saves (see {@link SAVE_WINDOW_MS}). */
const savesOf = (source: string): string => `${source}\u0000saves`;

const stat = promisify(fsc.stat);
const readFile = promisify(fsc.readFile);

export type { WatchChange };

export interface ChangeTrackerOptions {
  store: ContentStore;
  attribution: Attribution;
  /** Receives `file.change` and `file.bulk` bodies with the time they were observed (the Recorder). */
  sink: TraceSink;
  /** Timers for the settle window and the grace wait of {@link ChangeTracker.filesOf}; the same time base as the attribution. */
  clock?: StepClock;
  /** Larger files are hashed only (`omitted: 'too-large'`). Default 2 MiB (worktrace.capture.maxDocumentKilobytes). */
  maxBytes?: number;
  /** A batch closes this long after its last change. Default 300. */
  settleMs?: number;
  /** A batch that is not bulk closes this long after its first change at the latest. Default 2000. */
  maxBatchMs?: number;
  /** More files than this in one batch: one `file.bulk` instead of reading them. Default 200. */
  bulkThreshold?: number;
  /** Whether the editor has the file open (then `editor: true`, no `changes`/`text`). */
  isOpenInEditor?: (path: TracePath) => boolean;
  /** Whether a text holds a secret (then `text` instead of `changes`). */
  containsSecret?: (text: string) => boolean;
  /** Overrides of the diff bounds (as edit steps). */
  diff?: Partial<DiffLimits>;
  logger?: Logger;
}

/** Counters since creation (diagnostics, the bench). */
export interface ChangeTrackerStats {
  observed: number;
  /** `file.change` events emitted. */
  changes: number;
  /** Files read and found unchanged (or gone before they were known). */
  unchanged: number;
  /** `file.bulk` events emitted, and the files they counted. */
  bulks: number;
  bulkFiles: number;
  errors: number;
}

interface Entry {
  path: TracePath;
  abs: string;
  /** The first change the watcher reported in this burst. */
  first: WatchChange;
  /** The changes merged; undefined: created and deleted again. */
  merged: WatchChange | undefined;
  /** When last observed (clock time). */
  ts: number;
}

interface Batch {
  /** The key of this batch in the open batches: its source, or {@link savesOf} it for editor saves. */
  key: string;
  source: string;
  /** Editor saves: never bulk, not counted against the source's bulk threshold. */
  saves: boolean;
  attributed: Attributed;
  firstTs: number;
  lastTs: number;
  files: Map<TracePath, Entry>;
  bulk: BulkSummary | undefined;
  timer: { handle: unknown } | undefined;
}

/** Paths named in a `file.bulk`. */
const BULK_PATHS = 100;
/** `file.bulk.hashes`: only files this small, and this many bytes in all, are hashed. */
const CHEAP_HASH_FILE = 64 * 1024;
const CHEAP_HASH_TOTAL = 1024 * 1024;
/** Files read ahead of the one being diffed and stored. */
const READ_AHEAD = 4;

const noopLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** See the module comment. */
export class ChangeTracker {
  private readonly store: ContentStore;
  private readonly attribution: Attribution;
  private readonly sink: TraceSink;
  private readonly clock: StepClock;
  private readonly maxBytes: number;
  private readonly settleMs: number;
  private readonly maxBatchMs: number;
  private readonly bulkThreshold: number;
  private readonly reader: FileChangeReader;
  private readonly log: Logger;

  /** Open batches by key (source, or its saves). */
  private readonly open = new Map<string, Batch>();
  /** The editor's saves: which reports they explain, and which batches of saves wait for what was written. */
  private readonly saves: EditorSaves;
  /** Files changed so far by each recent command or task (the bulk threshold is per command). */
  private readonly perSource = new Map<string, number>();
  /** When each source's last bulk batch closed (clock time): its late changes join a new bulk. */
  private readonly bulkClosed = new Map<string, number>();
  /** Paths waiting in an open batch that is not bulk. */
  private readonly waiting = new Map<TracePath, Batch>();
  /** Closed batches waiting to be read, in order. */
  private queue: Batch[] = [];
  private working = false;
  private idleWaiters: (() => void)[] = [];
  /** Waits of filesOf for a grace window to pass: their timers, ended by dispose. */
  private readonly graceWaits = new Map<() => void, unknown>();
  /** The last store operation started outside the worker (forgets, editor saves): the store runs them in order. */
  private lastStoreOp: Promise<void> = Promise.resolve();
  /** Paths a bulk batch took in this turn of the event loop, forgotten in the store together at its end. */
  private toForget: TracePath[] = [];
  private disposed = false;
  private readonly counters: ChangeTrackerStats = { observed: 0, changes: 0, unchanged: 0, bulks: 0, bulkFiles: 0, errors: 0 };

  constructor(options: ChangeTrackerOptions) {
    this.store = options.store;
    this.attribution = options.attribution;
    this.sink = options.sink;
    this.clock = options.clock ?? realClock;
    this.maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
    this.settleMs = options.settleMs ?? 300;
    this.maxBatchMs = Math.max(options.maxBatchMs ?? 2_000, this.settleMs);
    this.bulkThreshold = options.bulkThreshold ?? 200;
    this.reader = new FileChangeReader({
      store: this.store,
      limits: { ...DEFAULT_DIFF_LIMITS, ...options.diff },
      isOpenInEditor: options.isOpenInEditor ?? (() => false),
      containsSecret: options.containsSecret,
    });
    this.log = options.logger ?? noopLogger;
    this.saves = new EditorSaves(() => this.clock.now());
  }

  /**
   * A watcher event: `path` (trace path) at `absolutePath` was created, changed or deleted.
   * O(1): no I/O here; the file is read when its batch closes.
   */
  observe(change: WatchChange, path: TracePath, absolutePath: string): void {
    if (this.disposed) {
      return;
    }
    const now = this.clock.now();
    this.counters.observed++;
    const saves = change !== 'deleted' && this.saves.take(path);
    const waiting = this.waiting.get(path);
    if (waiting) {
      const entry = waiting.files.get(path);
      if (entry) {
        if (!waiting.saves) this.saves.settled(path); // a batch that does not wait for the editor
        entry.merged = entry.merged === undefined ? (change === 'deleted' ? undefined : change) : mergeChange(entry.merged, change);
        entry.abs = absolutePath;
        entry.ts = now;
        waiting.lastTs = now;
        return;
      }
    }
    const attributed = this.attribution.attribute(now);
    const key = saves ? savesOf(attributed.source) : attributed.source;
    let batch = this.open.get(key);
    if (!batch) {
      batch = { key, source: attributed.source, saves, attributed, firstTs: now, lastTs: now, files: new Map(), bulk: undefined, timer: undefined };
      this.open.set(key, batch);
      this.arm(batch, this.settleMs);
      // The threshold is per command or task: once one went past it, its later changes are
      // summed up too (its earlier batches were already recorded, one change per file); and
      // the late chunks of any bulk change (see LATE_BULK_MS).
      if (!saves && ((this.perSource.get(batch.source) ?? 0) > this.bulkThreshold || now - (this.bulkClosed.get(batch.source) ?? -Infinity) <= LATE_BULK_MS)) {
        this.toBulk(batch);
      }
    }
    batch.lastTs = now;
    if (batch.bulk) {
      this.addToBulk(batch.bulk, path, absolutePath, change);
      return;
    }
    batch.files.set(path, { path, abs: absolutePath, first: change, merged: change, ts: now });
    this.waiting.set(path, batch);
    if (!batch.saves && batch.files.size > this.bulkThreshold) {
      this.toBulk(batch);
    }
  }

  /**
   * The editor is about to save `path` (will-save): the watcher's report of it, which may come
   * before {@link noteEditorSave}, is the save.
   */
  expectSave(path: TracePath): void {
    if (!this.disposed) {
      this.saves.expect(path);
    }
  }

  /**
   * The editor saved `path` with this content (a document Worktrace captures through the
   * editor): the store takes it silently, so the watcher report of the save finds the same
   * hash and records nothing (read on its own, never summed up in a bulk), and later changes
   * by tools diff against it. Without {@link expectSave} before, a report after this is the save.
   */
  noteEditorSave(path: TracePath, content: string | Uint8Array): void {
    if (this.disposed) {
      return;
    }
    this.noteEditorOpen(path, content);
    this.saves.written(path);
  }

  /**
   * The editor opened `path` unmodified with this content: the store takes it silently, so a
   * tool's change to the open file is diffed against it.
   */
  noteEditorOpen(path: TracePath, content: string | Uint8Array): void {
    if (this.disposed) {
      return;
    }
    this.reader.forgetText(path);
    this.forgetNow(); // a forget observed before this save must not undo it
    this.trackStoreOp(this.store.put(path, content)); // encoded and hashed in the store's queue, not in this turn
  }

  /**
   * Resolves when everything observed so far has been emitted: open batches are closed now
   * (without waiting for their settle window) and read. For flush and tests.
   */
  async settle(): Promise<void> {
    for (const batch of [...this.open.values()]) {
      this.close(batch);
    }
    await this.whenIdle();
  }

  /** Resolves when the batches closed so far have been read and emitted (open ones keep waiting for their window). */
  async whenIdle(): Promise<void> {
    while ((this.working || this.queue.length > 0) && !this.disposed) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    this.forgetNow();
    await this.lastStoreOp;
  }

  /**
   * The files terminal command `key` changed (at most 200 listed, `count` in all), for
   * `terminal.command.files`/`filesCount`. Waits until the command ended (call it once its
   * end was reported), the grace window after its end passed, and its last batch was read.
   */
  filesOf(key: string): Promise<FileList> {
    return this.filesOfSource(`command:${key}`);
  }

  /** As {@link filesOf}, for task `key` (`task.run.files`). */
  taskFilesOf(key: string): Promise<FileList> {
    return this.filesOfSource(`task:${key}`);
  }

  stats(): ChangeTrackerStats {
    return { ...this.counters };
  }

  /** Stops: timers cancelled, batches not yet read dropped, waits ended. The store stays open (the caller owns it). */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const batch of this.open.values()) {
      this.cancel(batch);
    }
    this.open.clear();
    this.waiting.clear();
    this.saves.clear();
    this.queue = [];
    for (const [resolve, handle] of this.graceWaits) {
      this.clock.clearTimeout(handle);
      resolve();
    }
    this.graceWaits.clear();
    this.wakeIdle();
  }

  // --- batches --------------------------------------------------------------------------------

  private arm(batch: Batch, ms: number): void {
    const timer: { handle: unknown } = { handle: undefined };
    batch.timer = timer;
    timer.handle = this.clock.setTimeout(() => this.fire(batch, timer), Math.max(0, ms));
  }

  private cancel(batch: Batch): void {
    if (batch.timer) {
      this.clock.clearTimeout(batch.timer.handle);
      batch.timer = undefined;
    }
  }

  private fire(batch: Batch, timer: { handle: unknown }): void {
    if (batch.timer !== timer || this.disposed) {
      return;
    }
    batch.timer = undefined;
    const now = this.clock.now();
    const quiet = now - batch.lastTs;
    const age = now - batch.firstTs;
    // A bulk batch of a command or task still running stays open: one summary per command.
    const running = batch.bulk !== undefined && this.attribution.isRunning(batch.source, now);
    if (batch.saves && age < SAVE_WINDOW_MS && [...batch.files.keys()].some((path) => this.saves.isUnwritten(path))) {
      this.arm(batch, this.settleMs); // the editor has not told yet what it wrote
      return;
    }
    if ((quiet >= this.settleMs && !running) || (!batch.bulk && age >= this.maxBatchMs)) {
      this.close(batch);
      return;
    }
    if (running && quiet >= this.settleMs) {
      this.arm(batch, this.settleMs);
      return;
    }
    const untilQuiet = this.settleMs - quiet;
    this.arm(batch, batch.bulk ? untilQuiet : Math.min(untilQuiet, this.maxBatchMs - age));
  }

  private close(batch: Batch): void {
    if (this.open.get(batch.key) === batch) {
      this.open.delete(batch.key);
    }
    if (!batch.saves && (batch.source.startsWith('command:') || batch.source.startsWith('task:'))) {
      const total = (this.perSource.get(batch.source) ?? 0) + (batch.bulk ? batch.bulk.count : batch.files.size);
      this.perSource.set(batch.source, total);
      if (this.perSource.size > 256) {
        this.perSource.delete(this.perSource.keys().next().value as string); // the oldest command
      }
    }
    if (batch.bulk) {
      this.bulkClosed.delete(batch.source);
      this.bulkClosed.set(batch.source, this.clock.now());
      if (this.bulkClosed.size > 256) {
        this.bulkClosed.delete(this.bulkClosed.keys().next().value as string);
      }
    }
    this.cancel(batch);
    for (const path of batch.files.keys()) {
      if (this.waiting.get(path) === batch) this.waiting.delete(path);
      if (batch.saves) this.saves.settled(path);
    }
    this.queue.push(batch);
    if (!this.working) {
      this.working = true;
      void this.work();
    }
  }

  private toBulk(batch: Batch): void {
    const bulk = new BulkSummary();
    for (const entry of batch.files.values()) {
      if (this.waiting.get(entry.path) === batch) this.waiting.delete(entry.path);
      this.addToBulk(bulk, entry.path, entry.abs, entry.first);
      if (entry.merged !== entry.first) {
        this.addToBulk(bulk, entry.path, entry.abs, entry.merged ?? 'deleted');
      }
    }
    batch.files.clear();
    batch.bulk = bulk;
  }

  private addToBulk(bulk: BulkSummary, path: TracePath, abs: string, change: WatchChange): void {
    if (bulk.add(path, abs, change)) {
      this.forgetLater(path);
    }
  }

  /** Forgets `path` in the store with the other paths of this turn (one store operation for a whole watcher report). */
  private forgetLater(path: TracePath): void {
    if (this.toForget.length === 0) {
      setImmediate(() => this.forgetNow());
    }
    this.toForget.push(path);
  }

  /** Starts the forgets collected so far; store operations started after it run after them. */
  private forgetNow(): void {
    if (this.toForget.length === 0 || this.disposed) {
      return;
    }
    const paths = this.toForget;
    this.toForget = [];
    this.trackStoreOp(this.store.forgetAll(paths));
  }

  private trackStoreOp(op: Promise<unknown>): void {
    this.lastStoreOp = op.then(
      () => undefined,
      (e: unknown) => {
        this.counters.errors++;
        this.log.warn(`content store: ${message(e)}`);
      },
    );
  }

  // --- the worker: closed batches, one file per turn ---------------------------------------------

  private async work(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.disposed) {
        const batch = this.queue.shift();
        if (!batch) break;
        this.forgetNow(); // read after what was forgotten before
        const by = this.attribution.resolve(batch.attributed, batch.firstTs, batch.lastTs);
        if (batch.bulk) {
          await this.emitBulk(batch, batch.bulk, by);
        } else {
          await this.emitChanges(batch, by);
        }
      }
    } catch (e) {
      this.counters.errors++;
      this.log.error(`disk changes: ${message(e)}`);
    } finally {
      this.working = false;
      if (this.queue.length > 0 && !this.disposed) {
        this.working = true;
        void this.work();
      } else {
        this.wakeIdle();
      }
    }
  }

  private wakeIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async emitChanges(batch: Batch, by: NewEventOf<'file.change'>['by']): Promise<void> {
    const entries = [...batch.files.values()];
    // files are read a few ahead (each read is several round trips to the thread pool); store work and emission stay in order
    const reads = new Map<number, Promise<FileRead | Error>>();
    const readAhead = (i: number): void => {
      const entry = entries[i] as Entry | undefined;
      if (entry && !reads.has(i)) {
        reads.set(i, readWorkspaceFile(entry.abs, this.maxBytes).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
      }
    };
    for (let i = 0; i < entries.length; i++) {
      if (this.disposed) return;
      for (let k = i; k < i + READ_AHEAD; k++) readAhead(k);
      const entry = entries[i];
      try {
        const file = await reads.get(i);
        reads.delete(i);
        if (file === undefined) continue;
        if (file instanceof Error) throw file;
        const body = await this.reader.read(entry, file);
        if (this.disposed) return;
        if (body) {
          this.sink.emit({ kind: 'file.change', ...body, by }, entry.ts);
          this.counters.changes++;
          const changed: ChangedFile = { path: body.path, change: body.change, added: body.added, removed: body.removed };
          this.attribution.recordFile(batch.source, changed);
        } else {
          this.counters.unchanged++;
        }
      } catch (e) {
        this.counters.errors++;
        this.log.warn(`disk changes: cannot read ${entry.path}: ${message(e)}`);
      }
      await nextTurn();
    }
  }

  private async emitBulk(batch: Batch, bulk: BulkSummary, by: NewEventOf<'file.bulk'>['by']): Promise<void> {
    if (bulk.count === 0) {
      return; // every report in it was an editor's save (or created and deleted again)
    }
    const named = bulk.first.slice(0, BULK_PATHS);
    const hashes = await this.cheapHashes(named);
    if (this.disposed) return;
    this.sink.emit(
      {
        kind: 'file.bulk',
        count: bulk.count,
        created: bulk.created,
        changed: bulk.changed,
        deleted: bulk.deleted,
        paths: named.map((f) => f.path),
        hashes,
        truncated: bulk.count > named.length,
        by,
      },
      batch.lastTs,
    );
    this.counters.bulks++;
    this.counters.bulkFiles += bulk.count;
    this.attribution.recordBulk(
      batch.source,
      bulk.first.map((f) => ({ path: f.path, change: f.change, added: 0, removed: 0 })),
      bulk.count,
      bulk.seen.keys(),
    );
  }

  /** SHA-256 of the named files where cheap (small files, a small total); null otherwise and for deleted files. */
  private async cheapHashes(files: readonly BulkFile[]): Promise<(string | null)[]> {
    let budget = CHEAP_HASH_TOTAL;
    const out: (string | null)[] = [];
    for (const f of files) {
      let hash: string | null = null;
      if (f.change !== 'deleted' && budget > 0 && !this.disposed) {
        try {
          const st = await stat(f.abs);
          if (st.isFile() && st.size <= CHEAP_HASH_FILE && st.size <= budget) {
            const bytes = await readFile(f.abs);
            budget -= bytes.length;
            hash = sha256(bytes);
          }
        } catch {
          hash = null; // gone meanwhile
        }
      }
      out.push(hash);
    }
    return out;
  }

  private async filesOfSource(source: string): Promise<FileList> {
    const endTs = await this.attribution.endOf(source);
    if (endTs !== undefined && !this.disposed) {
      const wait = endTs + this.attribution.graceMs - this.clock.now();
      if (wait > 0) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.graceWaits.delete(done);
            resolve();
          };
          this.graceWaits.set(done, this.clock.setTimeout(done, wait));
        });
      }
      for (const key of [source, savesOf(source)]) {
        const batch = this.open.get(key);
        if (batch && !this.disposed) {
          this.close(batch); // nothing observed from now on is tied to the command
        }
      }
      await this.whenIdle();
    }
    return this.attribution.takeFiles(source);
  }
}
