/**
 * A synchronous convenience over the same line parser and ordering as the streaming
 * source, for small traces held in memory at once (tests, scripts). Plain Node.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import type { TraceEvent } from './events';
import { GzipDamage, gzipDamageMessage } from './gunzipFile';
import { DEFAULT_MAX_LINE_BYTES } from './lineSplitter';
import { NdjsonEventReader } from './ndjsonEvents';
import { emptyReport, type ProblemHandler, type ReadReport } from './readReport';
import { orderEvents } from './sessionOrder';
import { openSqliteTrace, rowEvent, type SqliteTrace } from './sqliteRows';
import { HEADER_BYTES, listTraceFilesSync, storedFormat } from './traceFiles';

export interface ReadTraceOptions {
  maxLineBytes?: number;
  /** Counters to add to. */
  report?: ReadReport;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function zlibCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : 'Z_DATA_ERROR';
}

/**
 * Decompresses as much of a damaged gzip file as can be: a file cut short decompresses up to
 * the cut at once; for a corrupt one, a prefix that still decompresses is found by bisection
 * (each try decompresses from the start: fine for the small files this is for; with several
 * members a cut inside a member's header can make it settle on a shorter prefix).
 */
function salvageGzip(bytes: Buffer): { data: Buffer; consumed: number } {
  const attempt = (length: number): Buffer | undefined => {
    try {
      return gunzipSync(bytes.subarray(0, length), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      return undefined;
    }
  };
  const whole = attempt(bytes.length);
  if (whole !== undefined) {
    return { data: whole, consumed: bytes.length };
  }
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (attempt(mid) !== undefined) {
      good = mid;
    } else {
      bad = mid;
    }
  }
  return { data: attempt(good) ?? Buffer.alloc(0), consumed: good };
}

function readHeadSync(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEADER_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

function readDatabaseInto(file: string, events: TraceEvent[], report: ReadReport, maxLineBytes: number, onProblem: ProblemHandler): void {
  let trace: SqliteTrace;
  try {
    trace = openSqliteTrace(file);
  } catch (error) {
    report.unreadableFiles++;
    onProblem({ kind: 'unreadable', source: file, message: `cannot read the database: ${message(error)}` });
    return;
  }
  report.files++;
  report.bytes += statSync(file).size;
  try {
    for (const row of trace.rows()) {
      const event = rowEvent(row, file, report, maxLineBytes, onProblem);
      if (event !== undefined) {
        events.push(event);
      }
    }
  } catch (error) {
    report.unreadableFiles++;
    onProblem({ kind: 'unreadable', source: file, message: `cannot read the database: ${message(error)}` });
  } finally {
    trace.close();
  }
}

function readFileInto(file: string, events: TraceEvent[], report: ReadReport, maxLineBytes: number, onProblem: ProblemHandler): void {
  let bytes: Buffer;
  try {
    if (storedFormat(readHeadSync(file)) === 'sqlite') {
      readDatabaseInto(file, events, report, maxLineBytes, onProblem);
      return;
    }
    bytes = readFileSync(file);
  } catch (error) {
    report.unreadableFiles++;
    onProblem({ kind: 'unreadable', source: file, message: `cannot read: ${message(error)}` });
    return;
  }
  const format = storedFormat(bytes.subarray(0, HEADER_BYTES));
  report.files++;
  report.bytes += bytes.length;
  const reader = new NdjsonEventReader(file, report, { maxLineBytes, onProblem });
  const take = (found: Iterable<TraceEvent>): void => {
    for (const event of found) {
      events.push(event);
    }
  };
  if (format === 'ndjson') {
    take(reader.push(bytes));
    take(reader.end());
    return;
  }
  let data: Buffer;
  try {
    data = gunzipSync(bytes);
  } catch (error) {
    const salvaged = salvageGzip(bytes);
    const dropped = { bytes: 0 };
    take(reader.push(salvaged.data));
    take(reader.endDamaged(dropped));
    report.damagedGzip++;
    const damage = new GzipDamage(zlibCode(error), salvaged.consumed, message(error));
    onProblem({ kind: 'gzip', source: file, message: gzipDamageMessage(damage, dropped.bytes) });
    return;
  }
  take(reader.push(data));
  take(reader.end());
}

/**
 * Reads a whole trace into memory: one file (NDJSON, gzip'd NDJSON or a receiver
 * database, told by its first bytes) or every `*.ndjson` / `*.ndjson.gz` below a folder.
 * Lines are parsed, counted and reported exactly as the streaming source does; the result
 * is in replay order (`orderEvents`: sessions as `sortSessions` orders them, each
 * deduplicated by id and in `seq` order).
 *
 * @throws when `pathToFileOrFolder` itself does not exist.
 */
export function readTrace(pathToFileOrFolder: string, onProblem: ProblemHandler = () => undefined, options: ReadTraceOptions = {}): TraceEvent[] {
  const report = options.report ?? emptyReport();
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let files: string[];
  if (statSync(pathToFileOrFolder).isDirectory()) {
    const listed = listTraceFilesSync(pathToFileOrFolder, onProblem);
    report.unreadableFiles += listed.failed;
    files = listed.files;
  } else {
    files = [pathToFileOrFolder];
  }
  const events: TraceEvent[] = [];
  for (const file of files) {
    readFileInto(file, events, report, maxLineBytes, onProblem);
  }
  const ordered = orderEvents(events);
  report.duplicates += events.length - ordered.length;
  return ordered;
}
