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
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Batch, Destination, SendOutcome } from './destination';
import { displayUrl, post, type HttpOptions } from './http';

const gzip = promisify(gzipCallback);

export interface OtlpIdentity {
  extensionVersion: string;
  vscodeVersion: string;
}

/** `<url>/v1/logs`, whether or not the configured URL already ends with it. */
export function logsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/logs') ? trimmed : `${trimmed}/v1/logs`;
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
  private readonly scope: { name: string; version: string };

  constructor(
    private readonly options: HttpOptions,
    private readonly identity: OtlpIdentity,
  ) {
    this.scope = { name: 'worktrace', version: identity.extensionVersion };
  }

  get target(): string {
    return displayUrl(logsUrl(this.options.url));
  }

  async send(batch: Batch): Promise<SendOutcome> {
    // Loaded on first use: the OpenTelemetry code costs start-up time in every window otherwise.
    const { encodeOtlpLogs, otlpResource } = await import('./otlpEncoding.js');
    const resource = otlpResource({ 'service.name': 'worktrace', 'service.version': this.identity.extensionVersion, 'vscode.version': this.identity.vscodeVersion });
    const body = await gzip(encodeOtlpLogs(batch.lines, resource, this.scope));
    const { outcome, text } = await post(logsUrl(this.options.url), body, 'application/json', batch.id, this.options);
    if (outcome.kind === 'ok') {
      const partial = partialSuccess(text);
      return partial ? { kind: 'ok', partial } : outcome;
    }
    return outcome;
  }
}
