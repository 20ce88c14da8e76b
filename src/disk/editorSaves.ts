/**
 * The editor's own saves, as the change tracker must tell them from other writes
 * (changeTracker.ts). VS Code writes a Save All's files first and fires the saved events up to
 * a second later, so the watcher's report of a save often comes before the editor tells what
 * it wrote. The editor announces a save on will-save ({@link EditorSaves.expect}) and then
 * tells what it wrote ({@link EditorSaves.written}); a watcher report of an announced path
 * within {@link SAVE_WINDOW_MS} is the save ({@link EditorSaves.take}), and while what was
 * written is not told yet the path is unwritten (its batch waits). Plain Node, no I/O.
 */
import type { TracePath } from '../trace/events';

/**
 * How long after the editor announced a save a watcher report of that path is taken for the
 * save, and at most how long its batch waits for what the editor wrote (ms). The watcher
 * reports within about 100 ms, seconds behind when thousands of files are saved at once; a
 * tool's write taken for a save by mistake is still read and recorded, only not summed up in a
 * bulk.
 */
export const SAVE_WINDOW_MS = 10_000;

export class EditorSaves {
  /** Saves announced, oldest first: when (clock time), and whether the editor told what it wrote. */
  private readonly expected = new Map<TracePath, { ts: number; written: boolean }>();
  /** Paths whose report was taken for a save before the editor told what it wrote. */
  private readonly unwritten = new Set<TracePath>();

  constructor(private readonly now: () => number) {}

  /** The editor is about to save `path`. */
  expect(path: TracePath): void {
    this.remember(path, false);
  }

  /** The editor saved `path`: without an announcement before, a report after this is the save. */
  written(path: TracePath): void {
    if (this.unwritten.delete(path)) {
      return; // its report came first and was taken
    }
    const save = this.expected.get(path);
    if (save) {
      save.written = true;
    } else {
      this.remember(path, true);
    }
  }

  /** Whether a watcher report of `path` now is the editor's save of it (each save explains one report). */
  take(path: TracePath): boolean {
    const save = this.expected.get(path);
    if (save === undefined) {
      return false;
    }
    this.expected.delete(path);
    if (this.now() - save.ts > SAVE_WINDOW_MS) {
      return false;
    }
    if (!save.written) {
      this.unwritten.add(path);
    }
    return true;
  }

  /** Whether the editor has yet to tell what it wrote to `path`, whose report was taken. */
  isUnwritten(path: TracePath): boolean {
    return this.unwritten.has(path);
  }

  /** `path` no longer waits for the editor (its batch closed, or it joined one that does not wait). */
  settled(path: TracePath): void {
    this.unwritten.delete(path);
  }

  clear(): void {
    this.expected.clear();
    this.unwritten.clear();
  }

  private remember(path: TracePath, written: boolean): void {
    const now = this.now();
    this.expected.delete(path);
    this.expected.set(path, { ts: now, written });
    for (const [oldest, save] of this.expected) {
      if (now - save.ts <= SAVE_WINDOW_MS) break;
      this.expected.delete(oldest);
    }
  }
}
