/**
 * Pure decoders for what the reference receiver accepts: NDJSON batches (the `http`
 * destination) and OTLP/HTTP JSON logs (the `otlp` destination). No I/O here, so unit
 * tests cover them directly.
 *
 * An event is accepted when the trace reader would read it: JSON nested at most 64 levels
 * and the envelope of `worktrace/1` (src/trace/lineParser.ts: `schema`, non-empty `id`,
 * `session` and `kind`, a positive integer `seq`, a finite `ts`, a string `workspace`), so
 * whatever the receiver stores, replay and export can read back. A newer schema is
 * rejected (this receiver could not tell what it stores). The body is not checked: the
 * receiver stores the event's JSON as sent.
 */
import { checkEnvelope, parseJsonText } from '../trace/lineParser';

/** One event ready to store: the indexed fields and the raw JSON text. */
export interface DecodedEvent {
  id: string;
  session: string;
  seq: number;
  ts: number;
  kind: string;
  workspace: string;
  /** The event's JSON text, as received. */
  raw: string;
}

export interface DecodeResult {
  events: DecodedEvent[];
  /** Lines (NDJSON) or log records (OTLP) that were not a valid event. */
  rejected: number;
  /** Messages for the first rejections (at most `maxErrors`), e.g. `line 3: "seq" must be an integer`. */
  errors: string[];
}

/** The request as a whole cannot be decoded (not an OTLP logs object): answer 400. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export type Validation = { ok: true; event: DecodedEvent } | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the envelope fields the receiver indexes; `raw` is the JSON text `value` was parsed from. */
export function validateEvent(value: unknown, raw: string): Validation {
  const check = checkEnvelope(value);
  if (!check.ok) {
    return { ok: false, message: check.message };
  }
  const { id, session, seq, ts, kind, workspace } = check.event;
  return { ok: true, event: { id, session, seq, ts, kind, workspace, raw } };
}

/** Parses and checks one event's JSON text (nesting limited as the trace reader limits it). */
export function decodeEvent(raw: string): Validation {
  const parsed = parseJsonText(raw);
  return parsed.ok ? validateEvent(parsed.value, raw) : parsed;
}

class Collector {
  readonly result: DecodeResult = { events: [], rejected: 0, errors: [] };
  constructor(private readonly maxErrors: number) {}
  reject(message: string): void {
    this.result.rejected++;
    if (this.result.errors.length < this.maxErrors) {
      this.result.errors.push(message);
    }
  }
}

/**
 * Decodes an NDJSON body: one event per line, `\n` or `\r\n` line ends, blank lines
 * ignored, a leading BOM ignored. Never throws; line numbers in messages are 1-based.
 */
export function decodeNdjson(text: string, maxErrors = 20): DecodeResult {
  const out = new Collector(maxErrors);
  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') {
      continue;
    }
    const v = decodeEvent(line);
    if (v.ok) {
      out.result.events.push(v.event);
    } else {
      out.reject(`line ${i + 1}: ${v.message}`);
    }
  }
  return out.result;
}

/** OTLP JSON encodes 64-bit integers as decimal strings; numbers are allowed too. */
function intText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^-?[0-9]+$/.test(value)) return value.replace(/^(-?)0+(?=[0-9])/, '$1');
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function attributeValue(attributes: unknown, key: string): Record<string, unknown> | undefined {
  if (!Array.isArray(attributes)) return undefined;
  for (const a of attributes as unknown[]) {
    if (isRecord(a) && a.key === key && isRecord(a.value)) {
      return a.value;
    }
  }
  return undefined;
}

