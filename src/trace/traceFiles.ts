/**
 * Finding trace files and telling how each is stored. Plain Node.
 */
import { promises as fs, readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import type { ProblemHandler } from './readReport';

/** How a trace file is stored, told by its first bytes (never by its name). */
export type StoredFormat = 'ndjson' | 'gzip' | 'sqlite';

/** The 16 bytes every SQLite 3 database starts with. */
export const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Bytes to read from the start of a file for {@link storedFormat}. */
export const HEADER_BYTES = SQLITE_HEADER.length;

export function storedFormat(head: Uint8Array): StoredFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return 'gzip';
  }
  if (head.length >= SQLITE_HEADER.length && SQLITE_HEADER.equals(head.subarray(0, SQLITE_HEADER.length))) {
    return 'sqlite';
  }
  return 'ndjson';
}

/** Names of the files a folder's trace is made of. */
export function isTraceFileName(name: string): boolean {
  return name.endsWith('.ndjson') || name.endsWith('.ndjson.gz');
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function cannotList(folder: string, error: unknown, onProblem: ProblemHandler | undefined): void {
  onProblem?.({ kind: 'unreadable', source: folder, message: `cannot list: ${error instanceof Error ? error.message : String(error)}` });
}

/**
 * The trace files below `root` (`*.ndjson`, `*.ndjson.gz`), recursively, sorted by name
 * within each folder. Symbolic links to folders are not followed (a link loop cannot
 * trap the walk); links to files are. A folder that cannot be listed is reported and
 * skipped. Returns how many folders failed too.
 */
export async function listTraceFiles(root: string, onProblem?: ProblemHandler): Promise<{ files: string[]; failed: number }> {
  const files: string[] = [];
  let failed = 0;
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      cannotList(folder, error, onProblem);
      failed++;
      return;
    }
    for (const entry of entries.sort(byName)) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (isTraceFileName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await fs.stat(full).then((s) => s.isFile(), () => false))))) {
        files.push(full);
      }
    }
  };
  await walk(root);
  return { files, failed };
}

/** {@link listTraceFiles}, synchronously. */
export function listTraceFilesSync(root: string, onProblem?: ProblemHandler): { files: string[]; failed: number } {
  const files: string[] = [];
  let failed = 0;
  const walk = (folder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      cannotList(folder, error, onProblem);
      failed++;
      return;
    }
    for (const entry of entries.sort(byName)) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (isTraceFileName(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && isFileSync(full)))) {
        files.push(full);
      }
    }
  };
  walk(root);
  return { files, failed };
}

function isFileSync(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
