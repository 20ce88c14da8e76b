import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { HttpDestination } from '../../src/pipeline/destinations/http';
import { insecureTokenProblem, isLoopbackHost, withoutToken } from '../../src/pipeline/destinations/transport';

/** The first address of this machine that is not a loopback address (a real interface), if any. */
export function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (!info.internal && info.family === 'IPv4') return info.address;
    }
  }
  return undefined;
}

interface Seen {
  requests: { url: string; authorization?: string }[];
}

async function serve(host: string, answer: (req: IncomingMessage, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string; seen: Seen }> {
  const seen: Seen = { requests: [] };
  const server = createServer((req, res) => {
    seen.requests.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/ingest`, seen };
}

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
const batch = { id: 'batch-1', lines: ['{"kind":"doc.save"}'] };

suite('the endpoint token travels only over TLS or to this machine', () => {
  test('loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.255.0.9', '[::1]', '::1', '::ffff:127.0.0.1', 'localhost.']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['192.0.2.2', '10.0.0.1', 'example.com', 'localhost.example.com', '128.0.0.1', '[fd00::2]', '127.0.0.1.nip.io', '0.0.0.0']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  test('the URL check: https and loopback http pass; http to another host needs the opt-in', () => {
    assert.equal(insecureTokenProblem('https://collector.example.com/v1', false), undefined);
    assert.equal(insecureTokenProblem('http://127.0.0.1:4318', false), undefined);
    assert.equal(insecureTokenProblem('http://localhost:4318', false), undefined);
    assert.equal(insecureTokenProblem('http://[::1]:4318', false), undefined);
    const problem = insecureTokenProblem('http://collector.example.com:4318/ingest', false);
    assert.match(problem ?? '', /token would travel in clear to collector\.example\.com:4318.*https.*worktrace\.endpoint\.allowInsecureToken/);
    assert.equal(insecureTokenProblem('http://collector.example.com:4318/ingest', true), undefined);
  });

  test('a real server on a non-loopback address of this machine gets no request while a token is set; with the opt-in it does', async function () {
    const address = nonLoopbackAddress();
    assert.ok(address, 'this machine has a non-loopback IPv4 address to test with');
    const { server, url, seen } = await serve(address, (_req, res) => res.writeHead(200).end());
    try {
      const refused = new HttpDestination({ url, headers: {}, timeoutMs: 5_000, token: () => Promise.resolve('secret-token-123') });
      const outcome = await refused.send(batch);
      assert.equal(outcome.kind, 'fail');
      assert.equal(seen.requests.length, 0, 'no request was made');
      const allowed = new HttpDestination({ url, headers: {}, timeoutMs: 5_000, token: () => Promise.resolve('secret-token-123'), allowInsecureToken: true });
      assert.equal((await allowed.send(batch)).kind, 'ok');
      assert.equal(seen.requests.length, 1);
      assert.equal(seen.requests[0].authorization, 'Bearer secret-token-123');
    } finally {
      await close(server);
    }
  });

  test('a receiver that echoes the token in its error: the token is not in the reason shown and logged', async () => {
    const { server, url } = await serve('127.0.0.1', (req, res) => res.writeHead(400).end(`bad request with ${req.headers.authorization ?? ''}`));
    try {
      const destination = new HttpDestination({ url, headers: {}, timeoutMs: 5_000, token: () => Promise.resolve('secret-token-456') });
      const outcome = await destination.send(batch);
      assert.equal(outcome.kind, 'fail');
      assert.ok(outcome.kind === 'fail' && !outcome.reason.includes('secret-token-456'), JSON.stringify(outcome));
      assert.match(outcome.kind === 'fail' ? outcome.reason : '', /Bearer «token»/);
    } finally {
      await close(server);
    }
  });

  test('a redirect is not followed: neither the trace nor the token goes to the other server', async () => {
    const other = await serve('127.0.0.1', (_req, res) => res.writeHead(200).end());
    const { server, url } = await serve('127.0.0.1', (_req, res) => res.writeHead(307, { location: other.url }).end());
    try {
      const destination = new HttpDestination({ url, headers: {}, timeoutMs: 5_000, token: () => Promise.resolve('secret-token-789') });
      const outcome = await destination.send(batch);
      assert.equal(outcome.kind, 'fail');
      assert.match(outcome.kind === 'fail' ? outcome.reason : '', /redirects.*not followed/);
      assert.equal(other.seen.requests.length, 0);
    } finally {
      await close(server);
      await close(other.server);
    }
  });

  test('a huge answer is read only up to a bound', async () => {
    const { server, url } = await serve('127.0.0.1', (_req, res) => {
      res.writeHead(400);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = (): void => {
        while (sent < 512 && res.write(chunk)) sent++;
        if (sent < 512) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    try {
      const outcome = await new HttpDestination({ url, headers: {}, timeoutMs: 10_000, token: () => Promise.resolve(undefined) }).send(batch);
      assert.equal(outcome.kind, 'fail');
      assert.ok(outcome.kind === 'fail' && outcome.reason.length < 1_000);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  test('withoutToken', () => {
    assert.equal(withoutToken('got abcd1234 here and abcd1234', 'abcd1234'), 'got «token» here and «token»');
    assert.equal(withoutToken('nothing', undefined), 'nothing');
  });
});
