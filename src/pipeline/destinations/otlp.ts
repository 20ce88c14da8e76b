/**
 * `otlp` destination: OTLP/HTTP JSON logs to `<url>/v1/logs`, one LogRecord per event, so
 * any OpenTelemetry Collector can receive Worktrace and fan it out. The encoding is the
 * maintained `@opentelemetry/otlp-transformer` JSON serializer (its version is pinned, as
 * the serializer asks); no global OpenTelemetry provider is registered (other extensions
 * share this process).
 *
 * Mapping: `eventName` = kind; `timeUnixNano` = ts (as a string); body = the whole event as
 * its JSON text; attributes `worktrace.id`, `worktrace.seq`, `worktrace.session`,
 * `worktrace.workspace`, `worktrace.kind`, `worktrace.schema`; resource attributes
 * `service.name=worktrace`, `service.version`, `vscode.version`.
 */
import { SeverityNumber } from '@opentelemetry/api-logs';
// Deep import: the package index also pulls the metrics and trace SDKs into the bundle.
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/json/logs';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Batch, Destination, SendOutcome } from './destination';
import { displayUrl, post, type HttpOptions } from './http';

const gzip = promisify(gzipCallback);

export interface OtlpIdentity {
  extensionVersion: string;
  vscodeVersion: string;
}

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

/** `<url>/v1/logs`, whether or not the configured URL already ends with it. */
export function logsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/logs') ? trimmed : `${trimmed}/v1/logs`;
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

/** Reads an OTLP partial success out of a response body, if there is one. */
export function partialSuccess(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string } };
    const rejected = Number(body.partialSuccess?.rejectedLogRecords ?? 0);
    if (rejected > 0 || body.partialSuccess?.errorMessage) {
      return `the collector rejected ${rejected} log record(s)${body.partialSuccess?.errorMessage ? `: ${body.partialSuccess.errorMessage}` : ''}`;
    }
  } catch {
    /* not JSON: nothing to report */
  }
  return undefined;
}

export class OtlpDestination implements Destination {
  readonly kind = 'otlp';
  private readonly resource: Resource;
  private readonly scope: { name: string; version: string };

  constructor(
    private readonly options: HttpOptions,
    identity: OtlpIdentity,
  ) {
    this.resource = otlpResource({ 'service.name': 'worktrace', 'service.version': identity.extensionVersion, 'vscode.version': identity.vscodeVersion });
    this.scope = { name: 'worktrace', version: identity.extensionVersion };
  }

  get target(): string {
    return displayUrl(logsUrl(this.options.url));
  }

  async send(batch: Batch): Promise<SendOutcome> {
    const body = await gzip(encodeOtlpLogs(batch.lines, this.resource, this.scope));
    const { outcome, text } = await post(logsUrl(this.options.url), body, 'application/json', batch.id, this.options);
    if (outcome.kind === 'ok') {
      const partial = partialSuccess(text);
      return partial ? { kind: 'ok', partial } : outcome;
    }
    return outcome;
  }
}
