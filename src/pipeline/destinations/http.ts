import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Batch, Destination, SendOutcome } from './destination';
import { classifyError, classifyStatus } from './retry';

const gzip = promisify(gzipCallback);

export interface HttpOptions {
  url: string;
  /** Extra, non-secret headers (worktrace.endpoint.headers). */
  headers: Record<string, string>;
  timeoutMs: number;
  /** The bearer token from SecretStorage, read for each request. */
  token: () => Promise<string | undefined>;
}

/** POSTs gzip'd bytes and classifies the answer (shared by the http and otlp destinations). */
export async function post(url: string, body: Buffer, contentType: string, batchId: string, options: HttpOptions): Promise<{ outcome: SendOutcome; text: string }> {
  const token = await options.token();
  const headers: Record<string, string> = {
    ...options.headers,
    'Content-Type': contentType,
    'Content-Encoding': 'gzip',
    'Idempotency-Key': batchId,
    'User-Agent': 'worktrace',
  };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
    const text = await response.text();
    return { outcome: classifyStatus(response.status, response.headers.get('retry-after'), text), text };
  } catch (e) {
    return { outcome: classifyError(e), text: '' };
  }
}

/** URL without credentials or query, for the status bar and the log. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

/** `http` destination: gzip'd NDJSON POSTed to worktrace.endpoint.url. */
export class HttpDestination implements Destination {
  readonly kind = 'http';

  constructor(private readonly options: HttpOptions) {}

  get target(): string {
    return displayUrl(this.options.url);
  }

  async send(batch: Batch): Promise<SendOutcome> {
    const body = await gzip(Buffer.from(batch.lines.join('\n') + '\n', 'utf8'));
    return (await post(this.options.url, body, 'application/x-ndjson', batch.id, this.options)).outcome;
  }
}
