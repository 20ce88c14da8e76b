/**
 * Retry policy of the network destinations, after the OTLP specification: 429, 502, 503
 * and 504 (and 500, 408: transient by nature) are retried with exponential backoff and
 * jitter, honouring Retry-After; every other 4xx is final; network errors (refused,
 * reset, timeout, DNS) are retried. Plain Node.
 */
import type { SendOutcome } from './destination';

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** Parses Retry-After (delay-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) * 1000;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Classifies an HTTP answer. `body` is the server's message (shown to the user on failure). */
export function classifyStatus(status: number, retryAfter: string | null | undefined, body: string): SendOutcome {
  if (status >= 200 && status < 300) {
    return { kind: 'ok' };
  }
  const message = body.trim().slice(0, 500);
  const reason = `HTTP ${status}${message ? `: ${message}` : ''}`;
  if (RETRYABLE.has(status)) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return { kind: 'retry', reason, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500) {
    return { kind: 'retry', reason };
  }
  return { kind: 'fail', status, reason };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED']);

/** Classifies a thrown fetch error: network trouble and timeouts are retried; anything else too, with its message. */
export function classifyError(error: unknown): SendOutcome {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return { kind: 'retry', reason: 'the request timed out' };
  }
  const code = e?.cause?.code ?? e?.code;
  if (code && NETWORK_CODES.has(code)) {
    return { kind: 'retry', reason: `network error ${code}${e?.cause?.message ? `: ${e.cause.message}` : ''}` };
  }
  return { kind: 'retry', reason: `request failed: ${e?.cause?.message ?? e?.message ?? String(error)}` };
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000 };

/** Delay before retry number `attempt` (1-based): exponential, capped, with equal jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(30, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
