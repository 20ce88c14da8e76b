/**
 * The summary a bulk batch keeps instead of reading its files (more than `bulkThreshold` files
 * changed by one source, see changeTracker.ts): counts by kind of change, each path counted
 * once however often the watcher reports it, and the smallest paths in sorted order for the
 * `file.bulk` event and the command's file list. Plain Node, no I/O.
 */
import type { TracePath } from '../trace/events';
import { MAX_LISTED, mergeChange } from './attribution';

export type WatchChange = 'created' | 'changed' | 'deleted';

export interface BulkFile {
  path: TracePath;
  abs: string;
  change: WatchChange;
}

/** Paths remembered to count each once; beyond, new paths are counted as they come. */
const MAX_BULK_SEEN = 100_000;

/** See the module comment. */
export class BulkSummary {
  count = 0;
  created = 0;
  changed = 0;
  deleted = 0;
  /** Every path seen, to count each once (up to MAX_BULK_SEEN). */
  readonly seen = new Map<TracePath, WatchChange>();
  /** The smallest paths, sorted (at most MAX_LISTED, as many as a command's file list holds). */
  readonly first: BulkFile[] = [];

  /** Adds a watcher report; true when the path is new to the summary (the caller forgets its content). */
  add(path: TracePath, abs: string, change: WatchChange): boolean {
    const previous = this.seen.get(path);
    if (previous === undefined) {
      if (this.seen.size < MAX_BULK_SEEN) this.seen.set(path, change);
      this.count++;
      this[change]++;
      this.listFirst({ path, abs, change });
      return true;
    }
    const next = mergeChange(previous, change);
    this[previous]--;
    const i = this.findFirst(path);
    if (next === undefined) {
      this.seen.delete(path);
      this.count--;
      if (i !== -1) this.first.splice(i, 1);
      return false;
    }
    this[next]++;
    this.seen.set(path, next);
    if (i !== -1) this.first[i].change = next;
    return false;
  }

  private findFirst(path: TracePath): number {
    const list = this.first;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].path < path) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo].path === path ? lo : -1;
  }

  private listFirst(file: BulkFile): void {
    const list = this.first;
    if (list.length >= MAX_LISTED && list[list.length - 1].path < file.path) {
      return;
    }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].path < file.path) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, file);
    if (list.length > MAX_LISTED) list.pop();
  }
}
