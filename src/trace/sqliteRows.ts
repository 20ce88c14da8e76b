/**
 * Reading the events the reference receiver stored (its SQLite database, table `events`,
 * see src/receiver/store.ts) as raw JSON rows, for the trace reader to parse like lines.
 *
 * better-sqlite3 is a native development dependency, never bundled into the extension, so
 * it is loaded here on first use, by a module name the bundler cannot see: nothing that
 * imports the trace reader pulls it in. Where it is missing, opening a database fails with
 * a clear message (reported as an unreadable file). Plain Node.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { TraceEvent } from './events';
import { parseTraceLine } from './lineParser';
import { countLine, formatCount, type ProblemHandler, type ReadReport } from './readReport';

type DatabaseConstructor = typeof BetterSqlite3;

/** One stored event: `raw` is its JSON text (undefined when the row holds something else). */
export interface StoredRow {
  rowid: number;
  raw: string | undefined;
}

export interface SqliteTrace {
  /** Rows in the table. */
  count(): number;
  /** Every row in insertion order, or one session's rows in `seq` order. Read lazily. */
  rows(session?: string): IterableIterator<StoredRow>;
  close(): void;
}

let loaded: DatabaseConstructor | undefined;

function loadBetterSqlite3(): DatabaseConstructor {
  if (loaded === undefined) {
    const name = 'better-sqlite3'; // a variable, so bundlers leave this require alone
    try {
      loaded = createRequire(__filename)(name) as DatabaseConstructor;
    } catch (error) {
      throw new Error(`reading a receiver database needs better-sqlite3, which cannot be loaded here (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  }
  return loaded;
}

/**
 * Opens a receiver database read-only.
 *
 * @throws when better-sqlite3 cannot be loaded, the file is not a readable SQLite
 *   database, or it has no `events` table with `raw` and `session` columns.
 */
export function openSqliteTrace(file: string): SqliteTrace {
  const Database = loadBetterSqlite3();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = new Set((db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name));
    if (!columns.has('raw') || !columns.has('session')) {
      throw new Error('not a Worktrace receiver database (no events table with raw and session columns)');
    }
  } catch (error) {
    db.close();
    throw error;
  }
  const all = db.prepare('SELECT rowid AS rowid, raw FROM events ORDER BY rowid');
  const bySession = db.prepare('SELECT rowid AS rowid, raw FROM events WHERE session = ? ORDER BY seq, rowid');
  const toRow = (row: unknown): StoredRow => {
    const { rowid, raw } = row as { rowid: number; raw: unknown };
    return { rowid, raw: typeof raw === 'string' ? raw : undefined };
  };
  return {
    count: () => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n,
    rows: function* (session?: string) {
      const iterator = session === undefined ? all.iterate() : bySession.iterate(session);
      try {
        for (const row of iterator) {
          yield toRow(row);
        }
      } finally {
        iterator.return?.();
      }
    },
    close: () => db.close(),
  };
}

/**
 * Reads one stored row like a line of a file: parsed, counted in `report`, problems
 * reported (`line` is the row id). Returns its event, if it holds one.
 */
export function rowEvent(row: StoredRow, source: string, report: ReadReport, maxLineBytes: number, onProblem: ProblemHandler | undefined): TraceEvent | undefined {
  if (row.raw === undefined) {
    report.lines++;
    report.corruptLines++;
    onProblem?.({ kind: 'corrupt', source, line: row.rowid, message: 'the row holds no JSON text' });
    return undefined;
  }
  if (row.raw.length > maxLineBytes || (row.raw.length * 3 > maxLineBytes && Buffer.byteLength(row.raw) > maxLineBytes)) {
    report.lines++;
    report.tooLongLines++;
    onProblem?.({ kind: 'too-long', source, line: row.rowid, message: `event longer than the limit of ${formatCount(maxLineBytes)} bytes; skipped` });
    return undefined;
  }
  return countLine(report, parseTraceLine(row.raw), source, row.rowid, onProblem);
}
