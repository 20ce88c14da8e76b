/**
 * Decompressing a gzip file as a stream, keeping everything that decompresses before
 * damage (a file cut short, e.g. still being written, or corrupt). Plain Node.
 */
import { createReadStream } from 'node:fs';
import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { formatCount } from './readReport';

/** The file's gzip data ends early or is corrupt; everything before it was handed on. */
export class GzipDamage extends Error {
  override readonly name = 'GzipDamage';
  constructor(
    /** zlib's code: `Z_BUF_ERROR` when the data ends early, `Z_DATA_ERROR` when it is corrupt. */
    readonly code: string,
    /** Compressed bytes zlib had consumed when it found the damage. */
    readonly consumed: number,
    readonly detail: string,
  ) {
    super(`gzip ${code === 'Z_BUF_ERROR' ? 'cut short' : 'corrupt'} after ${formatCount(consumed)} bytes (${detail})`);
  }
}

/** The problem message of a damaged gzip file. */
export function gzipDamageMessage(damage: GzipDamage, droppedBytes: number): string {
  return `${damage.message}; read what came before${droppedBytes > 0 ? `, a partial line of ${formatCount(droppedBytes)} bytes dropped` : ''}`;
}

export function isZlibError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Output chunk size of the recovery pass: at most this much can be lost before corrupt data. */
const RECOVERY_CHUNK_BYTES = 1024;

async function* decompress(file: string, chunkBytes: number, finishFlush: number, onStored: (bytes: number) => void, failure: { consumed: number }): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: chunkBytes });
  const gunzip = createGunzip({ chunkSize: Math.max(chunkBytes, 64), finishFlush });
  raw.on('error', (error) => gunzip.destroy(error));
  raw.on('data', (chunk: string | Buffer) => onStored(chunk.length));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) {
      yield chunk as Buffer;
    }
  } catch (error) {
    failure.consumed = gunzip.bytesWritten;
    throw error;
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

/**
 * The decompressed chunks of a gzip file (several members are read in turn), streaming,
 * each at most about `chunkBytes`. When the data is damaged, it yields everything that
 * decompresses before the damage and then throws {@link GzipDamage}; I/O errors are
 * thrown as they are.
 *
 * Node's zlib drops the output of the step that fails (and a stream's buffered chunks),
 * so after damage the file is decompressed once more from the start, with the end of
 * input flushed rather than required (a file cut short then decompresses to its last
 * byte) and in small steps (corrupt data loses at most {@link RECOVERY_CHUNK_BYTES}), and
 * what the first pass had not handed on is handed on. Memory stays bounded; the cost of
 * damage is a second decompression.
 */
export async function* gunzipFile(file: string, chunkBytes: number, onStored: (bytes: number) => void): AsyncGenerator<Buffer> {
  let delivered = 0;
  const first = { consumed: 0 };
  try {
    for await (const chunk of decompress(file, chunkBytes, zlibConstants.Z_FINISH, onStored, first)) {
      delivered += chunk.length;
      yield chunk;
    }
    return;
  } catch (error) {
    if (!isZlibError(error)) {
      throw error;
    }
    let skip = delivered;
    try {
      for await (const chunk of decompress(file, RECOVERY_CHUNK_BYTES, zlibConstants.Z_SYNC_FLUSH, () => undefined, { consumed: 0 })) {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          continue;
        }
        yield chunk.subarray(skip);
        skip = 0;
      }
    } catch (again) {
      if (!isZlibError(again)) {
        throw again;
      }
    }
    throw new GzipDamage(error.code, first.consumed, error.message);
  }
}
