/**
 * A FAULT-INJECTING HTTP PROXY for delivery tests. It listens on 127.0.0.1, sits between
 * a sender and a target (the reference receiver) and misbehaves as scripted: each incoming
 * request consumes the next queued behaviour, or the default one (initially `forward`)
 * once the queue is empty.
 *
 * Every answer the proxy gives carries `Connection: close`, so each request arrives on its
 * own TCP connection and a reset or `down()` never affects a pooled connection of a later
 * request.
 */
import { createServer, request as httpRequest, Agent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  /** Pass the request (method, path, headers, body bytes) to the target and relay its answer. */
  | { type: 'forward' }
  /** Answer `status` without forwarding; `body` defaults to a JSON `{error}` naming the fault. */
  | { type: 'status'; status: number; retryAfter?: string; body?: string }
  /**
   * Wait `delayMs` (from the request's arrival), then forward (default) or never answer.
   * A delayed forward happens even if the client has given up meanwhile, as with a slow
   * real server (so the target may store it after the client's retry did); close() cancels it.
   */
  | { type: 'slow'; delayMs: number; then?: 'forward' | 'hang' }
  /** Read `afterBytes` body bytes (default 0: none), then reset the connection (ECONNRESET at the sender). */
  | { type: 'reset'; afterBytes?: number }
  /** Forward to the target (it stores the batch), then reset the client's connection instead of answering. */
  | { type: 'forward-then-reset' };

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  behaviour: Behaviour['type'];
}

export interface FaultProxyOptions {
  /** Base URL of the target, e.g. the receiver's `url`. */
  target: string;
  /** 0 or absent: a free port. */
  port?: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Requests received (whatever happened to them). */
  readonly requests: number;
  /** Requests the target has answered (forward, slow then forward, forward-then-reset). */
  readonly forwarded: number;
  /** Every request received, in order. */
  readonly seen: readonly SeenRequest[];
  /** Queues behaviours, consumed one per incoming request. */
  script(behaviours: readonly Behaviour[]): void;
  /** The behaviour for requests once the queue is empty. */
  setDefault(behaviour: Behaviour): void;
  /** Behaviours still queued. */
  pending(): number;
  /** Resolves once `requests >= n`; rejects after `timeoutMs` (default 10 s) or on close. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves once `forwarded >= n`; rejects after `timeoutMs` (default 10 s) or on close. */
  waitForForwarded(n: number, timeoutMs?: number): Promise<void>;
  /** Stops listening (new connections are refused) and drops open connections. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Drops every connection, cancels pending delays, stops listening. Idempotent. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface CountWaiter {
  which: 'requests' | 'forwarded';
  n: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Resets a socket (TCP RST where supported) and never throws. */
function resetSocket(socket: Socket): void {
  try {
    if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) {
      socket.resetAndDestroy();
    } else {
      socket.destroy();
    }
  } catch {
    socket.destroy();
  }
}

