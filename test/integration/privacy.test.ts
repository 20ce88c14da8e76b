import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import { replayTrace } from '../../src/replay/replay';
import { verifyDocuments } from '../../src/replay/verify';
import { assertNotOnDisk, bashTerminal, grantConsentForTests, nextEvent, openNew, runInTerminal, sessionEvents, typeChars, whenText, workspaceRoot, worktrace } from './support';

suite('privacy: excluded files', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('an .env file opened and edited leaves only doc.excluded markers', async () => {
    await worktrace();
    const editor = await openNew('.env.local', 'DATABASE_URL=postgres://app:hunter2@db/app\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('API_TOKEN=typed-into-env\n');
    await whenText(editor.document, (t) => t.includes('typed-into-env'), 'typed text');
    assert.ok(await editor.document.save());
    const events = await sessionEvents();
    const text = JSON.stringify(events);
    assert.ok(!text.includes('hunter2') && !text.includes('typed-into-env') && !text.includes('.env.local'), 'no content, no diff, no name');
    const markers = events.filter((e) => e.kind === 'doc.excluded');
    assert.equal(markers.length, 1);
    assert.match(markers[0].kind === 'doc.excluded' ? markers[0].path : '', /^excluded:[0-9a-f]{16}$/);
    assert.ok(events.some((e) => e.kind === 'editor.focus' && e.path === (markers[0].kind === 'doc.excluded' ? markers[0].path : '')), 'focus is recorded under the hashed path');
  });

  test('a file git ignores is excluded too', async () => {
    // The sample workspace ignores *.log and has an untracked debug.log.
    await worktrace();
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'debug.log')));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'secret-ish log line\n'));
    const events = await sessionEvents();
    const text = JSON.stringify(events);
    assert.ok(!text.includes('a log file git ignores') && !text.includes('secret-ish log line') && !text.includes('debug.log'));
    assert.ok(events.some((e) => e.kind === 'doc.excluded'));
  });
});

suite('privacy: secrets never leave the machine', () => {
  const AWS = 'AKIAQ3EGRTWSY2P7ZK4N';
  const GITHUB = 'ghp_8aZr4YtQw2LmN5pKx7Vb3Cd9Ef1Gh6Jk0Lm2';
  const KEY_BODY = 'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi0d8L2QxvP4Xp9kWbNnYcZtR7e';
  const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`;
  let receiver: Receiver;
  const config = () => vscode.workspace.getConfiguration('worktrace');

  suiteSetup(async () => {
    receiver = await startReceiver({ db: path.join(mkdtempSync(path.join(os.tmpdir(), 'worktrace-rx-')), 'events.db') });
    await config().update('endpoint.url', `${receiver.url}/ingest`, vscode.ConfigurationTarget.Global);
    await config().update('destination', 'http', vscode.ConfigurationTarget.Global);
    await grantConsentForTests();
  });

  suiteTeardown(async () => {
    await config().update('destination', undefined, vscode.ConfigurationTarget.Global);
    await config().update('endpoint.url', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await receiver.close();
  });

  test('typed one character at a time, pasted, echoed in a terminal and put in a commit message: only placeholders leave', async () => {
    const api = await worktrace();
    // Typed character by character.
    const typed = await openNew('src/keys.js', '// keys\n');
    typed.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars(`const aws = '${AWS}';\nconst gh = '${GITHUB}';\n`);
    await typeChars(PRIVATE_KEY);
    await whenText(typed.document, (t) => t.includes('END RSA PRIVATE KEY'), 'typed secrets');
    assert.ok(await typed.document.save());
    // Pasted into another file.
    const pasted = await openNew('src/pasted-keys.js', '// pasted\n');
    pasted.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.env.clipboard.writeText(`const aws = '${AWS}';\nconst gh = '${GITHUB}';\n${PRIVATE_KEY}`);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await whenText(pasted.document, (t) => t.includes('END RSA PRIVATE KEY'), 'pasted secrets');
    assert.ok(await pasted.document.save());
    // Echoed in a terminal, and put in a commit message.
    const terminal = await bashTerminal('worktrace-secrets');
    const echoed = nextEvent('terminal.command', (e) => e.commandLine.includes('echo'));
    await runInTerminal(terminal, `echo "${AWS} ${GITHUB}" && sleep 1`);
    await echoed;
    const committed = nextEvent('git.commit', (e) => e.message.startsWith('Keys'));
    await runInTerminal(terminal, `git commit --allow-empty -q -m "Keys ${AWS} ${GITHUB}"`);
    await committed;
    terminal.dispose();
    await api.flush();

    const secrets = [AWS, GITHUB, KEY_BODY];
    await assertNotOnDisk([api.traceDirectory, api.spoolDirectory], secrets);
    const stored = JSON.stringify(receiver.events());
    for (const secret of secrets) {
      assert.ok(!stored.includes(secret), `${secret.slice(0, 8)}… is not in what the receiver stored`);
    }
    for (const rule of ['aws-access-key', 'github-token', 'private-key']) {
      assert.ok(stored.includes(`«redacted:${rule}»`), `the ${rule} placeholder reached the receiver`);
    }
    // Replay (of what the receiver stored) shows the placeholders; --verify accepts them as expected differences.
    const events = receiver.events().filter((e) => e.session === api.sessionId);
    const { documents } = replayTrace(events);
    assert.match(documents.get('src/keys.js')?.text ?? '', /«redacted:aws-access-key»/);
    const results = verifyDocuments(documents, workspaceRoot());
    for (const file of ['src/keys.js', 'src/pasted-keys.js']) {
      const result = results.find((r) => r.path === file);
      assert.equal(result?.status, 'ok', JSON.stringify(result));
      assert.ok(result?.status === 'ok' && (result.redacted ?? 0) >= 3);
    }
    assert.ok(events.filter((e) => e.kind === 'privacy.redacted').length >= 3);
  });
});
