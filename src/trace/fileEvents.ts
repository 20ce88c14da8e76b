/**
 * Streaming the events of one trace file: NDJSON, gzip'd NDJSON, or the reference
 * receiver's SQLite database, told apart by their first bytes. Plain Node.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TraceEvent } from './events';
import { GzipDamage, gunzipFile, gzipDamageMessage } from './gunzipFile';
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter';
import { NdjsonEventReader } from './ndjsonEvents';
import { emptyReport, formatCount, type ProblemHandler, type ReadReport } from './readReport';
import { openSqliteTrace, rowEvent, type SqliteTrace } from './sqliteRows';
import { HEADER_BYTES, storedFormat } from './traceFiles';

/** Bytes read from a file at a time (and the most a gzip step decompresses at a time). */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export interface ReadFileOptions {
  /** Longer lines are skipped and reported (default 64 MiB). */
  maxLineBytes?: number;
  /** Read size (default 64 KiB). */
  chunkBytes?: number;
  /** Hand on only this session's events (the others are still parsed and counted). */
  session?: string;
  /** Counters to add to; a fresh report when absent. */
  report?: ReadReport;
  onProblem?: ProblemHandler;
  /** Called with the number of stored bytes read, as they are read (for progress). */
  onBytes?: (bytes: number) => void;
}

/**
 * @throws {RangeError} when `maxLineBytes` or `chunkBytes` is given and is not a positive integer.
 */
export function checkReadLimits(options: { maxLineBytes?: number; chunkBytes?: number }): void {
  for (const name of ['maxLineBytes', 'chunkBytes'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
}

/** Database rows between two turns of the event loop (better-sqlite3 reads synchronously). */
const ROWS_PER_TURN = 2000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEADER_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The events of one file, in file order, streaming: memory stays bounded by the longest
 * line kept (`maxLineBytes`) plus one chunk, whatever the file's size.
 *
 * - NDJSON: one event per line; blank lines skipped; `\r\n` accepted; a last line without
 *   a line end is read. Lines that are not events are counted and reported, never thrown.
 * - gzip (magic bytes `1f 8b`, whatever the name; several members are read in turn): a file
 *   cut short or corrupt yields what decompresses before the damage and is reported as
 *   `gzip cut short after N bytes` / `gzip corrupt after N bytes` (N: compressed bytes
 *   consumed), see `gunzipFile`. A line cut in two by the damage is dropped silently (it is
 *   part of the damage). gzip checks its CRC only at the end of a member, so bytes garbled
 *   by corruption can decompress into lines before the damage is noticed; those that are
 *   not events are reported as corrupt lines.
 * - A SQLite database (header `SQLite format 3\0`): the receiver's `events` table, each
 *   row's JSON read like a line (`line` in problems is the row id); better-sqlite3 is loaded
 *   only then.
 *
 * A file that cannot be opened or read is reported (`unreadable`), not thrown.
 */
export async function* readFileEvents(file: string, options: ReadFileOptions = {}): AsyncGenerator<TraceEvent> {
  checkReadLimits(options);
  const report = options.report ?? emptyReport();
  let head: Buffer;
  try {
    head = await readHead(file);
  } catch (error) {
    report.unreadableFiles++;
    options.onProblem?.({ kind: 'unreadable', source: file, message: `cannot read: ${message(error)}` });
    return;
  }
  const format = storedFormat(head);
  if (format === 'sqlite') {
    yield* readDatabase(file, options, report);
  } else {
    yield* readLines(file, format === 'gzip', options, report);
  }
}

async function* plainChunks(file: string, chunkBytes: number, onStored: (bytes: number) => void): AsyncGenerator<Buffer> {
  const raw = createReadStream(file, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of raw) {
      onStored((chunk as Buffer).length);
      yield chunk as Buffer;
    }
  } finally {
    raw.destroy();
  }
}

async function* readLines(file: string, gzip: boolean, options: ReadFileOptions, report: ReadReport): AsyncGenerator<TraceEvent> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const reader = new NdjsonEventReader(file, report, options);
  report.files++;
  let stored = 0;
  const onStored = (bytes: number): void => {
    stored += bytes;
    report.bytes += bytes;
    options.onBytes?.(bytes);
  };
  try {
    for await (const chunk of gzip ? gunzipFile(file, chunkBytes, onStored) : plainChunks(file, chunkBytes, onStored)) {
      yield* reader.push(chunk);
    }
    yield* reader.end();
  } catch (error) {
    if (error instanceof GzipDamage) {
      const dropped = { bytes: 0 };
      yield* reader.endDamaged(dropped);
      report.damagedGzip++;
      options.onProblem?.({ kind: 'gzip', source: file, message: gzipDamageMessage(error, dropped.bytes) });
    } else {
      report.unreadableFiles++;
      options.onProblem?.({ kind: 'unreadable', source: file, message: `cannot read past byte ${formatCount(stored)}: ${message(error)}` });
    }
  }
}

async function* readDatabase(file: string, options: ReadFileOptions, report: ReadReport): AsyncGenerator<TraceEvent> {
  const { onProblem, onBytes, session } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let trace: SqliteTrace;
  let size: number;
  let total: number;
  try {
    size = (await fs.stat(file)).size;
    trace = openSqliteTrace(file);
    total = trace.count();
  } catch (error) {
    report.unreadableFiles++;
    onProblem?.({ kind: 'unreadable', source: file, message: `cannot read the database: ${message(error)}` });
    return;
  }
  report.files++;
  let rows = 0;
  let counted = 0;
  const progress = (): void => {
    // A database's progress: its size, in proportion to the rows read.
    const upTo = total === 0 ? size : Math.min(size, Math.floor((size * rows) / total));
    if (upTo > counted) {
      report.bytes += upTo - counted;
      onBytes?.(upTo - counted);
      counted = upTo;
    }
  };
  try {
    for (const row of trace.rows(session)) {
      rows++;
      if (rows % ROWS_PER_TURN === 0) {
        progress();
        await nextTurn();
      }
      const event = rowEvent(row, file, report, maxLineBytes, onProblem);
      if (event !== undefined && (session === undefined || event.session === session)) {
        yield event;
      }
    }
    rows = total;
    progress();
  } catch (error) {
    report.unreadableFiles++;
    onProblem?.({ kind: 'unreadable', source: file, message: `cannot read past row ${formatCount(rows)}: ${message(error)}` });
  } finally {
    trace.close();
  }
}
