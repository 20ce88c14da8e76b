import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs, watch } from 'node:fs';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { decodeText } from '../../../src/disk/fileChangeReader';
import { applyChanges } from '../../../src/replay/apply';
import type { NewEvent, NewEventOf } from '../../../src/trace/events';
import { DiskHarness, DiskReplay, runNode, type DiskEvent } from '../../support/disk';
import { validateEvent } from '../../support/schema';
import { TraceBuilder } from '../../support/traceBuilder';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const builder = new TraceBuilder();

function assertValid(events: readonly DiskEvent[]): void {
  for (const e of events) assert.deepEqual(validateEvent(builder.stamp(e as NewEvent)), [], JSON.stringify(e).slice(0, 300));
}

/** A child process writing files: `files` maps relative paths to contents (null deletes). */
function writeScript(files: Record<string, string | null>): string {
  return `const fs = require('fs'); const path = require('path');
for (const [p, c] of Object.entries(${JSON.stringify(files)})) {
  if (c === null) fs.rmSync(p, { force: true });
  else { fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, c); }
}`;
}

suite('disk/ChangeTracker', function () {
  this.timeout(60_000);
  let h: DiskHarness;

  setup(async () => {
    h = await new DiskHarness().start();
  });
  teardown(async () => {
    await h.dispose();
  });

  const write = async (files: Record<string, string | null>): Promise<void> => {
    await runNode(h.workspace, writeScript(files));
    await h.report();
  };

  test('created, changed and deleted by child processes: exact changes that replay to the file on disk', async () => {
    const replay = new DiskReplay();
    await write({ 'src/a.ts': 'const a = 1;\nconst b = 2;\n' });
    await h.pass();
    let [created] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(created.change, 'created');
    assert.deepEqual(created.changes, [{ offset: 0, length: 0, text: 'const a = 1;\nconst b = 2;\n' }]);
    assert.equal(created.text, undefined);
    assert.equal(created.added, 2);
    assert.equal(created.removed, 0);
    assert.equal(created.sha256, sha('const a = 1;\nconst b = 2;\n'));
    assert.equal(created.size, 26);
    assert.deepEqual(created.by, { by: 'unknown', confidence: 'low' });
    assert.match(created.diff ?? '', /^--- src\/a\.ts\n\+\+\+ src\/a\.ts\n@@ -0,0 \+1,2 @@\n\+const a = 1;\n\+const b = 2;\n$/);
    assertValid([created]);
    replay.apply(created, applyChanges);

    await write({ 'src/a.ts': 'const a = 1;\nconst b = 3;\nconst c = 4;\n' });
    await h.pass();
    const [changed] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(changed.change, 'changed');
    assert.equal(changed.added, 2);
    assert.equal(changed.removed, 1);
    assert.equal(applyPatch('const a = 1;\nconst b = 2;\n', changed.diff ?? ''), 'const a = 1;\nconst b = 3;\nconst c = 4;\n');
    replay.apply(changed, applyChanges);
    assert.equal(replay.files.get('src/a.ts'), await fs.readFile(join(h.workspace, 'src/a.ts'), 'utf8'));
    assertValid([changed]);

    await write({ 'src/a.ts': null });
    await h.pass();
    [created] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual({ ...created, by: undefined }, { kind: 'file.change', path: 'src/a.ts', change: 'deleted', added: 0, removed: 3, sha256: null, size: null, by: undefined });
    assert.equal(await h.store.hashOf('src/a.ts'), undefined, 'forgotten');
    assert.deepEqual(h.tracker.stats().changes, 3);
  });

  test('CRLF, no final newline, astral characters: every change replays byte for byte', async () => {
    const replay = new DiskReplay();
    const versions = [
      'line one\r\nline two 😀\r\nline three',
      'line one\r\nline 2 😀😀\r\nline three\r\n',
      '𝄞 first\r\nline one\r\nline 2 😀😀\r\n',
      '',
      'x',
      'x\ny\r\nz\rw\u2028v',
    ];
    for (const v of versions) {
      await write({ 'f.txt': v });
      await h.pass();
      for (const e of h.take()) {
        assert.ok(e.kind === 'file.change' && e.text === undefined, 'exact changes, no snapshot');
        replay.apply(e, applyChanges);
      }
      assert.equal(replay.files.get('f.txt'), v);
      assert.equal(Buffer.from(replay.files.get('f.txt') ?? '', 'utf8').equals(await fs.readFile(join(h.workspace, 'f.txt'))), true);
    }
  });

  test('a file seen for the first time gets a snapshot (text); the next change is exact', async () => {
    await fs.writeFile(join(h.workspace, 'old.txt'), 'before capture\n');
    await h.scanner.baseline();
    await write({ 'old.txt': 'changed by a tool\n' });
    await h.pass();
    const [first] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(first.change, 'changed');
    assert.equal(first.text, 'changed by a tool\n');
    assert.equal(first.changes, undefined);
    assert.equal(first.diff, undefined);
    assert.equal(first.added + first.removed, 0);
    await write({ 'old.txt': 'changed by a tool\nagain\n' });
    await h.pass();
    const [second] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(second.changes, [{ offset: 18, length: 0, text: 'again\n' }]);
    assertValid([first, second]);
  });

  test('a forgotten (or evicted) file gets a fresh snapshot', async () => {
    await write({ 'a.txt': 'one\n' });
    await h.pass();
    await h.store.forget('a.txt');
    await write({ 'a.txt': 'two\n' });
    await h.pass();
    const [e] = h.take().slice(1) as NewEventOf<'file.change'>[];
    assert.equal(e.text, 'two\n');
  });

  test('same content rewritten: nothing; a burst of writes to one file: one change', async () => {
    const file = join(h.workspace, 'a.txt');
    await write({ 'a.txt': 'v0\n' });
    await h.pass();
    h.take();
    await fs.writeFile(file, 'v0\n');
    h.tracker.observe('changed', 'a.txt', file);
    await h.pass();
    assert.deepEqual(h.take(), []);
    for (let i = 1; i <= 10; i++) {
      await fs.writeFile(file, `v${i}\n`);
      h.tracker.observe('changed', 'a.txt', file);
      h.clock.advance(100); // within the settle window each time
    }
    await h.pass();
    const events = h.take() as NewEventOf<'file.change'>[];
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].changes, [{ offset: 0, length: 3, text: 'v10\n' }]);
  });

  test('nothing is read before the settle window passed; a stream of writes is cut after 2 s', async () => {
    const file = join(h.workspace, 'a.txt');
    await write({ 'a.txt': 'a\n' });
    await h.pass(299);
    assert.equal(h.events.length, 0);
    await h.pass(1);
    assert.equal(h.take().length, 1);
    for (let i = 0; i < 25; i++) {
      await fs.appendFile(file, `${i}\n`);
      h.tracker.observe('changed', 'a.txt', file);
      h.clock.advance(100);
      await h.tracker.whenIdle();
    }
    await h.pass();
    const events = h.take() as NewEventOf<'file.change'>[];
    assert.equal(events.length, 2, 'one change per 2 s of continuous writes (2.5 s here)');
    const replay = new DiskReplay();
    replay.files.set('a.txt', 'a\n');
    for (const e of events) replay.apply(e, applyChanges);
    assert.equal(replay.files.get('a.txt'), await fs.readFile(file, 'utf8'));
  });

  test('created and deleted within one burst (a temporary file): nothing; an unknown file deleted: deleted', async () => {
    await runNode(h.workspace, writeScript({ 'tmp.txt': 'x' }));
    h.tracker.observe('created', 'tmp.txt', join(h.workspace, 'tmp.txt'));
    await runNode(h.workspace, writeScript({ 'tmp.txt': null }));
    h.tracker.observe('deleted', 'tmp.txt', join(h.workspace, 'tmp.txt'));
    await h.pass();
    assert.deepEqual(h.take(), []);
    await fs.writeFile(join(h.workspace, 'pre.txt'), 'existed\n');
    await h.scanner.baseline();
    await write({ 'pre.txt': null });
    await h.pass();
    const [e] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(e.change, 'deleted');
    assert.equal(e.removed, 0, 'its content was never known');
  });

  test('binary files: omitted, hash and size only; unchanged binary: nothing', async () => {
    const bytes = Buffer.from([0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]);
    await fs.writeFile(join(h.workspace, 'img.png'), bytes);
    await fs.writeFile(join(h.workspace, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1: not UTF-8
    await h.report();
    await h.pass();
    const events = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(
      events.map((e) => ({ path: e.path, change: e.change, omitted: e.omitted, sha256: e.sha256, size: e.size, text: e.text, changes: e.changes })),
      [
        { path: 'img.png', change: 'created', omitted: 'binary', sha256: sha(bytes), size: 6, text: undefined, changes: undefined },
        { path: 'latin1.txt', change: 'created', omitted: 'binary', sha256: sha(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])), size: 5, text: undefined, changes: undefined },
      ],
    );
    assertValid(events);
    h.tracker.observe('changed', 'img.png', join(h.workspace, 'img.png'));
    await h.pass();
    assert.deepEqual(h.take(), []);
    assert.equal(decodeText(Buffer.from('\uFEFFbom', 'utf8')), 'bom', 'a byte-order mark is dropped');
  });

  test('too large: hashed as a stream, omitted, never read into the store', async () => {
    await h.dispose();
    h = await new DiskHarness().start({ maxBytes: 1000 });
    const big = 'x'.repeat(5000) + '\n';
    await write({ 'big.txt': big, 'small.txt': 'ok\n' });
    await h.pass();
    const events = h.take() as NewEventOf<'file.change'>[];
    const e = events.find((x) => x.path === 'big.txt');
    assert.ok(e);
    assert.deepEqual({ ...e, by: undefined }, { kind: 'file.change', path: 'big.txt', change: 'created', added: 0, removed: 0, sha256: sha(big), size: 5001, omitted: 'too-large', by: undefined });
    assert.equal(await h.store.get('big.txt'), undefined);
    assert.equal(await h.store.hashOf('big.txt'), sha(big));
    assertValid(events);
  });

  test('over the diff bounds: a snapshot with estimated counts', async () => {
    await h.dispose();
    h = await new DiskHarness().start({ diff: { maxEditLength: 5 } });
    const before = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    await write({ 'gen.txt': before });
    await h.pass();
    assert.equal(h.take().length, 1);
    const after = Array.from({ length: 50 }, (_, i) => `LINE ${i}`).join('\n');
    await write({ 'gen.txt': after });
    await h.pass();
    const [e] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(e.text, after);
    assert.equal(e.changes, undefined);
    assert.equal(e.diff, undefined);
    assert.equal(e.added, 50);
    assert.equal(e.removed, 50);
  });

  test("the editor's own save is not recorded; later tool changes diff against it", async () => {
    await write({ 'a.ts': 'v1\n' });
    await h.pass();
    h.take();
    h.tracker.noteEditorSave('a.ts', 'v1\nsaved in the editor\n');
    await fs.writeFile(join(h.workspace, 'a.ts'), 'v1\nsaved in the editor\n'); // the editor writes the file
    await h.report();
    await h.pass();
    assert.deepEqual(h.take(), [], 'the save is the editor’s: recorded as doc.save');
    await write({ 'a.ts': 'v1\nsaved in the editor\nand a tool\n' });
    await h.pass();
    const [e] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(e.changes, [{ offset: 23, length: 0, text: 'and a tool\n' }]);
  });

  test('a Save All of more files than the bulk threshold records nothing: each report is the save, read on its own, not summed up in a file.bulk', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `saved/f${String(i).padStart(3, '0')}.ts`);
    await write(Object.fromEntries(names.map((n) => [n, 'old\n'])));
    h.clock.advance(1_500); // past the late window of that bulk
    await h.pass();
    h.take();
    for (const n of names) h.tracker.noteEditorSave(n, `saved ${n}\n`);
    await Promise.all(names.map((n) => fs.writeFile(join(h.workspace, n), `saved ${n}\n`))); // the editor writes them
    assert.equal((await h.report()).length, names.length);
    await h.pass();
    assert.deepEqual(h.take(), [], 'the saves are the editor’s: recorded as doc.save');
    assert.equal(h.tracker.stats().unchanged, names.length, 'each file was read and found as saved');
    await write({ [names[0]]: 'and then a tool\n' }); // the save was taken: this report is a tool's
    await h.pass();
    assert.deepEqual(
      h.take().map((e) => e.kind === 'file.change' && e.changes),
      [[{ offset: 0, length: `saved ${names[0]}\n`.length, text: 'and then a tool\n' }]],
    );
  });

  test('a Save All whose watcher reports come before the editor tells what it wrote (as VS Code does): the saves wait for it, nothing recorded', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `early/f${String(i).padStart(3, '0')}.ts`);
    await write(Object.fromEntries(names.map((n) => [n, 'old\n'])));
    h.clock.advance(1_500);
    await h.pass();
    h.take();
    for (const n of names) h.tracker.expectSave(n); // will-save
    await Promise.all(names.map((n) => fs.writeFile(join(h.workspace, n), `saved ${n}\n`))); // the editor writes them
    await h.report(); // the watcher first
    await h.pass(); // well past the settle window: the saves wait for what the editor wrote
    assert.deepEqual(h.take(), [], 'nothing read yet');
    assert.equal(h.tracker.stats().unchanged, 0);
    for (const n of names) h.tracker.noteEditorSave(n, `saved ${n}\n`); // saved events, a second later
    await h.pass();
    assert.deepEqual(h.take(), []);
    assert.equal(h.tracker.stats().unchanged, names.length, 'each file was read and found as saved');
    assert.equal(h.tracker.stats().bulks, 1, 'only the bulk of the first write');
  });

  test('a save announced but never told (it failed) holds its report at most ten seconds, then the file is read and recorded', async () => {
    await write({ 'c.ts': 'v1\n' });
    await h.pass();
    h.take();
    h.tracker.expectSave('c.ts');
    await write({ 'c.ts': 'v1\nwritten by a tool\n' });
    await h.pass(5_000);
    assert.deepEqual(h.take(), [], 'still waiting for the editor');
    await h.pass(6_000);
    const [e] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(e.changes, [{ offset: 3, length: 0, text: 'written by a tool\n' }]);
  });

  test('a tool writing a file just after the editor saved it is recorded, against what the editor saved', async () => {
    await write({ 'b.ts': 'v1\n' });
    await h.pass();
    h.take();
    h.tracker.noteEditorSave('b.ts', 'v1\nsaved\n');
    await fs.writeFile(join(h.workspace, 'b.ts'), 'v1\nsaved\nformatted by a tool\n'); // the save and the tool's write in one report
    await h.report();
    await h.pass();
    const [e] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(e.changes, [{ offset: 9, length: 0, text: 'formatted by a tool\n' }]);
  });

  test('a file open in the editor: editor: true with diff, counts and attribution, no changes and no text', async () => {
    await h.dispose();
    const open = new Set(['open.ts']);
    h = await new DiskHarness().start({ isOpenInEditor: (p) => open.has(p) });
    h.tracker.noteEditorOpen('open.ts', 'a\n'); // opened unmodified: its text is what is on disk
    await fs.writeFile(join(h.workspace, 'open.ts'), 'a\n');
    await h.scanner.baseline();
    h.attribution.commandStarted('c1', { commandLine: 'npx prettier -w open.ts', terminal: 'bash', startTs: h.clock.now() });
    await write({ 'open.ts': 'a\nb\n', 'unseen-open.ts': 'x\n' });
    open.add('unseen-open.ts');
    await h.pass();
    const events = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(events.map((e) => ({ ...e, diff: e.diff === undefined ? undefined : 'some' })), [
      { kind: 'file.change', path: 'open.ts', change: 'changed', diff: 'some', added: 1, removed: 0, sha256: sha('a\nb\n'), size: 4, editor: true, by: { by: 'terminal', command: 'npx prettier -w open.ts', terminal: 'bash', program: 'npx', confidence: 'high' } },
      { kind: 'file.change', path: 'unseen-open.ts', change: 'created', diff: 'some', added: 1, removed: 0, sha256: sha('x\n'), size: 2, editor: true, by: { by: 'terminal', command: 'npx prettier -w open.ts', terminal: 'bash', program: 'npx', confidence: 'high' } },
    ]);
    assertValid(events);
    open.clear();
    await write({ 'open.ts': 'a\nb\nc\n' });
    await h.pass();
    const [next] = h.take() as NewEventOf<'file.change'>[];
    assert.deepEqual(next.changes, [{ offset: 4, length: 0, text: 'c\n' }], 'the store followed the editor’s content');
  });

  test('a secret in the new or the old text: text instead of changes', async () => {
    await h.dispose();
    const scans: string[] = [];
    h = await new DiskHarness().start({
      containsSecret: (t) => {
        scans.push(t);
        return t.includes('AKIA');
      },
    });
    await write({ 'cfg.ts': 'const region = "eu";\n' });
    await h.pass();
    await write({ 'cfg.ts': 'const region = "eu";\nconst key = "AKIAABCDEFGHIJKLMNOP";\n' });
    await h.pass();
    await write({ 'cfg.ts': 'const region = "eu";\n' });
    await h.pass();
    await write({ 'cfg.ts': 'const region = "us";\n' });
    await h.pass();
    const [created, added, removed, clean] = h.take() as NewEventOf<'file.change'>[];
    assert.ok(created.changes && created.text === undefined);
    assert.equal(added.text, 'const region = "eu";\nconst key = "AKIAABCDEFGHIJKLMNOP";\n', 'secret in the new text');
    assert.equal(added.changes, undefined);
    assert.equal(removed.text, 'const region = "eu";\n', 'secret in the old text');
    assert.equal(removed.changes, undefined);
    assert.ok(clean.changes && clean.text === undefined);
    assert.equal(scans.length, 4, 'each text scanned once: the old text’s answer is remembered');
  });

  test('changes during a terminal command: attributed to it; filesOf lists them after the grace window', async () => {
    const t0 = h.clock.now();
    h.attribution.commandStarted('k1', { commandLine: 'claude -p "add tests"', terminal: 'Claude', startTs: t0 });
    await write({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\nb\n' });
    h.clock.advance(100);
    await write({ 'src/a.ts': 'a\nA\n' });
    h.clock.advance(50);
    h.attribution.commandEnded('k1', h.clock.now());
    const files = h.tracker.filesOf('k1');
    let resolved = false;
    void files.then(() => (resolved = true));
    await h.pass(300);
    assert.equal(resolved, false, 'the grace window has not passed');
    h.clock.advance(1500);
    const list = await files;
    assert.deepEqual(list, {
      files: [
        { path: 'src/a.ts', change: 'created', added: 2, removed: 0 },
        { path: 'src/b.ts', change: 'created', added: 2, removed: 0 },
      ],
      count: 2,
    });
    const by = h.changes().map((e) => e.by);
    assert.ok(by.length > 0);
    for (const b of by) assert.deepEqual(b, { by: 'terminal', command: 'claude -p "add tests"', terminal: 'Claude', program: 'claude', confidence: 'high' });
    assert.deepEqual(await h.tracker.filesOf('never-started'), { files: [], count: 0 });
  });

  test('a change after the grace window is not the command’s', async () => {
    h.attribution.commandStarted('k', { commandLine: 'node gen.js', terminal: 't', startTs: h.clock.now() });
    h.attribution.commandEnded('k', h.clock.now() + 10);
    h.clock.advance(1600);
    await write({ 'late.txt': 'x\n' });
    await h.pass();
    assert.deepEqual(h.changes()[0].by, { by: 'unknown', confidence: 'low' });
    h.clock.advance(10);
    assert.deepEqual(await h.tracker.filesOf('k'), { files: [], count: 0 });
  });

  test('1,000 files by one command: one file.bulk, no per-file events, paths forgotten, the command lists 200 of 1,000', async () => {
    const existing = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`gen/f${String(i).padStart(4, '0')}.txt`, `old ${i}\n`]));
    await write(existing);
    await h.pass();
    assert.equal(h.take().length, 50);
    h.attribution.commandStarted('gen', { commandLine: 'node scripts/generate.js', terminal: 'bash', startTs: h.clock.now() });
    const files: Record<string, string | null> = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`gen/f${String(i).padStart(4, '0')}.txt`, `new ${i}\n`]));
    files['gen/f0049.txt'] = null;
    await write(files);
    h.attribution.commandEnded('gen', h.clock.now());
    const listed = h.tracker.filesOf('gen');
    h.clock.advance(1600);
    const list = await listed;
    const events = h.take();
    assert.equal(events.length, 1, 'one event in all');
    const bulk = events[0] as NewEventOf<'file.bulk'>;
    assert.equal(bulk.kind, 'file.bulk');
    assert.equal(bulk.count, 1000);
    assert.equal(bulk.created, 950);
    assert.equal(bulk.changed, 49);
    assert.equal(bulk.deleted, 1);
    assert.equal(bulk.paths.length, 100);
    assert.deepEqual(bulk.paths, [...bulk.paths].sort());
    assert.equal(bulk.paths[0], 'gen/f0000.txt');
    assert.equal(bulk.truncated, true);
    assert.equal(bulk.hashes[0], sha('new 0\n'), 'small files are hashed');
    assert.equal(bulk.hashes[bulk.paths.indexOf('gen/f0049.txt')], null, 'deleted');
    assert.deepEqual(bulk.by, { by: 'terminal', command: 'node scripts/generate.js', terminal: 'bash', program: 'node', confidence: 'high' });
    assertValid(events);
    assert.equal(list.count, 1000);
    assert.equal(list.files.length, 200);
    assert.deepEqual(list.files[0], { path: 'gen/f0000.txt', change: 'changed', added: 0, removed: 0 });
    assert.equal(await h.store.hashOf('gen/f0001.txt'), undefined, 'forgotten: a fresh snapshot next time');
    await write({ 'gen/f0001.txt': 'edited\n' });
    await h.pass();
    const [after] = h.take() as NewEventOf<'file.change'>[];
    assert.equal(after.text, 'edited\n');
  });

  test('a bulk forgets its paths in the store together, before an editor save that came after them (the save is not undone)', async () => {
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`bulk/f${String(i).padStart(3, '0')}.txt`, `v ${i}\n`]));
    await write(files);
    await h.pass();
    h.take();
    await h.store.put('bulk/f001.txt', Buffer.from('v 1\n'));
    await h.store.put('bulk/f002.txt', Buffer.from('v 2\n'));
    for (const path of Object.keys(files)) h.tracker.observe('changed', path, join(h.workspace, path));
    h.tracker.noteEditorSave('bulk/f002.txt', 'saved in the editor\n'); // same turn as the watcher report
    await h.tracker.settle();
    assert.equal(await h.store.hashOf('bulk/f001.txt'), undefined, 'forgotten by the bulk');
    assert.equal(await h.store.hashOf('bulk/f002.txt'), sha('saved in the editor\n'), 'the later save stands');
  });

  test('a bulk change is summed up once its source is quiet for the settle window; its late chunks within a second are summed up too, later changes read one by one', async () => {
    const many = (from: number, n: number, v: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`co/f${String(from + i).padStart(4, '0')}.txt`, `${v} ${from + i}\n`]));
    await write(many(0, 300, 'a'));
    h.clock.advance(300); // the settle window, not a second
    await h.tracker.whenIdle();
    assert.deepEqual(h.take().map((e) => e.kind), ['file.bulk']);
    await write(many(300, 20, 'late')); // a late chunk of the same change (same source: unknown)
    await h.pass(300);
    const late = h.take();
    assert.deepEqual(late.map((e) => e.kind), ['file.bulk'], 'the late chunk is a summary, not 20 reads');
    assert.equal((late[0] as NewEventOf<'file.bulk'>).count, 20);
    h.clock.advance(1_500); // well after the change
    await write({ 'co/f0001.txt': 'edited later\n' });
    await h.pass(300);
    assert.deepEqual(h.take().map((e) => e.kind), ['file.change']);
  });

  test('a command that pauses between bursts still gives one summary: the threshold is per command, and its bulk stays open while it runs', async () => {
    h.attribution.commandStarted('slow', { commandLine: 'node slow-generator.js', terminal: 'bash', startTs: h.clock.now() });
    const burst = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`slow/f${String(from + i).padStart(4, '0')}.txt`, `v ${from + i}\n`]));
    await write(burst(0, 250));
    h.clock.advance(1000); // quiet longer than the settle window while the command runs
    await write(burst(250, 100));
    h.clock.advance(1000);
    await write(burst(350, 50));
    h.attribution.commandEnded('slow', h.clock.now());
    const listed = h.tracker.filesOf('slow');
    h.clock.advance(1600);
    const list = await listed;
    const events = h.take();
    assert.deepEqual(events.map((e) => e.kind), ['file.bulk'], 'one summary, no per-file events');
    assert.equal((events[0] as NewEventOf<'file.bulk'>).count, 400);
    assert.equal(list.count, 400);
  });

  test('5,000 files of one batch are read one per turn of the event loop (raised bulk threshold), and summarised as bulk otherwise', async () => {
    await h.dispose();
    h = await new DiskHarness().start({ bulkThreshold: 10_000 });
    const files = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`many/${i}.txt`, `${i}\n`]));
    await write(files);
    // a probe that runs between files when the tracker yields
    let turns = 0;
    let probing = true;
    const probe = (): void => {
      turns++;
      if (probing) setImmediate(probe);
    };
    setImmediate(probe);
    const turnAtEmit: number[] = [];
    const original = h.events.push.bind(h.events);
    h.events.push = (...items) => {
      turnAtEmit.push(turns);
      return original(...items);
    };
    await h.pass();
    probing = false;
    assert.equal(h.changes().length, 5000);
    assert.equal(new Set(turnAtEmit).size, 5000, 'every file emitted in a turn of its own: other work ran in between');

    await h.dispose();
    h = await new DiskHarness().start();
    await write(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`many/${i}.txt`, `${i}\n`])));
    await h.pass();
    const events = h.take();
    assert.equal(events.length, 1);
    assert.equal((events[0] as NewEventOf<'file.bulk'>).count, 5000);
    assert.equal(h.tracker.stats().bulkFiles, 5000);
  });

  test('real watcher events (fs.watch) drive the tracker: duplicates and bursts give one exact change per file', async () => {
    const dir = join(h.workspace, 'watched');
    await fs.mkdir(dir);
    const known = new Set<string>();
    const seen = new Set<string>();
    let expect: (() => void) | undefined;
    const watcher = watch(dir, (_type, name) => {
      if (!name) return;
      const rel = `watched/${name}`;
      const abs = join(dir, name);
      void fs.stat(abs).then(
        () => {
          h.tracker.observe(known.has(rel) ? 'changed' : 'created', rel, abs);
          known.add(rel);
          seen.add(rel);
          if (seen.size === 2) expect?.();
        },
        () => h.tracker.observe('deleted', rel, abs),
      );
    });
    try {
      const both = new Promise<void>((resolve) => (expect = resolve));
      await runNode(dir, `const fs = require('fs'); for (let i = 0; i < 5; i++) { fs.writeFileSync('x.txt', 'x' + i + '\\n'); fs.appendFileSync('y.txt', 'y' + i + '\\n'); }`);
      await both;
      await h.tracker.settle();
    } finally {
      watcher.close();
    }
    const replay = new DiskReplay();
    for (const e of h.take()) replay.apply(e, applyChanges);
    assert.equal(replay.files.get('watched/x.txt'), 'x4\n');
    assert.equal(replay.files.get('watched/y.txt'), 'y0\ny1\ny2\ny3\ny4\n');
  });

  test('settle closes open batches at once; dispose stops everything and ends waits', async () => {
    await write({ 'a.txt': 'a\n' });
    await h.tracker.settle();
    assert.equal(h.take().length, 1);
    h.attribution.commandStarted('c', { commandLine: 'x', terminal: 't', startTs: h.clock.now() });
    h.attribution.commandEnded('c', h.clock.now());
    const files = h.tracker.filesOf('c');
    await write({ 'b.txt': 'b\n' });
    await Promise.resolve(); // filesOf is waiting for the grace window now
    assert.ok(h.clock.pending > 0);
    h.tracker.dispose();
    assert.deepEqual(await files, { files: [], count: 0 });
    assert.equal(h.clock.pending, 0, 'no timer left');
    h.tracker.observe('changed', 'b.txt', join(h.workspace, 'b.txt'));
    h.clock.advance(5000);
    await h.tracker.whenIdle();
    assert.deepEqual(h.take(), []);
    assert.equal(h.clock.pending, 0, 'no timer left');
  });
});
