/**
 * Parsing one line of a trace (one NDJSON line, or one stored event's JSON) into an event
 * or a problem. The only place that decides what counts as a trace event when reading:
 * every reader (files, folders, the receiver's database, the synchronous `readTrace`)
 * goes through {@link parseTraceLine}. Plain Node.
 */
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonDepth';
import type { Kind, TraceEvent } from './events';

const KNOWN = {
  'session.start': true,
  'session.end': true,
  'doc.open': true,
  'doc.excluded': true,
  'doc.edit': true,
  'doc.save': true,
  'doc.close': true,
  'file.create': true,
  'file.delete': true,
  'file.rename': true,
  'editor.focus': true,
  'terminal.open': true,
  'terminal.command': true,
  'task.run': true,
  'test.run': true,
  'debug.session': true,
  'debug.stop': true,
  'debug.breakpoints': true,
  'diagnostics.change': true,
  'git.commit': true,
  'git.checkout': true,
  'capture.pause': true,
  'capture.resume': true,
  'privacy.redacted': true,
  'capture.dropped': true,
  'goal.start': true,
  'goal.end': true,
  'file.change': true,
  'file.bulk': true,
  'editor.view': true,
  'editor.selection': true,
  'editor.navigate': true,
  'edit.step': true,
} as const satisfies Record<Kind, true>; // a kind added to events.ts fails to compile until listed here

/** Every kind of `events.ts`. Events of other kinds are read but counted as unknown. */
export const KNOWN_KINDS: readonly Kind[] = Object.keys(KNOWN) as Kind[];

export function isKnownKind(kind: string): kind is Kind {
  return Object.prototype.hasOwnProperty.call(KNOWN, kind);
}

/** The schema version this reader understands; `worktrace/<higher>` is reported as newer. */
export const READABLE_SCHEMA_VERSION = 1;

/** What one line held. */
export type LineResult =
  /** Empty or only whitespace: skipped silently. */
  | { kind: 'blank' }
  /** An event; `known` is false for a kind this reader does not know (it is passed on anyway). */
  | { kind: 'event'; event: TraceEvent; known: boolean }
  /** Not JSON, not an object, nested too deeply, or an envelope field missing or of the wrong type. */
  | { kind: 'corrupt'; message: string }
  /** An event of `worktrace/2` or later, which this reader cannot interpret. */
  | { kind: 'newer-schema'; message: string };

/** The envelope verdict on a parsed value (see {@link checkEnvelope}). */
export type EnvelopeCheck =
  | { ok: true; event: TraceEvent; known: boolean }
  | { ok: false; newer: boolean; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/**
 * Checks the envelope of a parsed value: an object; `schema` a string `worktrace/<n>`
 * (1 accepted, higher reported as newer); `id`, `session`, `kind` non-empty strings; `seq`
 * a positive safe integer; `ts` a finite number; `workspace` a string. The body is not
 * checked: consumers check the fields they use.
 */
export function checkEnvelope(value: unknown): EnvelopeCheck {
  if (!isRecord(value)) {
    return { ok: false, newer: false, message: 'not a JSON object' };
  }
  const { schema, id, session, kind, seq, ts, workspace } = value;
  if (typeof schema !== 'string' || !schema.startsWith('worktrace/')) {
    return { ok: false, newer: false, message: '"schema" must be "worktrace/1"' };
  }
  const version = /^worktrace\/([1-9][0-9]{0,8})$/.exec(schema);
  if (version === null) {
    return { ok: false, newer: false, message: `unknown schema ${JSON.stringify(schema.slice(0, 40))}` };
  }
  if (Number(version[1]) > READABLE_SCHEMA_VERSION) {
    return { ok: false, newer: true, message: `newer schema ${schema}: this reader understands worktrace/${READABLE_SCHEMA_VERSION}` };
  }
  if (!nonEmptyString(id)) {
    return { ok: false, newer: false, message: '"id" must be a non-empty string' };
  }
  if (!nonEmptyString(session)) {
    return { ok: false, newer: false, message: '"session" must be a non-empty string' };
  }
  if (!nonEmptyString(kind)) {
    return { ok: false, newer: false, message: '"kind" must be a non-empty string' };
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return { ok: false, newer: false, message: '"seq" must be a positive integer' };
  }
  if (typeof ts !== 'number' || !Number.isFinite(ts)) {
    return { ok: false, newer: false, message: '"ts" must be a finite number' };
  }
  if (typeof workspace !== 'string') {
    return { ok: false, newer: false, message: '"workspace" must be a string' };
  }
  return { ok: true, event: value as unknown as TraceEvent, known: isKnownKind(kind) };
}

/**
 * Parses JSON text with the reader's limits: nesting deeper than {@link MAX_JSON_DEPTH} is
 * rejected before `JSON.parse` sees it. Never throws.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return { ok: false, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * Parses one line: {@link parseJsonText}, then {@link checkEnvelope}. Leading and trailing
 * whitespace (including a `\r` and a byte order mark) is ignored. Never throws.
 */
export function parseTraceLine(line: string): LineResult {
  const text = line.trim();
  if (text === '') {
    return { kind: 'blank' };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    return { kind: 'corrupt', message: parsed.message };
  }
  const check = checkEnvelope(parsed.value);
  if (check.ok) {
    return { kind: 'event', event: check.event, known: check.known };
  }
  return check.newer ? { kind: 'newer-schema', message: check.message } : { kind: 'corrupt', message: `not a trace event: ${check.message}` };
}
