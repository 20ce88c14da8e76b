/**
 * Reading one workspace file for the change tracker, in as few file-system round trips as
 * possible (each costs a trip through libuv's thread pool: open, fstat, read, close), without
 * reading more than `maxBytes` into memory. Plain Node.
 *
 * The callback API of `node:fs` is used (promisified): no FileHandle objects, and in
 * bench/disk.ts its round trips were as cheap as or cheaper than those of `fs.promises`.
 */
import { createHash } from 'node:crypto';
import * as fsc from 'node:fs';
import { promisify } from 'node:util';

const open = promisify(fsc.open);
const fstat = promisify(fsc.fstat);
const read = promisify(fsc.read);
const close = promisify(fsc.close);

/** What {@link readWorkspaceFile} found. */
export type FileRead =
  | { kind: 'missing' }
  /** A folder, a socket…: nothing to record. */
  | { kind: 'other' }
  /** Over the limit: hashed as it was read, never held whole. */
  | { kind: 'large'; sha256: string; size: number }
  | { kind: 'bytes'; bytes: Buffer };

function code(e: unknown): unknown {
  return (e as { code?: unknown } | null)?.code;
}

const CHUNK = 64 * 1024;

/**
 * Reads `file`: its bytes when at most `maxBytes`, else its SHA-256 and size (read in chunks).
 * A file that grows while it is read is judged by what was read. Rejects only on unexpected
 * errors (permissions); a file that is gone is `missing`, a folder is `other`.
 */
export async function readWorkspaceFile(file: string, maxBytes: number): Promise<FileRead> {
  let fd: number;
  try {
    fd = await open(file, 'r');
  } catch (e) {
    const c = code(e);
    if (c === 'ENOENT' || c === 'ENOTDIR') return { kind: 'missing' };
    if (c === 'EISDIR') return { kind: 'other' }; // Windows cannot open a folder
    throw e;
  }
  try {
    const st = await fstat(fd);
    if (!st.isFile()) {
      return { kind: 'other' };
    }
    if (st.size > maxBytes) {
      return await hashRest(fd, Buffer.alloc(0));
    }
    // one read usually does it: ask for one byte more than the size to notice growth
    let buffer = Buffer.allocUnsafe(st.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) {
          return await hashRest(fd, buffer.subarray(0, length));
        }
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2 + CHUNK));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await read(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) {
      return await hashRest(fd, buffer.subarray(0, length));
    }
    return { kind: 'bytes', bytes: buffer.subarray(0, length) };
  } finally {
    await close(fd).catch(() => undefined);
  }
}

/** Hashes `head` and the rest of the file from the current position. */
async function hashRest(fd: number, head: Buffer): Promise<FileRead> {
  const hash = createHash('sha256').update(head);
  let size = head.length;
  const chunk = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    const { bytesRead } = await read(fd, chunk, 0, CHUNK, null);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
    size += bytesRead;
  }
  return { kind: 'large', sha256: hash.digest('hex'), size };
}