/** Checks that a record's OTLP fields agree with the event in its body; returns a message if not. */
function checkRecordAgainstEvent(record: Record<string, unknown>, event: DecodedEvent, parsed: Record<string, unknown>): string | undefined {
  const strings: [string, unknown][] = [
    ['worktrace.id', event.id],
    ['worktrace.session', event.session],
    ['worktrace.kind', event.kind],
    ['worktrace.workspace', parsed.workspace],
    ['worktrace.schema', parsed.schema],
  ];
  for (const [key, expected] of strings) {
    const v = attributeValue(record.attributes, key);
    if (v !== undefined && v.stringValue !== expected) {
      return `attribute ${key} (${JSON.stringify(v.stringValue)}) does not match the event in the body (${JSON.stringify(expected)})`;
    }
  }
  const seqAttr = attributeValue(record.attributes, 'worktrace.seq');
  if (seqAttr !== undefined && intText(seqAttr.intValue) !== String(event.seq)) {
    return `attribute worktrace.seq (${JSON.stringify(seqAttr.intValue)}) does not match the event's seq (${event.seq})`;
  }
  if (record.eventName !== undefined && record.eventName !== event.kind) {
    return `eventName (${JSON.stringify(record.eventName)}) does not match the event's kind (${JSON.stringify(event.kind)})`;
  }
  if (record.timeUnixNano !== undefined && Number.isSafeInteger(event.ts)) {
    const expected = (BigInt(event.ts) * 1_000_000n).toString();
    // As a JSON number (beyond 2^53, so inexact) it must be the double nearest to ts * 1e6.
    const agrees = typeof record.timeUnixNano === 'number' ? record.timeUnixNano === event.ts * 1e6 : intText(record.timeUnixNano) === expected;
    if (!agrees) {
      return `timeUnixNano (${JSON.stringify(record.timeUnixNano)}) is not the event's ts in nanoseconds (${expected})`;
    }
  }
  return undefined;
}

function arrayAt(container: Record<string, unknown>, key: string, where: string): unknown[] {
  const value = container[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new DecodeError(`${where}${key} must be an array`);
  }
  return value as unknown[];
}

/**
 * Decodes an OTLP/HTTP JSON `ExportLogsServiceRequest` as the Worktrace exporter writes it:
 * every log record's `body.stringValue` is one whole event as JSON. When present, the
 * record's `eventName`, `timeUnixNano` and `worktrace.*` attributes must agree with that
 * event (a mismatch rejects the record: it points at an exporter bug).
 *
 * Throws `DecodeError` when the value is not an OTLP logs request at all (not an object,
 * or `resourceLogs` / `scopeLogs` / `logRecords` not arrays). Records that are not valid
 * events are counted in `rejected`; messages name the record, e.g.
 * `resourceLogs[0].scopeLogs[0].logRecords[3]: body.stringValue is not JSON (...)`.
 */
export function decodeOtlpLogs(request: unknown, maxErrors = 20): DecodeResult {
  if (!isRecord(request)) {
    throw new DecodeError('expected an OTLP ExportLogsServiceRequest JSON object');
  }
  const out = new Collector(maxErrors);
  const resourceLogs = arrayAt(request, 'resourceLogs', '');
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r];
    const rlWhere = `resourceLogs[${r}]`;
    if (!isRecord(rl)) throw new DecodeError(`${rlWhere} must be an object`);
    const scopeLogs = arrayAt(rl, 'scopeLogs', `${rlWhere}.`);
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s];
      const slWhere = `${rlWhere}.scopeLogs[${s}]`;
      if (!isRecord(sl)) throw new DecodeError(`${slWhere} must be an object`);
      const records = arrayAt(sl, 'logRecords', `${slWhere}.`);
      for (let i = 0; i < records.length; i++) {
        const where = `${slWhere}.logRecords[${i}]`;
        const record = records[i];
        if (!isRecord(record)) {
          out.reject(`${where}: not an object`);
          continue;
        }
        const text = isRecord(record.body) ? record.body.stringValue : undefined;
        if (typeof text !== 'string') {
          out.reject(`${where}: body.stringValue (the event as JSON) is missing`);
          continue;
        }
        const parsed = parseJsonText(text);
        if (!parsed.ok) {
          out.reject(`${where}: body.stringValue is ${parsed.message}`);
          continue;
        }
        const v = validateEvent(parsed.value, text);
        if (!v.ok) {
          out.reject(`${where}: ${v.message}`);
          continue;
        }
        const mismatch = checkRecordAgainstEvent(record, v.event, parsed.value as Record<string, unknown>);
        if (mismatch !== undefined) {
          out.reject(`${where}: ${mismatch}`);
          continue;
        }
        out.result.events.push(v.event);
      }
    }
  }
  return out.result;
}
