/**
 * `deleteLocalData` deletes the spool and Worktrace's own trace files, leaving the folders in
 * place so capture keeps working; `describeLocalData` says what it would delete, for the
 * confirmation. Plain Node.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parseSegmentName } from '../segments';
import { mkdirPrivate } from '../../common/privateFs';
import { DeleteResult, LocalDataFolders, LocalDataSummary, TEMP_FILE, TRACE_FILE, code, list, message } from './folders';
import { HEARTBEAT, ownerGone } from '../heartbeat';

// ---- delete and describe -------------------------------------------------------------------

interface LocalFile {
  path: string;
  bytes: number;
  folder: 'spool' | 'failed' | 'traces';
  /** A segment (any state), a failed batch, or a trace file. */
  counts: boolean;
  /** The trace file's day. */
  day?: string;
}

/** The files `deleteLocalData` deletes: everything in the spool but live heartbeats; Worktrace's own trace files. */
async function localFiles(options: LocalDataFolders, now: number): Promise<LocalFile[]> {
  const segments = join(options.spoolDirectory, 'segments');
  const failed = join(options.spoolDirectory, 'failed');
  const files: LocalFile[] = [];
  const add = async (folder: LocalFile['folder'], path: string, counts: boolean, day?: string): Promise<void> => {
    const stat = await fs.lstat(path).catch(() => undefined);
    if (stat && !stat.isDirectory()) {
      files.push({ path, bytes: stat.size, folder, counts, ...(day !== undefined ? { day } : {}) });
    }
  };
  for (const file of await list(segments)) {
    const heartbeat = HEARTBEAT.exec(file);
    // A live process's heartbeat holds no data; without it, other windows would take
    // over that process's open segment while it is still writing it.
    if (heartbeat && !(await ownerGone(segments, heartbeat[1], now, 60_000))) {
      continue;
    }
    await add('spool', join(segments, file), parseSegmentName(file) !== undefined);
  }
  for (const file of await list(failed)) {
    await add('failed', join(failed, file), file.endsWith('.records'));
  }
  for (const file of await list(options.traceDirectory)) {
    const m = TRACE_FILE.exec(file);
    if (m) {
      await add('traces', join(options.traceDirectory, file), true, m[1]);
    } else if (TEMP_FILE.test(file)) {
      await add('traces', join(options.traceDirectory, file), false);
    }
  }
  return files;
}

/**
 * Deletes the spool (segments, acks, failed batches, heartbeats of processes that are
 * gone) and Worktrace's own trace files (`worktrace-<day>-<session>.ndjson[.gz]`, never
 * other files in that folder), and leaves the folders so capture keeps working. Events
 * a live writer appends to its open segment after this are lost with it: pause capture
 * first.
 */
export async function deleteLocalData(options: LocalDataFolders): Promise<DeleteResult> {
  const result: DeleteResult = { files: 0, bytes: 0, failures: [] };
  for (const file of await localFiles(options, Date.now())) {
    try {
      await fs.unlink(file.path);
      result.files++;
      result.bytes += file.bytes;
    } catch (e) {
      if (code(e) !== 'ENOENT') {
        result.failures.push({ file: file.path, reason: message(e) });
      }
    }
  }
  for (const folder of ['segments', 'failed']) {
    await mkdirPrivate(join(options.spoolDirectory, folder));
  }
  return result;
}

/** What `deleteLocalData` would delete, per folder (for the confirmation). */
export async function describeLocalData(options: LocalDataFolders): Promise<LocalDataSummary> {
  const files = await localFiles(options, Date.now());
  const sum = (folder: LocalFile['folder']): { files: number; bytes: number; counted: number } => {
    const of = files.filter((f) => f.folder === folder);
    return { files: of.length, bytes: of.reduce((n, f) => n + f.bytes, 0), counted: of.filter((f) => f.counts).length };
  };
  const spool = sum('spool');
  const failed = sum('failed');
  const traces = sum('traces');
  const days = files.flatMap((f) => (f.day !== undefined ? [f.day] : [])).sort();
  return {
    spool: { directory: join(options.spoolDirectory, 'segments'), files: spool.files, bytes: spool.bytes, segments: spool.counted },
    failed: { directory: join(options.spoolDirectory, 'failed'), files: failed.files, bytes: failed.bytes, batches: failed.counted },
    traces: {
      directory: options.traceDirectory,
      files: traces.files,
      bytes: traces.bytes,
      ...(days.length > 0 ? { firstDay: days[0], lastDay: days[days.length - 1] } : {}),
    },
    total: { files: files.length, bytes: spool.bytes + failed.bytes + traces.bytes },
  };
}

