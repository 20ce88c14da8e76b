/**
 * The reference receiver: a small HTTP server that stores Worktrace events in SQLite,
 * deduplicated by event id. It accepts what the `http` destination sends (NDJSON batches,
 * POST to any path but /v1/logs) and what the `otlp` destination sends (OTLP/HTTP JSON
 * logs, POST /v1/logs), both optionally gzip-compressed.
 *
 * Answers (all JSON bodies are `Content-Type: application/json`):
 *   GET  /healthz                 200 `ok` (text/plain), no token needed
 *   GET  /stats                   200 `{"events":n,"duplicates":n,"requests":n,"sessions":n}`, no token needed
 *   POST /v1/logs                 200 `{}`, or 200 `{"partialSuccess":{"rejectedLogRecords":"n","errorMessage":"..."}}`
 *   POST /<anything else>         200 `{"accepted":n,"duplicates":n,"rejected":n,"errors":["line 3: ..."]}`
 *   401 `{"error"}` missing/wrong bearer token (only with a token), 400 `{"error"}` undecodable body or no
 *   valid event, 413 body too large, 415 protobuf or unsupported Content-Type/Content-Encoding,
 *   404/405 other paths/methods, 500 storage failure, 503 while closing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import type { TraceEvent } from '../trace/events';
import { DecodeError, decodeNdjson, decodeOtlpLogs, type DecodeResult } from './decode';
import { EventStore, type WireFormat } from './store';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How many rejection messages an answer carries. */
export const MAX_ERRORS_IN_ANSWER = 5;

export interface ReceiverOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite file (created if missing). */
  db: string;
  /** When set, every POST needs `Authorization: Bearer <token>`. */
  token?: string;
  /** One line per request and per problem. Default: none. */
  log?: (line: string) => void;
  /** Limit for the body, after decompression. Default 64 MB. */
  maxBodyBytes?: number;
}

export interface ReceiverStats {
  /** Distinct events stored (all time). */
  events: number;
  /** Events received again after they were stored (all time). */
  duplicates: number;
  /** POST requests this receiver has answered since it started (whatever the answer). */
  requests: number;
  /** Distinct sessions among the stored events (all time). */
  sessions: number;
}

export interface Receiver {
  /** e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Distinct events stored. */
  count(): number;
  duplicates(): number;
  /** Stored event ids, ordered by session then seq. */
  ids(): string[];
  /** Stored events parsed from their raw JSON, ordered by session then seq (not schema-validated). */
  events(): TraceEvent[];
  stats(): ReceiverStats;
  /** Resolves once at least `n` distinct events are stored; rejects after `timeoutMs` (default 10 s) or on close. */
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  /** Closes the server (dropping open connections) and the database. Idempotent. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = { kind: 'ok'; bytes: Buffer } | { kind: 'too-large'; received: number } | { kind: 'aborted' };

/** Reads the whole body; past `limit` bytes it stops keeping them but drains to the end so the client can read the answer. */
function readBody(req: IncomingMessage, limit: number, keep = true): Promise<Body> {
  if (req.readableEnded) {
    return Promise.resolve(keep ? { kind: 'aborted' } : { kind: 'ok', bytes: Buffer.alloc(0) });
  }
  if (req.destroyed) {
    return Promise.resolve({ kind: 'aborted' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (body: Body): void => {
      if (!done) {
        done = true;
        resolve(body);
      }
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (keep && received <= limit) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => finish(!keep ? { kind: 'ok', bytes: Buffer.alloc(0) } : received > limit ? { kind: 'too-large', received } : { kind: 'ok', bytes: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => finish({ kind: 'aborted' }));
  });
}

function gunzipLimited(bytes: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: limit }, (error, result) => {
      if (error === null) {
        resolve(result);
      } else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        reject(new HttpError(413, `body larger than ${limit} bytes after decompression`));
      } else {
        reject(new HttpError(400, `body is not valid gzip (${error.message})`));
      }
    });
  });
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

