/**
 * The OTLP/HTTP JSON encoding of Worktrace events (one LogRecord per event), with the
 * maintained `@opentelemetry/otlp-transformer` serializer. Loaded only when an `otlp`
 * destination first sends (`otlp.ts` imports it dynamically, and the build makes it a
 * bundle of its own, dist/otlpEncoding.js), so a window that never uses OTLP neither loads
 * nor compiles the OpenTelemetry code at start-up.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
// Deep import: the package index also pulls the metrics and trace SDKs into the bundle.
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/json/logs';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

interface Envelope {
  id: string;
  seq: number;
  ts: number;
  session: string;
  workspace: string;
  kind: string;
  schema: string;
}

/**
 * The serializer reads only `attributes` and `schemaUrl` of a resource; building a full
 * `Resource` would bundle @opentelemetry/resources and the semantic conventions (~100 KB)
 * for two fields.
 */
export function otlpResource(attributes: Record<string, string>): Resource {
  return { attributes, schemaUrl: undefined } as unknown as Resource;
}

/** Encodes events (JSON texts) as an OTLP/HTTP JSON ExportLogsServiceRequest. */
export function encodeOtlpLogs(lines: readonly string[], resource: Resource, scope: { name: string; version: string }): Uint8Array {
  const now = Date.now();
  const records: ReadableLogRecord[] = lines.map((line) => {
    const e = JSON.parse(line) as Envelope;
    return {
      hrTime: [Math.floor(e.ts / 1000), (e.ts % 1000) * 1e6],
      hrTimeObserved: [Math.floor(now / 1000), (now % 1000) * 1e6],
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      eventName: e.kind,
      body: line,
      resource,
      instrumentationScope: scope,
      attributes: {
        'worktrace.id': e.id,
        'worktrace.seq': e.seq,
        'worktrace.session': e.session,
        'worktrace.workspace': e.workspace,
        'worktrace.kind': e.kind,
        'worktrace.schema': e.schema,
      },
      droppedAttributesCount: 0,
    };
  });
  return JsonLogsSerializer.serializeRequest(records) ?? new Uint8Array();
}
