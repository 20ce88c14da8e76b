/**
 * The local data of Worktrace (spool and trace files) as the "your data" commands see it:
 * the folders, the names of the files in them, and small file helpers. Plain Node.
 */
import { promises as fs } from 'node:fs';
import { openPrivate } from '../../common/privateFs';


export interface LocalDataFolders {
  /** The spool folder (with `segments/` and `failed/` below it). */
  spoolDirectory: string;
  /** The folder of the local trace files. */
  traceDirectory: string;
}

export interface ForgetOptions extends LocalDataFolders {
  /** Events with `ts >= sinceTs` (epoch ms) are removed. */
  sinceTs: number;
  /** Clock for deciding whether a process is gone (age of its heartbeat); default `Date.now()`. */
  now?: number;
  /** How long to wait for segments a live sender is delivering right now (ms); default 5000. */
  busyWaitMs?: number;
  /** A heartbeat older than this means its process is gone (the spool's `staleAfterMs`); default 60 000. */
  staleAfterMs?: number;
}

export interface ForgetNote {
  /** The file concerned. */
  file: string;
  /**
   * `busy`: a live process holds it; it was left unchanged. `damaged`: part of it could not
   * be read (see `detail`). `error`: it could not be processed and was left unchanged.
   */
  kind: 'busy' | 'damaged' | 'error';
  detail: string;
  /** `damaged` spool files: records that could not be read and were dropped. */
  records?: number;
}

export interface ForgetResult {
  /** Records removed from spool segments and failed batches. */
  spoolRecords: number;
  /** Events removed from local trace files. */
  traceEvents: number;
  /** Files rewritten or deleted. */
  files: number;
  /** What was skipped or damaged; empty when everything was handled. */
  notes: ForgetNote[];
}

export interface DeleteResult {
  /** Files deleted. */
  files: number;
  /** Their size. */
  bytes: number;
  /** Files that could not be deleted, and why. */
  failures: { file: string; reason: string }[];
}

export interface FolderSummary {
  directory: string;
  /** Files `deleteLocalData` would delete. */
  files: number;
  bytes: number;
}

export interface LocalDataSummary {
  /** `<spool>/segments`: segments, acks, leftovers (never the heartbeats of live processes). */
  spool: FolderSummary & { segments: number };
  /** `<spool>/failed`: batches the destination refused. */
  failed: FolderSummary & { batches: number };
  /** Worktrace's own trace files (`worktrace-<day>-<session>.ndjson[.gz]`), nothing else. */
  traces: FolderSummary & { firstDay?: string; lastDay?: string };
  /** All three. */
  total: { files: number; bytes: number };
}


// ---- names ---------------------------------------------------------------------------------

/** Worktrace's own trace files; the day is the UTC day of the events' `ts`. */
export const TRACE_FILE = /^worktrace-(\d{4}-\d{2}-\d{2})-.+\.ndjson(\.gz)?$/;
/** Temp files of this module: `forget-<owner>-<n>.tmp` in the spool, `.worktrace-forget-…` in the trace folder. */
export const TEMP_FILE = /^(?:\.worktrace-)?forget-(\d+x[a-z0-9]+)-\d+\.tmp$/;
/** A failed batch held by a run: `<batch>.records.forget-<owner>`. */
export const CLAIMED_FAILED = /^(.+\.records)\.forget-(\d+x[a-z0-9]+)$/;
export const DAY_MS = 86_400_000;

export function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function list(directory: string): Promise<string[]> {
  try {
    return (await fs.readdir(directory)).sort();
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') {
      return [];
    }
    throw e;
  }
}

export async function unlinkIfThere(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (e) {
    if (code(e) !== 'ENOENT') {
      throw e;
    }
  }
}

/** Best effort: makes renames in `directory` durable (not possible on every platform). */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    /* Windows cannot open folders */
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function writeDurable(file: string, data: Buffer | string): Promise<void> {
  const handle = await openPrivate(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