const PROTOBUF_TYPES = new Set(['application/x-protobuf', 'application/protobuf']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function shortSession(session: string): string {
  return session.length > 8 ? `${session.slice(0, 8)}…` : session;
}

function formatUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

interface Waiter {
  n: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class ReceiverImpl implements Receiver {
  url = '';
  port = 0;
  private requests = 0;
  private closing: Promise<void> | undefined;
  private waiters: Waiter[] = [];
  private readonly server: Server;
  private readonly tokenDigest: Buffer | undefined;
  private readonly maxBodyBytes: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly store: EventStore,
    options: ReceiverOptions,
  ) {
    this.tokenDigest = options.token === undefined ? undefined : digest(options.token);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.log = options.log ?? (() => undefined);
    this.server = createServer((req, res) => {
      res.on('error', () => undefined);
      void this.handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.log(`error: ${req.method ?? '?'} ${req.url ?? '?'}: ${message}`);
        if (!res.headersSent && !res.destroyed) {
          sendJson(res, 500, { error: `receiver failure: ${message}` });
        } else {
          res.destroy();
        }
      });
    });
    this.server.on('clientError', (_error, socket) => {
      socket.destroy();
    });
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.url = formatUrl(host, this.port);
        resolve();
      });
    });
  }

  count(): number {
    return this.store.count();
  }
  duplicates(): number {
    return this.store.duplicates();
  }
  ids(): string[] {
    return this.store.ids();
  }
  events(): TraceEvent[] {
    return this.store.raw().map((raw) => JSON.parse(raw) as TraceEvent);
  }
  stats(): ReceiverStats {
    return { events: this.store.count(), duplicates: this.store.duplicates(), requests: this.requests, sessions: this.store.sessions() };
  }

  waitForCount(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.closing !== undefined) {
      return Promise.reject(new Error('receiver closed'));
    }
    if (this.store.count() >= n) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        n,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${n} events (have ${this.store.isOpen ? this.store.count() : '?'})`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('receiver closed'));
      }
      this.waiters = [];
      this.server.close(() => {
        this.store.close();
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private notifyWaiters(): void {
    if (this.waiters.length === 0) return;
    const count = this.store.count();
    const ready = this.waiters.filter((w) => count >= w.n);
    this.waiters = this.waiters.filter((w) => count < w.n);
    for (const w of ready) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  private authorized(header: string | undefined): boolean {
    if (this.tokenDigest === undefined) return true;
    const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(header ?? '');
    return match !== null && timingSafeEqual(digest(match[1]), this.tokenDigest);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (method === 'GET' || method === 'HEAD') {
      await readBody(req, 0, false);
      if (path === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
        res.end('ok');
      } else if (path === '/stats') {
        sendJson(res, 200, this.closing === undefined ? this.stats() : { error: 'receiver is closing' });
      } else {
        sendJson(res, 404, { error: `no such resource: GET ${path} (try GET /healthz, GET /stats or POST events)` });
      }
      return;
    }
    if (method !== 'POST') {
      await readBody(req, 0, false);
      sendJson(res, 405, { error: `method ${method} not allowed` }, { Allow: 'GET, HEAD, POST' });
      return;
    }

    this.requests++;
    const format: WireFormat = path === '/v1/logs' || path === '/v1/logs/' ? 'otlp' : 'ndjson';
    const reject = async (status: number, error: string, headers: Record<string, string> = {}): Promise<void> => {
      await readBody(req, 0, false);
      this.log(`rejected POST ${path} [${format}]: ${status} ${error}`);
      sendJson(res, status, { error }, headers);
    };

    if (!this.authorized(headerText(req.headers.authorization))) {
      const error = req.headers.authorization === undefined ? 'missing Authorization: Bearer <token> header' : 'wrong bearer token';
      await reject(401, error, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const type = mediaType(headerText(req.headers['content-type']));
    if (PROTOBUF_TYPES.has(type)) {
      await reject(415, `Content-Type ${type} is not supported: this receiver accepts OTLP/HTTP JSON only (Content-Type: application/json); set the exporter's protocol to http/json`);
      return;
    }
    if (format === 'otlp' && type !== '' && type !== 'application/json') {
      await reject(415, `Content-Type ${type} is not supported on /v1/logs: send OTLP/HTTP JSON (Content-Type: application/json)`);
      return;
    }
    const encoding = (headerText(req.headers['content-encoding']) ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== '') {
      await reject(415, `Content-Encoding ${encoding} is not supported (use gzip or none)`);
      return;
    }

    const body = await readBody(req, this.maxBodyBytes);
    if (body.kind === 'aborted') {
      this.log(`aborted POST ${path} [${format}]: the client went away before the body was complete`);
      return;
    }
    if (body.kind === 'too-large') {
      await reject(413, `body larger than ${this.maxBodyBytes} bytes`);
      return;
    }
    let decoded: DecodeResult;
    try {
      const bytes = encoding === 'gzip' || encoding === 'x-gzip' ? await gunzipLimited(body.bytes, this.maxBodyBytes) : body.bytes;
      decoded = this.decode(format, bytes);
    } catch (error) {
      if (error instanceof HttpError) {
        await reject(error.status, error.message);
        return;
      }
      throw error;
    }
    if (this.closing !== undefined) {
      sendJson(res, 503, { error: 'receiver is closing' }, { 'Retry-After': '1' });
      return;
    }

    const { inserted, duplicates } = this.store.insert(decoded.events, format);
    this.notifyWaiters();
    const key = headerText(req.headers['idempotency-key']);
    const sessions = [...new Set(decoded.events.map((e) => e.session))];
    const from = sessions.length === 0 ? 'no session' : sessions.length === 1 ? `session ${shortSession(sessions[0])}` : `${sessions.length} sessions`;
    this.log(
      `stored ${inserted} events (${duplicates} duplicates${decoded.rejected > 0 ? `, ${decoded.rejected} rejected` : ''}) from ${from} [${format}${key === undefined ? '' : `, batch ${key}`}]`,
    );
    if (decoded.rejected > 0) {
      this.log(`  rejected: ${decoded.errors.slice(0, MAX_ERRORS_IN_ANSWER).join('; ')}`);
    }
    if (format === 'otlp') {
      sendJson(
        res,
        200,
        decoded.rejected === 0 ? {} : { partialSuccess: { rejectedLogRecords: String(decoded.rejected), errorMessage: decoded.errors.slice(0, MAX_ERRORS_IN_ANSWER).join('; ') } },
      );
    } else {
      sendJson(res, 200, { accepted: inserted, duplicates, rejected: decoded.rejected, errors: decoded.errors.slice(0, MAX_ERRORS_IN_ANSWER) });
    }
  }

  /** Decodes a body; throws HttpError(400) when nothing in it is a valid event. */
  private decode(format: WireFormat, bytes: Buffer): DecodeResult {
    const text = bytes.toString('utf8');
    let decoded: DecodeResult;
    if (format === 'otlp') {
      let request: unknown;
      try {
        request = JSON.parse(text) as unknown;
      } catch (error) {
        throw new HttpError(400, `body is not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      try {
        decoded = decodeOtlpLogs(request);
      } catch (error) {
        if (error instanceof DecodeError) throw new HttpError(400, error.message);
        throw error;
      }
      // An empty export request is valid OTLP; a request whose every record is bad is not.
      if (decoded.events.length === 0 && decoded.rejected > 0) {
        throw new HttpError(400, `no valid log record (${decoded.rejected} rejected): ${decoded.errors.slice(0, MAX_ERRORS_IN_ANSWER).join('; ')}`);
      }
      return decoded;
    }
    decoded = decodeNdjson(text);
    if (decoded.events.length === 0) {
      throw new HttpError(
        400,
        decoded.rejected === 0
          ? 'empty body: expected NDJSON, one event per line'
          : `no valid event (${decoded.rejected} line(s) rejected): ${decoded.errors.slice(0, MAX_ERRORS_IN_ANSWER).join('; ')}`,
      );
    }
    return decoded;
  }
}

/** Opens (or creates) the database and starts listening. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const store = new EventStore(options.db);
  const receiver = new ReceiverImpl(store, options);
  try {
    await receiver.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    store.close();
    throw error;
  }
  return receiver;
}
