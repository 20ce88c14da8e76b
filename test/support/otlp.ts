/**
 * Builds an OTLP/HTTP JSON logs request the way the Worktrace `otlp` destination maps
 * events: one log record per event, the whole event as JSON in `body.stringValue`.
 */
import type { TraceEvent } from '../../src/trace/events';

export interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string;
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  eventName: string;
  severityNumber: number;
  severityText: string;
  body: OtlpAnyValue;
  attributes: OtlpKeyValue[];
}
export interface OtlpLogsRequest {
  resourceLogs: {
    resource: { attributes: OtlpKeyValue[] };
    scopeLogs: { scope: { name: string; version: string }; logRecords: OtlpLogRecord[] }[];
  }[];
}

const str = (key: string, value: string): OtlpKeyValue => ({ key, value: { stringValue: value } });

/** Nanoseconds as a decimal string, exact for integer milliseconds. */
export function msToNanos(ms: number): string {
  return (BigInt(Math.trunc(ms)) * 1_000_000n).toString();
}

export function otlpLogRecord(event: TraceEvent, observedMs = event.ts): OtlpLogRecord {
  return {
    timeUnixNano: msToNanos(event.ts),
    observedTimeUnixNano: msToNanos(observedMs),
    eventName: event.kind,
    severityNumber: 9,
    severityText: 'INFO',
    body: { stringValue: JSON.stringify(event) },
    attributes: [
      str('worktrace.id', event.id),
      { key: 'worktrace.seq', value: { intValue: String(event.seq) } },
      str('worktrace.session', event.session),
      str('worktrace.workspace', event.workspace),
      str('worktrace.kind', event.kind),
      str('worktrace.schema', event.schema),
    ],
  };
}

export function otlpLogsRequest(events: readonly TraceEvent[], versions: { extension?: string; vscode?: string } = {}): OtlpLogsRequest {
  const version = versions.extension ?? '0.1.0';
  return {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'worktrace'), str('service.version', version), str('vscode.version', versions.vscode ?? '1.100.0')] },
        scopeLogs: [{ scope: { name: 'worktrace', version }, logRecords: events.map((e) => otlpLogRecord(e)) }],
      },
    ],
  };
}
