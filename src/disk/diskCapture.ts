/**
 * Changes made on disk, put together: the content store, the attribution and the change
 * tracker of this window, plus what stands between the file-system watcher and them —
 * `.git` internals turned into git moves, excluded and git-ignored paths dropped before
 * anything is read (known ignored entries at once; new paths asked of `git check-ignore` in
 * one batch), and a fresh start whenever capture (re)attaches (nothing changed meanwhile
 * shows up in a later diff). The VS Code layer (collectors/diskChanges.ts) only maps URIs and forwards. Plain Node.
 */
import { join } from 'node:path';
import type { Logger } from '../common/logger';
import type { NewEvent, TracePath, TraceSink } from '../trace/events';
import { Attribution, type FileList } from './attribution';
import { ChangeTracker, type WatchChange } from './changeTracker';
import { ContentStore } from './contentStore';
import { IgnoreChecker } from './ignoreCheck';
import { lastReflogMessage } from './reflog';

export interface DiskCaptureOptions {
  /** Folder of the content store (under the extension's workspace storage). */
  storeDirectory: string;
  storeCapBytes: number;
  bulkThreshold: number;
  maxBytes: number;
  /** Excluded by worktrace.exclude or known to be git-ignored (synchronous, cheap). */
  isExcluded: (path: TracePath) => boolean;
  /** Whether worktrace.respectGitignore is on (then new paths are asked of git). */
  respectGitignore: () => boolean;
  containsSecret: (text: string) => boolean;
  sink: TraceSink;
  log: Logger;
  /** How long watcher events are gathered before the ignore check (ms). */
  gatherMs?: number;
}

/** A watcher event, with where its file lies. */
export interface DiskEvent {
  change: WatchChange;
  path: TracePath;
  absolutePath: string;
  /** The workspace folder (absolute) and the path relative to it, `/` separators. */
  folder: string;
  relative: string;
}

const GIT_MOVES = /^\.git\/(?:HEAD|ORIG_HEAD|refs\/.+|logs\/HEAD|packed-refs)$/;

export class DiskCapture {
  private pending: DiskEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private disposed = false;
  /** One long-lived `git check-ignore` per workspace folder (see IgnoreChecker). */
  private readonly ignoreCheckers = new Map<string, IgnoreChecker>();

  private constructor(
    private readonly options: DiskCaptureOptions,
    private readonly store: ContentStore,
    private readonly attribution: Attribution,
    readonly tracker: ChangeTracker,
    /** Paths open in the editor (their changes on disk are `editor: true`). */
    private readonly open: Set<TracePath>,
  ) {}

  static async create(options: DiskCaptureOptions): Promise<DiskCapture> {
    const store = await ContentStore.open(options.storeDirectory, options.storeCapBytes);
    const attribution = new Attribution();
    const open = new Set<TracePath>();
    const tracker = new ChangeTracker({
      store,
      attribution,
      sink: { emit: (event: NewEvent, ts?: number) => options.sink.emit(event, ts) },
      maxBytes: options.maxBytes,
      bulkThreshold: options.bulkThreshold,
      isOpenInEditor: (path) => open.has(path),
      containsSecret: options.containsSecret,
      logger: options.log,
    });
    return new DiskCapture(options, store, attribution, tracker, open);
  }

  /**
   * Capture (re)attached (a new session, or a resume after a pause): what changed while
   * nothing was watching must not show up in a later diff, attributed to whatever runs next,
   * so every file gets a fresh snapshot when it next changes.
   */
  async attached(): Promise<void> {
    await this.store.clear();
  }

  /** A watcher event. Never throws; nothing is read here. */
  observe(event: DiskEvent): void {
    if (this.disposed) {
      return;
    }
    if (event.relative === '.git' || event.relative.startsWith('.git/')) {
      if (GIT_MOVES.test(event.relative)) {
        this.gitMoved(event.folder, event.relative);
      }
      return;
    }
    if (this.options.isExcluded(event.path)) {
      return;
    }
    this.pending.push(event);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.forward());
    }, this.options.gatherMs ?? 50);
  }

  /** The editor saved a document: its content is the last known one, and the watcher's report of the save records nothing. */
  noteEditorSave(path: TracePath, text: string): void {
    if (!this.options.isExcluded(path)) {
      this.tracker.noteEditorSave(path, text);
    }
  }

  /** The editor is about to save a document (will-save): the watcher's report of the write is the save. */
  expectSave(path: TracePath): void {
    if (!this.options.isExcluded(path)) {
      this.tracker.expectSave(path);
    }
  }

  /** The editor opened a document unmodified: its content is the last known one. */
  noteEditorOpen(path: TracePath, text: string): void {
    if (!this.options.isExcluded(path)) {
      this.tracker.noteEditorOpen(path, text);
    }
  }

  opened(path: TracePath): void {
    this.open.add(path);
  }

  closed(path: TracePath): void {
    this.open.delete(path);
  }

  commandStarted(key: string, start: { commandLine: string; terminal: string; startTs: number }): void {
    this.attribution.commandStarted(key, start);
  }

  /** The command ended; resolves with the files it changed once its last changes were read. */
  commandEnded(key: string, endTs: number): Promise<FileList> {
    this.attribution.commandEnded(key, endTs);
    return this.tracker.filesOf(key);
  }

  taskStarted(key: string, start: { name: string; startTs: number }): void {
    this.attribution.taskStarted(key, start);
  }

  taskEnded(key: string, endTs: number): Promise<FileList> {
    this.attribution.taskEnded(key, endTs);
    return this.tracker.taskFilesOf(key);
  }

  /** Everything observed so far is emitted (flush, pause). */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.forward());
    await this.flushing;
    await this.tracker.settle();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.ignoreCheckers.forEach((c) => c.dispose());
    this.ignoreCheckers.clear();
    this.tracker.dispose();
    await this.store.close();
  }

  private gitMoved(folder: string, relative: string): void {
    const ts = Date.now();
    void lastReflogMessage(join(folder, '.git', 'logs', 'HEAD')).then((reflogMessage) => {
      this.attribution.gitMoved(ts, { ref: relative.slice('.git/'.length), ...(reflogMessage ? { reflogMessage } : {}) });
    });
  }

  /** Drops what git ignores (asked in one batch per folder), hands the rest to the tracker. */
  private async forward(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || this.disposed) {
      return;
    }
    const ignored = new Set<string>();
    if (this.options.respectGitignore()) {
      const byFolder = new Map<string, DiskEvent[]>();
      for (const e of batch) {
        const events = byFolder.get(e.folder);
        if (events) {
          events.push(e);
        } else {
          byFolder.set(e.folder, [e]);
        }
      }
      for (const [folder, events] of byFolder) {
        let checker = this.ignoreCheckers.get(folder);
        if (!checker) {
          checker = new IgnoreChecker(folder);
          this.ignoreCheckers.set(folder, checker);
        }
        const found = await checker.ignored([...new Set(events.map((e) => e.relative))]);
        for (const e of events) {
          if (found.has(e.relative)) ignored.add(e.path);
        }
      }
    }
    for (const e of batch) {
      if (!ignored.has(e.path) && !this.disposed) {
        this.tracker.observe(e.change, e.path, e.absolutePath);
      }
    }
  }
}
