import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Batch, Destination, SendOutcome } from './destination';
import { classifyError, classifyStatus } from './retry';
import { insecureTokenProblem, withoutToken } from './transport';

const gzip = promisify(gzipCallback);

export interface HttpOptions {
  url: string;
  /** Extra, non-secret headers (worktrace.endpoint.headers). */
  headers: Record<string, string>;
  timeoutMs: number;
  /** The bearer token from SecretStorage, read for each request. */
  token: () => Promise<string | undefined>;
  /** worktrace.endpoint.allowInsecureToken: send the token over http to another host. */
  allowInsecureToken?: boolean;
}

/** The most of a server's answer read (its message is shown to the engineer; the rest is not needed). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** Reads at most `limit` bytes of a response body as text, then stops reading. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) {
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early cancels the rest of the body.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size >= limit) {
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** POSTs gzip'd bytes and classifies the answer (shared by the http and otlp destinations). */
export async function post(url: string, body: Buffer, contentType: string, batchId: string, options: HttpOptions): Promise<{ outcome: SendOutcome; text: string }> {
  const token = await options.token();
  const insecure = token ? insecureTokenProblem(url, options.allowInsecureToken === true) : undefined;
  if (insecure) {
    // Also checked before the destination is used at all (vscode/destination.ts); this is the last guard.
    return { outcome: { kind: 'fail', reason: insecure }, text: '' };
  }
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
    // Redirects are not followed: the token and the trace go only where the engineer consented to.
    const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    const text = withoutToken(await readLimited(response, MAX_ANSWER_BYTES), token);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      return { outcome: { kind: 'fail', status: response.status, reason: `HTTP ${response.status}: the endpoint redirects${location ? ` to ${displayUrl(withoutToken(location, token))}` : ''}; redirects are not followed, set worktrace.endpoint.url to the final URL` }, text };
    }
    return { outcome: classifyStatus(response.status, response.headers.get('retry-after'), text), text };
  } catch (e) {
    const outcome = classifyError(e);
    return { outcome: outcome.kind === 'ok' ? outcome : { ...outcome, reason: withoutToken(outcome.reason, token) }, text: '' };
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
