/**
 * What reading a trace met: counters for a one-line summary, and the problems one by one.
 * Plain Node.
 */
import type { LineResult } from './lineParser';
import type { TraceEvent } from './events';

/** Why a line or file was skipped. */
export type ProblemKind = 'corrupt' | 'too-long' | 'gzip' | 'unreadable' | 'newer-schema';

/** One thing that could not be read. */
export interface ReadProblem {
  kind: ProblemKind;
  /** The file or database. */
  source: string;
  /** 1-based line number in the (decompressed) file, or the row id in a database; absent for the whole file. */
  line?: number;
  message: string;
}

export type ProblemHandler = (problem: ReadProblem) => void;

/** Counters of one read of a trace. Every counter only grows. */
export interface ReadReport {
  /** Trace files and databases read. */
  files: number;
  /** Bytes read from them (as stored: compressed bytes for gzip). */
  bytes: number;
  /** Lines (database rows) read, blank ones included. */
  lines: number;
  /** Events read, duplicates included. */
  events: number;
  /** Events dropped because an event with the same id came first. */
  duplicates: number;
  /** Lines that are not JSON, not an object, nested too deeply, not UTF-8, or whose envelope is wrong. */
  corruptLines: number;
  /** Lines longer than the limit (`maxLineBytes`), skipped unread. */
  tooLongLines: number;
  /** gzip files cut short or corrupt: read up to the damage. */
  damagedGzip: number;
  /** Files or databases that could not be opened or read (or stopped being readable midway). */
  unreadableFiles: number;
  /** Events of kinds this reader does not know (read and passed on; replay ignores them). */
  unknownKinds: number;
  /** Events of `worktrace/2` or later, skipped. */
  newerSchema: number;
  /** The most bytes a line splitter held at once (at most `maxLineBytes` plus one chunk). */
  lineBufferHighWater: number;
}

export function emptyReport(): ReadReport {
  return {
    files: 0,
    bytes: 0,
    lines: 0,
    events: 0,
    duplicates: 0,
    corruptLines: 0,
    tooLongLines: 0,
    damagedGzip: 0,
    unreadableFiles: 0,
    unknownKinds: 0,
    newerSchema: 0,
    lineBufferHighWater: 0,
  };
}

/** `1234567` → `1,234,567`. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function count(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * One line for people, e.g. `read 12 files, 1,234,567 events (3 duplicates); skipped: 2
 * corrupt lines, 1 gzip cut short or corrupt, 4 events of unknown kinds, 0 of a newer
 * schema`. Too-long lines and unreadable files are named only when there were some.
 */
export function summary(report: ReadReport): string {
  const skipped = [count(report.corruptLines, 'corrupt line', 'corrupt lines')];
  if (report.tooLongLines > 0) {
    skipped.push(count(report.tooLongLines, 'too-long line', 'too-long lines'));
  }
  if (report.unreadableFiles > 0) {
    skipped.push(count(report.unreadableFiles, 'unreadable file', 'unreadable files'));
  }
  skipped.push(
    `${formatCount(report.damagedGzip)} gzip cut short or corrupt`,
    count(report.unknownKinds, 'event of an unknown kind', 'events of unknown kinds'),
    `${formatCount(report.newerSchema)} of a newer schema`,
  );
  return `read ${count(report.files, 'file', 'files')}, ${count(report.events, 'event', 'events')} (${formatCount(report.duplicates)} duplicates); skipped: ${skipped.join(', ')}`;
}

/**
 * Counts one parsed line in `report`, reports it when it is a problem, and returns its
 * event if it holds one.
 */
export function countLine(report: ReadReport, result: LineResult, source: string, line: number, onProblem: ProblemHandler | undefined): TraceEvent | undefined {
  report.lines++;
  switch (result.kind) {
    case 'blank':
      return undefined;
    case 'event':
      report.events++;
      if (!result.known) {
        report.unknownKinds++;
      }
      return result.event;
    case 'corrupt':
      report.corruptLines++;
      onProblem?.({ kind: 'corrupt', source, line, message: result.message });
      return undefined;
    case 'newer-schema':
      report.newerSchema++;
      onProblem?.({ kind: 'newer-schema', source, line, message: result.message });
      return undefined;
  }
}
