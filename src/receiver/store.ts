/**
 * The receiver's storage: one SQLite file (better-sqlite3, WAL mode) holding every
 * distinct event by id, plus persistent counters (duplicates).
 */
import Database from 'better-sqlite3';
import type { DecodedEvent } from './decode';

export type WireFormat = 'ndjson' | 'otlp';

const SCHEMA_VERSION = 1;

export interface InsertResult {
  /** Events stored now. */
  inserted: number;
  /** Events whose id was already stored (or repeated within the batch). */
  duplicates: number;
}

export class EventStore {
  private readonly db: Database.Database;
  private readonly insertEvent: Database.Statement<[string, string, number, number, string, string | null, string, number, string]>;
  private readonly addCounter: Database.Statement<[string, number]>;
  private readonly insertBatch: (events: readonly DecodedEvent[], format: WireFormat, receivedAt: number) => InsertResult;
  private closed = false;

  constructor(readonly file: string) {
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version !== 0 && version !== SCHEMA_VERSION) {
        throw new Error(`${file}: unknown receiver database version ${version} (expected ${SCHEMA_VERSION})`);
      }
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS events (
          id TEXT PRIMARY KEY,
          session TEXT NOT NULL,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          kind TEXT NOT NULL,
          workspace TEXT,
          raw TEXT NOT NULL,
          received_at INTEGER NOT NULL,
          format TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_by_session_seq ON events (session, seq);
        CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      this.insertEvent = this.db.prepare(
        'INSERT OR IGNORE INTO events (id, session, seq, ts, kind, workspace, raw, received_at, format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      this.addCounter = this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value');
      this.insertBatch = this.db.transaction((events: readonly DecodedEvent[], format: WireFormat, receivedAt: number): InsertResult => {
        let inserted = 0;
        for (const e of events) {
          inserted += this.insertEvent.run(e.id, e.session, e.seq, e.ts, e.kind, e.workspace, e.raw, receivedAt, format).changes;
        }
        const duplicates = events.length - inserted;
        if (duplicates > 0) {
          this.addCounter.run('duplicates', duplicates);
        }
        return { inserted, duplicates };
      });
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /** Stores a batch in one transaction; events already stored (by id) are counted as duplicates. */
  insert(events: readonly DecodedEvent[], format: WireFormat, receivedAt = Date.now()): InsertResult {
    return this.insertBatch(events, format, receivedAt);
  }

  /** Distinct events stored. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  /** Events received again after they were stored (all time, kept in the database). */
  duplicates(): number {
    const row = this.db.prepare("SELECT value FROM counters WHERE name = 'duplicates'").get() as { value: number } | undefined;
    return row?.value ?? 0;
  }

  /** Distinct sessions among the stored events. */
  sessions(): number {
    return (this.db.prepare('SELECT COUNT(DISTINCT session) AS n FROM events').get() as { n: number }).n;
  }

  /** Stored event ids, ordered by session then seq. */
  ids(): string[] {
    return (this.db.prepare('SELECT id FROM events ORDER BY session, seq, id').all() as { id: string }[]).map((r) => r.id);
  }

  /** The raw JSON of the stored events, ordered by session then seq. */
  raw(): string[] {
    return (this.db.prepare('SELECT raw FROM events ORDER BY session, seq, id').all() as { raw: string }[]).map((r) => r.raw);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Idempotent. */
  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
  }
}
