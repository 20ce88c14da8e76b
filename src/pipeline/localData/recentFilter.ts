/**
 * Filters what `forgetRecent` removes: events with `ts >= sinceTs`, from spool segments
 * (record by record, up to any damage) and from trace files (streamed, gzip or not),
 * keeping everything before the cut byte for byte. Plain Node.
 */
import { createReadStream, createWriteStream, type Stats } from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { decodeSegment } from '../records';
import { FILE_MODE } from '../../common/privateFs';
import { code, message } from './folders';

/** Whether the event in `json` has a readable `ts` at or after `sinceTs`. */
export function isRecent(json: string, sinceTs: number): boolean {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const ts = (value as { ts?: unknown }).ts;
  return typeof ts === 'number' && Number.isFinite(ts) && ts >= sinceTs;
}

// ---- records -------------------------------------------------------------------------------

export interface FilteredRecords {
  /** The intact records that stay, as the original bytes. */
  kept: Buffer[];
  keptCount: number;
  keptBytes: number;
  removed: number;
  /** Intact records. */
  total: number;
  /** How many of the first `n` intact records stay. */
  keptBefore(n: number): number;
  skipped: number;
  damage?: string;
}

/** Splits a segment's bytes into kept and forgotten records (up to any damage). */
export function filterRecords(data: Buffer, sinceTs: number): FilteredRecords {
  const decoded = decodeSegment(data);
  const kept: Buffer[] = [];
  const keep: boolean[] = [];
  let pos = 0;
  let keptBytes = 0;
  for (const line of decoded.lines) {
    const end = data.indexOf(0x0a, pos) + 1;
    const stays = !isRecent(line, sinceTs);
    if (stays) {
      kept.push(data.subarray(pos, end));
      keptBytes += end - pos;
    }
    keep.push(stays);
    pos = end;
  }
  return {
    kept,
    keptCount: kept.length,
    keptBytes,
    removed: decoded.lines.length - kept.length,
    total: decoded.lines.length,
    keptBefore: (n) => keep.slice(0, Math.max(0, n)).filter(Boolean).length,
    skipped: decoded.skipped,
    ...(decoded.damage ? { damage: decoded.damage } : {}),
  };
}

// ---- trace files ---------------------------------------------------------------------------

/** Passes NDJSON lines through, byte for byte, except events with `ts >= sinceTs`. */
export class LineFilter extends Transform {
  removed = 0;
  keptBytes = 0;
  /** Set when the input ended at damage: a partial last line then belongs to the damage. */
  dropPartialTail = false;
  droppedTailBytes = 0;
  private partial: Buffer[] = [];

  constructor(private readonly sinceTs: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let pos = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, pos)) {
      const piece = chunk.subarray(pos, nl + 1);
      if (this.partial.length > 0) {
        this.partial.push(piece);
        this.line(Buffer.concat(this.partial));
        this.partial = [];
      } else {
        this.line(piece);
      }
      pos = nl + 1;
    }
    if (pos < chunk.length) {
      this.partial.push(chunk.subarray(pos));
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.partial.length > 0) {
      const rest = Buffer.concat(this.partial);
      this.partial = [];
      if (this.dropPartialTail) {
        this.droppedTailBytes = rest.length;
      } else {
        this.line(rest);
      }
    }
    callback();
  }

  private line(bytes: Buffer): void {
    if (isRecent(bytes.toString('utf8'), this.sinceTs)) {
      this.removed++;
    } else {
      this.keptBytes += bytes.length;
      this.push(bytes);
    }
  }
}

export interface TraceFilterResult {
  removed: number;
  keptBytes: number;
  /** Why decompression stopped early, and what was lost with it. */
  damage?: string;
}

/** Streams the first `size` bytes of a trace file through the filter into `temp`. */
export async function filterTraceFile(file: string, size: number, gzip: boolean, sinceTs: number, temp: string): Promise<TraceFilterResult> {
  const filter = new LineFilter(sinceTs);
  const output = createWriteStream(temp, { flags: 'wx', mode: FILE_MODE });
  const sink = gzip ? pipeline(filter, createGzip(), output) : pipeline(filter, output);
  const raw = size > 0 ? createReadStream(file, { start: 0, end: size - 1 }) : undefined;
  let damage: string | undefined;
  const feed = new Promise<void>((resolve, reject) => {
    if (!raw) {
      filter.end();
      resolve();
      return;
    }
    let source: Readable = raw;
    if (gzip) {
      const gunzip = createGunzip();
      raw.on('error', (e) => gunzip.destroy(e));
      source = raw.pipe(gunzip);
    }
    source.on('error', (e) => {
      const c = code(e);
      if (gzip && c !== undefined && c.startsWith('Z_')) {
        // Keep what decompressed; the rest of the file cannot be read.
        const consumed = (source as ReturnType<typeof createGunzip>).bytesWritten;
        damage = `cannot decompress past byte ${consumed} of ${size} (${message(e)})`;
        filter.dropPartialTail = true;
        source.unpipe(filter);
        raw.destroy();
        filter.end();
        resolve();
      } else {
        raw.destroy();
        filter.destroy(e);
        reject(e);
      }
    });
    source.on('end', resolve);
    source.pipe(filter);
  });
  await Promise.all([feed, sink]);
  if (damage && filter.droppedTailBytes > 0) {
    damage += `; a partial line of ${filter.droppedTailBytes} bytes before it`;
  }
  return { removed: filter.removed, keptBytes: filter.keptBytes, ...(damage ? { damage } : {}) };
}

export function sameFile(a: Stats, b: Stats): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

