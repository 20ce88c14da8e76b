import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCli } from '../../src/replay/cli';
import { replayTrace } from '../../src/replay/replay';
import type { EventOf, TraceEvent } from '../../src/trace/events';
import { assertReplayExact, assertValid, editsOf, openNew, sessionEvents, stepsOf, typeChars, whenText, workspaceRoot, worktrace } from './support';

suite('edit capture and exact replay (real typing path)', () => {
  suiteSetup(async () => {
    await worktrace();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('typing character by character, with Enter and Tab, replays exactly; the step carries a diff', async () => {
    const editor = await openNew('src/typed.js', 'const a = 1;\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('function greet(name) {');
    await vscode.commands.executeCommand('type', { text: '\n' });
    await vscode.commands.executeCommand('tab');
    await typeChars("return 'hi ' + name;");
    await whenText(editor.document, (t) => t.includes("return 'hi ' + name;"), 'typed text');
    await assertReplayExact(editor.document);
    const events = await sessionEvents();
    const edits = editsOf(events, 'src/typed.js');
    assert.ok(edits.length >= 30, `one doc.edit per keystroke (got ${edits.length})`);
    assert.ok(edits.filter((e) => e.cause === 'typing').length >= 30, 'keystrokes are classified as typing');
    const steps = stepsOf(events, 'src/typed.js');
    assert.ok(steps.length >= 1, 'an edit step closed on save');
    const last = steps[steps.length - 1];
    assert.equal(last.closedBy, 'save');
    assert.match(last.diff, /\+\s*return 'hi ' \+ name;/);
    assert.equal(last.cause, 'typing');
    assert.ok(last.added >= 1);
    const covered = new Set(steps.flatMap((s) => s.editIds));
    for (const e of edits) {
      assert.ok(covered.has(e.id), `doc.edit #${e.seq} is covered by a step`);
    }
  });

  test('editor.edit with several changes is programmatic and replays exactly', async () => {
    const editor = await openNew('src/programmatic.ts', 'let x = 1;\nlet y = 2;\nlet z = 3;\n');
    const ok = await editor.edit((b) => {
      b.replace(new vscode.Range(0, 4, 0, 5), 'alpha');
      b.insert(new vscode.Position(1, 0), '// inserted\n');
      b.delete(new vscode.Range(2, 0, 3, 0));
    });
    assert.ok(ok);
    await assertReplayExact(editor.document);
    const edits = editsOf(await sessionEvents(), 'src/programmatic.ts');
    assert.equal(edits.length, 1);
    assert.equal(edits[0].changes.length, 3);
    assert.equal(edits[0].cause, 'programmatic');
  });

  test('multi-cursor typing is one multi-cursor edit and replays exactly', async () => {
    const editor = await openNew('src/multi.py', 'a = 1\nb = 2\nc = 3\n');
    editor.selections = [0, 1, 2].map((line) => new vscode.Selection(line, 0, line, 0));
    await typeChars('x_');
    await whenText(editor.document, (t) => t === 'x_a = 1\nx_b = 2\nx_c = 3\n', 'multi-cursor text');
    await assertReplayExact(editor.document);
    const edits = editsOf(await sessionEvents(), 'src/multi.py');
    assert.ok(edits.length >= 2);
    assert.ok(edits.every((e) => e.changes.length === 3 && e.cause === 'multi-cursor'), JSON.stringify(edits.map((e) => [e.cause, e.changes.length])));
  });

  test('undo and redo are recorded as such and replay exactly', async () => {
    const editor = await openNew('src/undo.txt', 'start\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('abc');
    await vscode.commands.executeCommand('undo');
    await whenText(editor.document, (t) => t === 'start\n', 'undo');
    await vscode.commands.executeCommand('redo');
    await whenText(editor.document, (t) => t === 'start\nabc', 'redo');
    await vscode.commands.executeCommand('undo');
    await whenText(editor.document, (t) => t === 'start\n', 'second undo');
    await typeChars('Z');
    await assertReplayExact(editor.document);
    const causes = editsOf(await sessionEvents(), 'src/undo.txt').map((e) => e.cause);
    assert.ok(causes.includes('undo') && causes.includes('redo'), causes.join(','));
  });

  // The paste command in a browser workbench inserts the clipboard without asking paste
  // providers, so its cause is `programmatic` here; the workbench suite (test/ui/paste.test.ts)
  // pastes with a real Ctrl+V and checks the `paste` cause.
  test('a paste through the paste command replays exactly', async () => {
    const editor = await openNew('src/paste.js', '// paste below\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const clip = 'const pasted = [1, 2, 3];\nconsole.log(pasted);\n';
    await vscode.env.clipboard.writeText(clip);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await whenText(editor.document, (t) => t.includes('console.log(pasted);'), 'pasted text');
    await assertReplayExact(editor.document);
    const edits = editsOf(await sessionEvents(), 'src/paste.js');
    assert.equal(edits.at(-1)?.changes[0].text, clip);
  });

  test('a CRLF document replays byte for byte, CRLF kept', async () => {
    const editor = await openNew('src/windows.txt', Buffer.from('line one\r\nline two\r\n', 'utf8'));
    assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    await typeChars(' and a half');
    await vscode.commands.executeCommand('type', { text: '\n' });
    await typeChars('\tindented');
    await whenText(editor.document, (t) => t.includes('\tindented'), 'typed text');
    await assertReplayExact(editor.document);
    const disk = await fs.readFile(editor.document.uri.fsPath, 'utf8');
    assert.ok(disk.includes('\r\n\tindented'), 'Enter inserted CRLF on disk');
    const open = (await sessionEvents()).find((e) => e.kind === 'doc.open' && e.path === 'src/windows.txt');
    assert.equal(open?.kind === 'doc.open' ? open.eol : undefined, '\r\n');
  });

  test('emoji and CJK (non-BMP characters, UTF-16 offsets) replay exactly', async () => {
    const editor = await openNew('src/unicode.md', '# 日本語 👋\n');
    editor.selection = new vscode.Selection(0, 9, 0, 9);
    await typeChars(' 😀漢字🎉');
    await vscode.commands.executeCommand('deleteLeft'); // removes the whole 🎉 surrogate pair
    await typeChars('𝄞 café');
    await whenText(editor.document, (t) => t.includes('𝄞 café'), 'typed text');
    await assertReplayExact(editor.document);
  });

  test('a formatter that changes more than whitespace is programmatic, format-on-save is format; both replay exactly', async () => {
    const provider = vscode.languages.registerDocumentFormattingEditProvider(
      { language: 'plaintext', pattern: '**/*.fmt' },
      {
        provideDocumentFormattingEdits(document) {
          // Trim trailing spaces and upper-case "todo": several edits in one go, as formatters do.
          const edits: vscode.TextEdit[] = [];
          for (let line = 0; line < document.lineCount; line++) {
            const text = document.lineAt(line).text;
            const trimmed = text.replace(/\s+$/, '');
            if (trimmed.length !== text.length) {
              edits.push(vscode.TextEdit.delete(new vscode.Range(line, trimmed.length, line, text.length)));
            }
            const at = trimmed.indexOf('todo');
            if (at >= 0) {
              edits.push(vscode.TextEdit.replace(new vscode.Range(line, at, line, at + 4), 'TODO'));
            }
          }
          return edits;
        },
      },
    );
    const config = vscode.workspace.getConfiguration('editor', { languageId: 'plaintext' });
    try {
      const editor = await openNew('notes/a.fmt', 'one   \ntodo: two  \nthree\n');
      await vscode.languages.setTextDocumentLanguage(editor.document, 'plaintext');
      await vscode.commands.executeCommand('editor.action.formatDocument');
      await whenText(editor.document, (t) => t === 'one\nTODO: two\nthree\n', 'formatted text');
      const formatted = editsOf(await sessionEvents(), 'notes/a.fmt').at(-1);
      assert.equal(formatted?.cause, 'programmatic', 'Format Document: an upper-cased word is more than whitespace, so nothing tells it from another extension');
      await config.update('formatOnSave', true, vscode.ConfigurationTarget.Global, true);
      editor.selection = new vscode.Selection(2, 5, 2, 5);
      await typeChars('   todo   ');
      assert.ok(await editor.document.save());
      assert.equal(editor.document.getText(), 'one\nTODO: two\nthree   TODO\n', 'format-on-save ran');
      await assertReplayExact(editor.document);
      const onSave = editsOf(await sessionEvents(), 'notes/a.fmt').filter((e) => e.changes.some((c) => c.text === 'TODO') && e.seq > (formatted?.seq ?? 0));
      assert.deepEqual(onSave.map((e) => e.cause), ['format'], 'format-on-save: the edit came while the document was being saved');
    } finally {
      await config.update('formatOnSave', undefined, vscode.ConfigurationTarget.Global, true);
      provider.dispose();
    }
  });

  test('a file changed on disk while open is an external edit and replays exactly', async () => {
    const editor = await openNew('src/disk.js', 'const v = 1;\n');
    const changed = whenText(editor.document, (t) => t === 'const v = 2;\n// changed outside\n', 'reload from disk');
    await fs.writeFile(editor.document.uri.fsPath, 'const v = 2;\n// changed outside\n');
    await changed;
    await assertReplayExact(editor.document);
    const edits = editsOf(await sessionEvents(), 'src/disk.js');
    assert.equal(edits.at(-1)?.cause, 'external');
  });

  test('documents open when capture starts get a snapshot (doc.open existing)', async () => {
    const editor = await openNew('src/existing.js', 'let before = true;\n');
    await vscode.commands.executeCommand('worktrace.togglePause');
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), '// edited while paused\n'));
    await vscode.commands.executeCommand('worktrace.togglePause');
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await typeChars('ok');
    await whenText(editor.document, (t) => t.endsWith('ok'), 'typed text');
    await assertReplayExact(editor.document);
    const events = await sessionEvents();
    const snapshots = events.filter((e) => e.kind === 'doc.open' && e.path === 'src/existing.js');
    assert.ok(snapshots.some((e) => e.kind === 'doc.open' && e.existing === true && e.text?.includes('edited while paused')));
    assert.ok(!editsOf(events, 'src/existing.js').some((e) => e.changes.some((c) => c.text.includes('edited while paused'))), 'the edit made while paused is not captured');
  });

  test('the session is described and every event validates against the schema', async () => {
    const events = await sessionEvents();
    assertValid(events);
    const start = events.find((e) => e.kind === 'session.start');
    assert.ok(start && start.kind === 'session.start');
    assert.equal(start.vscodeVersion, vscode.version);
    assert.deepEqual(start.folders, [vscode.workspace.workspaceFolders?.[0].name]);
    assert.equal(start.repos.length, 1);
    assert.match(start.repos[0].head ?? '', /^[0-9a-f]{40}$/);
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seq is monotonic');
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique');
    assert.ok(!JSON.stringify(events).includes(vscode.workspace.workspaceFolders?.[0].uri.fsPath ?? '\u0000'), 'no absolute workspace path in the trace');
  });
});

suite('what is captured of which document', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a document over the size limit is recorded by hash and size only, not replayable', async () => {
    const config = vscode.workspace.getConfiguration('worktrace');
    await config.update('capture.maxDocumentKilobytes', 1, vscode.ConfigurationTarget.Global);
    try {
      const big = 'x'.repeat(3000) + '\n';
      await openNew('src/big.txt', big);
      const open = (await sessionEvents()).find((e) => e.kind === 'doc.open' && e.path === 'src/big.txt');
      assert.ok(open && open.kind === 'doc.open');
      assert.equal(open.replayable, false);
      assert.equal(open.omitted, 'too-large');
      assert.equal(open.text, undefined);
      assert.equal(open.length, big.length);
      assert.match(open.sha256, /^[0-9a-f]{64}$/);
    } finally {
      await config.update('capture.maxDocumentKilobytes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a file outside the workspace is recorded without content under a hashed path', async () => {
    const outside = path.join(os.tmpdir(), `worktrace-outside-${Date.now()}.txt`);
    await fs.writeFile(outside, 'secret-ish content outside the workspace\n');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(outside));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'edited '));
    const events = await sessionEvents();
    const text = JSON.stringify(events);
    assert.ok(!text.includes('secret-ish content'), 'no content of the outside file');
    assert.ok(!text.includes(path.basename(outside)), 'no name of the outside file');
    const open = events.find((e) => e.kind === 'doc.open' && e.path.startsWith('outside:'));
    assert.ok(open && open.kind === 'doc.open' && open.omitted === 'outside-workspace' && !open.replayable);
  });

  test('untitled documents are captured and replayable; output channels are not captured', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'scratch\n', language: 'plaintext' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('notes');
    await whenText(document, (t) => t.endsWith('notes'), 'typed text');
    const events = await sessionEvents();
    const { documents } = replayTrace(events);
    const key = `untitled:${document.uri.path}`;
    assert.equal(documents.get(key)?.text, document.getText());
    assert.ok(!events.some((e) => 'path' in e && typeof e.path === 'string' && /^output:|extension-output/.test(e.path)), 'no output-channel documents');
  });

  test('a workspace edit across 300 files, more than one turn of work: each open precedes its edit, and every file replays exactly', async () => {
    // VS Code opens and edits all 300 documents in one turn; what the collectors do past their
    // budget for that turn waits for later turns (common/turnQueue.ts), and must keep the order.
    const root = workspaceRoot();
    const names = Array.from({ length: 300 }, (_, i) => `bulk/f${i}.ts`);
    await fs.mkdir(path.join(root, 'bulk'), { recursive: true });
    const before = (i: number): string => `export const value${i} = 'old';\n// old, still old\n`;
    await Promise.all(names.map((name, i) => fs.writeFile(path.join(root, name), before(i))));
    const edit = new vscode.WorkspaceEdit();
    names.forEach((name, i) => {
      const uri = vscode.Uri.file(path.join(root, name));
      const text = before(i);
      const first = text.indexOf('old');
      edit.replace(uri, new vscode.Range(0, first, 0, first + 3), 'new');
      edit.replace(uri, new vscode.Range(1, 3, 1, 6), 'renewed');
    });
    assert.ok(await vscode.workspace.applyEdit(edit), 'the workspace edit applied');
    const documents = await Promise.all(names.map((name) => vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, name)))));
    assert.deepEqual((await Promise.all(documents.map((d) => d.save()))).filter((saved) => !saved), [], 'every document saved');
    const events = await sessionEvents();
    assertValid(events);
    const bulks = events.filter((e): e is EventOf<'file.bulk'> => e.kind === 'file.bulk');
    // VS Code closes the documents it opened for the edit when it likes (here, often, soon after
    // the saves). Replay must not depend on when: the same trace with each document closed just
    // after its save must replay as well. (The saves are the editor's, though VS Code writes
    // them all before it tells of any; summed up in a file.bulk they made every closed one unknown.)
    let seq = 0;
    const closedAfterSave = events
      .flatMap((e): TraceEvent[] => (e.kind === 'doc.save' && e.path.startsWith('bulk/') ? [e, { ...e, kind: 'doc.close', path: e.path }] : [e]))
      .map((e) => ({ ...e, seq: ++seq }));
    const replayed = replayTrace(closedAfterSave);
    const replayedDocuments = replayed.documents;
    /** What the trace says of one file, for a failure's message. */
    const story = (name: string): string =>
      JSON.stringify({
        warnings: replayed.warnings.filter((w) => w.path === name || w.path === undefined),
        events: closedAfterSave.filter((e) => 'path' in e && e.path === name).map((e) => ({ seq: e.seq, kind: e.kind, ...(e.kind === 'doc.open' ? { replayable: e.replayable, omitted: e.omitted, text: e.text } : {}), ...(e.kind === 'file.change' ? { change: e.change, editor: e.editor, omitted: e.omitted } : {}) })),
        bulks: bulks.map((e) => ({ seq: e.seq, ts: e.ts, count: e.count, created: e.created, changed: e.changed, paths: e.paths.slice(0, 3) })),
      });
    for (const [i, name] of names.entries()) {
      const open = events.find((e) => e.kind === 'doc.open' && e.path === name);
      const edits = editsOf(events, name);
      assert.ok(open, `${name} was opened`);
      assert.ok(edits.length >= 1, `${name} was edited`);
      assert.ok(edits.every((e) => e.seq > open.seq), `${name}: its doc.open comes before its edits`);
      const expected = before(i).replace('old', 'new').replace('// old,', '// renewed,');
      assert.equal(documents[i].getText(), expected);
      assert.equal(await fs.readFile(path.join(root, name), 'utf8'), expected, `${name} saved`);
      assert.equal(replayedDocuments.get(name)?.text, expected, `${name} replays exactly: ${story(name)}`);
    }
  });

  test('npm run replay -- --verify: every saved document in the workspace rebuilds byte for byte', async () => {
    const editor = await openNew('src/verify-me.js', 'module.exports = {};\r\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await typeChars('// 🎯 checked by --verify');
    await whenText(editor.document, (t) => t.endsWith('--verify'), 'typed text');
    assert.ok(await editor.document.save());
    const api = await worktrace();
    await api.flush();
    const lines: string[] = [];
    const code = await runCli([api.traceDirectory, '--session', api.sessionId, '--verify', workspaceRoot()], { stdout: (s) => lines.push(s), stderr: (s) => lines.push(s) });
    const output = lines.join('');
    assert.equal(code, 0, output);
    assert.match(output, /ok\s+src\/verify-me\.js/);
    assert.doesNotMatch(output, /MISMATCH|MISSING/);
  });
});
