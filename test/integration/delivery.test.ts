import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import { readTrace } from '../../src/trace/readTrace';
import { grantConsentForTests, openNew, typeChars, whenText, worktrace } from './support';

/**
 * Delivery in real VS Code: the default file destination, then the reference receiver
 * (a real HTTP server on 127.0.0.1 in this process) through the `http` and `otlp`
 * destinations, with a bearer token from secret storage.
 */
suite('delivery from real VS Code', () => {
  let receiver: Receiver;
  const token = 'it-token-' + Math.random().toString(36).slice(2);
  const config = () => vscode.workspace.getConfiguration('worktrace');

  suiteSetup(async () => {
    receiver = await startReceiver({ db: path.join(mkdtempSync(path.join(os.tmpdir(), 'worktrace-rx-')), 'events.db'), token });
  });

  suiteTeardown(async () => {
    await config().update('destination', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoint.url', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('worktrace.setEndpointToken', '');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await receiver.close();
  });

  test('by default events reach the local trace folder as NDJSON', async () => {
    const api = await worktrace();
    const editor = await openNew('src/delivered.txt', 'file destination\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('abc');
    await whenText(editor.document, (t) => t.endsWith('abc'), 'typed text');
    await api.flush();
    const files = await fs.readdir(api.traceDirectory);
    assert.ok(files.some((f) => f.endsWith(`-${api.sessionId}.ndjson`)), `a file for this session in ${files.join(', ')}`);
    const events = readTrace(api.traceDirectory).filter((e) => e.session === api.sessionId);
    assert.ok(events.some((e) => e.kind === 'doc.edit' && e.path === 'src/delivered.txt' && e.changes[0].text === 'c'));
  });

  async function typeAndDeliver(file: string, text: string): Promise<string[]> {
    const api = await worktrace();
    const editor = await openNew(file, '');
    await typeChars(text);
    await whenText(editor.document, (t) => t === text, 'typed text');
    await api.flush();
    const events = receiver.events().filter((e) => e.session === api.sessionId && e.kind === 'doc.edit' && e.path === file);
    return events.map((e) => (e.kind === 'doc.edit' ? e.changes.map((c) => c.text).join('') : ''));
  }

  test('with the http destination and a token from secret storage, events reach the reference receiver', async () => {
    await vscode.commands.executeCommand('worktrace.setEndpointToken', token);
    await config().update('endpoint.url', `${receiver.url}/ingest`, vscode.ConfigurationTarget.Global);
    await config().update('destination', 'http', vscode.ConfigurationTarget.Global);
    await grantConsentForTests();
    const typed = await typeAndDeliver('src/http.txt', 'sent over http');
    assert.equal(typed.join(''), 'sent over http');
    const ids = receiver.ids();
    assert.equal(new Set(ids).size, ids.length, 'stored once each');
    assert.equal(receiver.duplicates(), 0);
  });

  test('with the otlp destination, events reach the receiver as OTLP/HTTP JSON logs', async () => {
    await config().update('endpoint.url', receiver.url, vscode.ConfigurationTarget.Global);
    await config().update('destination', 'otlp', vscode.ConfigurationTarget.Global);
    await grantConsentForTests();
    const typed = await typeAndDeliver('src/otlp.txt', 'sent as otlp');
    assert.equal(typed.join(''), 'sent as otlp');
  });

  test('http to another host with a token: no request is made and the status bar says why; with the opt-in, requests go', async () => {
    const api = await worktrace();
    const address = Object.values(os.networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address;
    assert.ok(address, 'this machine has a non-loopback address for a second "host"');
    const requests: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.headers.authorization);
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    try {
      const url = `http://${address}:${(server.address() as AddressInfo).port}/ingest`;
      await vscode.commands.executeCommand('worktrace.setEndpointToken', token);
      await config().update('endpoint.url', url, vscode.ConfigurationTarget.Global);
      await config().update('destination', 'http', vscode.ConfigurationTarget.Global);
      await grantConsentForTests();
      const editor = await openNew('src/insecure.txt', '');
      await typeChars('not sent in clear');
      await whenText(editor.document, (t) => t === 'not sent in clear', 'typed text');
      await api.flush();
      assert.deepEqual(requests, [], 'no request reached the server');
      assert.match(api.statusText(), /token would travel in clear to .*allowInsecureToken/);
      const delivered = new Promise<void>((resolve) => server.once('request', () => resolve()));
      await config().update('endpoint.allowInsecureToken', true, vscode.ConfigurationTarget.Global);
      await api.flush();
      await delivered;
      assert.ok(requests.length > 0 && requests.every((a) => a === `Bearer ${token}`), 'with the opt-in the batches go, with the token');
    } finally {
      await config().update('endpoint.allowInsecureToken', undefined, vscode.ConfigurationTarget.Global);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('an invalid endpoint keeps events in the local spool until it is fixed, then delivers them', async () => {
    const api = await worktrace();
    await config().update('endpoint.url', 'not a url', vscode.ConfigurationTarget.Global);
    await config().update('destination', 'http', vscode.ConfigurationTarget.Global);
    const editor = await openNew('src/held.txt', '');
    await typeChars('kept');
    await whenText(editor.document, (t) => t === 'kept', 'typed text');
    await api.flush();
    const spooled = (await fs.readdir(path.join(api.spoolDirectory, 'segments'))).filter((f) => f.endsWith('.ready'));
    assert.ok(spooled.length > 0, 'segments wait in the spool');
    assert.ok(!receiver.events().some((e) => e.kind === 'doc.edit' && e.path === 'src/held.txt'));
    await config().update('endpoint.url', receiver.url, vscode.ConfigurationTarget.Global);
    await grantConsentForTests();
    await api.flush();
    const held = receiver.events().filter((e) => e.session === api.sessionId && e.kind === 'doc.edit' && e.path === 'src/held.txt');
    assert.equal(held.map((e) => (e.kind === 'doc.edit' ? e.changes[0].text : '')).join(''), 'kept');
  });
});