/** Reads the whole request body; resolves undefined if the client goes away first. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('close', () => {
      if (!done) resolve(undefined);
    });
  });
}

class FaultProxyImpl implements FaultProxy {
  port: number;
  requests = 0;
  forwarded = 0;
  readonly seen: SeenRequest[] = [];
  private queue: Behaviour[] = [];
  private fallback: Behaviour = { type: 'forward' };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly upstreamRequests = new Set<ClientRequest>();
  private readonly agent = new Agent({ keepAlive: false });
  private readonly target: URL;
  private waiters: CountWaiter[] = [];
  private listening = false;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(target: string, port: number) {
    this.target = new URL(target);
    this.port = port;
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (socket: Socket) => {
      socket.on('error', () => undefined);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  script(behaviours: readonly Behaviour[]): void {
    this.queue.push(...behaviours);
  }
  setDefault(behaviour: Behaviour): void {
    this.fallback = behaviour;
  }
  pending(): number {
    return this.queue.length;
  }

  waitForRequests(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor('requests', n, timeoutMs);
  }
  waitForForwarded(n: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor('forwarded', n, timeoutMs);
  }

  private waitFor(which: 'requests' | 'forwarded', n: number, timeoutMs: number): Promise<void> {
    if (this[which] >= n) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('fault proxy closed'));
    return new Promise((resolve, reject) => {
      const waiter: CountWaiter = {
        which,
        n,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`fault proxy: timed out after ${timeoutMs} ms waiting for ${which} >= ${n} (now ${this[which]})`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private notify(): void {
    const ready = this.waiters.filter((w) => this[w.which] >= w.n);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  listen(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('fault proxy closed'));
    if (this.listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  up(): Promise<void> {
    return this.listen();
  }

  down(): Promise<void> {
    return this.stopListening();
  }

  private stopListening(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      for (const t of this.timers) clearTimeout(t);
      this.timers.clear();
      for (const r of this.upstreamRequests) r.destroy();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('fault proxy closed'));
      }
      this.waiters = [];
      await this.stopListening();
      this.agent.destroy();
    })();
    return this.closing;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const behaviour = this.queue.shift() ?? this.fallback;
    this.requests++;
    this.seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, behaviour: behaviour.type });
    this.notify();
    switch (behaviour.type) {
      case 'forward':
        void this.forward(req, res, readBody(req), false);
        return;
      case 'forward-then-reset':
        void this.forward(req, res, readBody(req), true);
        return;
      case 'status':
        void readBody(req).then(() => this.answer(res, behaviour));
        return;
      case 'slow': {
        const body = readBody(req);
        if (behaviour.then === 'hang') {
          return; // the socket stays open until the client gives up or close() destroys it
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.forward(req, res, body, false);
        }, behaviour.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'reset':
        this.reset(req, behaviour.afterBytes ?? 0);
        return;
    }
  }

  private answer(res: ServerResponse, b: Extract<Behaviour, { type: 'status' }>): void {
    if (res.destroyed) return;
    const body = b.body ?? JSON.stringify({ error: `fault proxy: injected ${b.status}` });
    let json: boolean;
    try {
      JSON.parse(body);
      json = true;
    } catch {
      json = false;
    }
    const headers: OutgoingHttpHeaders = {
      'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    };
    if (b.retryAfter !== undefined) headers['Retry-After'] = b.retryAfter;
    res.writeHead(b.status, headers);
    res.end(body);
  }

  private reset(req: IncomingMessage, afterBytes: number): void {
    const socket = req.socket;
    if (afterBytes <= 0) {
      resetSocket(socket);
      return;
    }
    let seen = 0;
    req.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen >= afterBytes) resetSocket(socket);
    });
    req.on('end', () => resetSocket(socket));
  }

  private async forward(req: IncomingMessage, res: ServerResponse, bodyPromise: Promise<Buffer | undefined>, resetAfter: boolean): Promise<void> {
    const body = await bodyPromise;
    if (body === undefined || this.closed) {
      return; // the client went away before sending its whole body: nothing to forward
    }
    let upstream: Upstream;
    try {
      upstream = await this.send(req, body);
    } catch (error) {
      if (this.closed) return;
      if (!res.destroyed && !res.headersSent) {
        const text = JSON.stringify({ error: `fault proxy: target unreachable (${error instanceof Error ? error.message : String(error)})` });
        res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
        res.end(text);
      }
      return;
    }
    this.forwarded++;
    this.notify();
    if (resetAfter) {
      resetSocket(req.socket);
      return;
    }
    if (res.destroyed) return;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers['content-length'] = upstream.body.length;
    headers.connection = 'close';
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  }

  private send(req: IncomingMessage, body: Buffer): Promise<Upstream> {
    return new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
      }
      if (body.length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
        headers['content-length'] = body.length;
      }
      const base = this.target.pathname.replace(/\/+$/, '');
      const upstreamReq = httpRequest(
        { protocol: this.target.protocol, hostname: this.target.hostname, port: this.target.port, method: req.method, path: `${base}${req.url ?? '/'}`, headers, agent: this.agent },
        (upstreamRes) => {
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => chunks.push(c));
          upstreamRes.on('end', () => {
            this.upstreamRequests.delete(upstreamReq);
            resolve({ status: upstreamRes.statusCode ?? 502, headers: upstreamRes.headers, body: Buffer.concat(chunks) });
          });
          upstreamRes.on('error', (error) => {
            this.upstreamRequests.delete(upstreamReq);
            reject(error);
          });
        },
      );
      this.upstreamRequests.add(upstreamReq);
      upstreamReq.on('error', (error) => {
        this.upstreamRequests.delete(upstreamReq);
        reject(error);
      });
      upstreamReq.end(body);
    });
  }
}

/** Starts a fault proxy in front of `target` on 127.0.0.1. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = new FaultProxyImpl(options.target, options.port ?? 0);
  await proxy.listen();
  return proxy;
}
