import * as assert from 'node:assert/strict';
import type { Author } from '../../src/authorship/author';
import { AuthorshipTracker } from '../../src/authorship/tracker';
import type { ChangeAttribution } from '../../src/trace/events';
import { AuthorshipEditor } from '../support/authorshipEditor';

const TERMINAL: ChangeAttribution = { by: 'terminal', command: 'node gen.js', terminal: 'bash', program: 'node', confidence: 'high' };
const CLAUDE: ChangeAttribution = { by: 'terminal', command: 'claude -p "add a test"', terminal: 'bash', program: 'claude', confidence: 'high' };
const GIT: ChangeAttribution = { by: 'git', operation: 'checkout', confidence: 'high' };

/** The authors of the lines, and the lines' text, side by side (failures read well). */
function pairs(e: AuthorshipEditor, path: string): [string, Author | undefined][] {
  const authors = e.lines(path) ?? [];
  return e
    .text(path)
    .split('\n')
    .map((line, i): [string, Author | undefined] => [line, authors[i]]);
}

suite('authorship tracker: who wrote each line', () => {
  test('text there when the document opened is unknown; typed lines are typed', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', 'const a = 1;\n');
    e.type('a.ts', 13, 'const b = 2;\n');
    assert.deepEqual(pairs(e, 'a.ts'), [
      ['const a = 1;', 'unknown'],
      ['const b = 2;', 'typed'],
      ['', 'typed'],
    ]);
    assert.deepEqual(e.tracker.runsOf('a.ts'), [
      { origin: 'unknown', length: 13 },
      { origin: 'typed', length: 13 },
    ]);
  });

  test('an accepted inline completion is a completion; so are a completion-list suggestion and a snippet', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', '');
    e.type('a.ts', 0, 'function add(a, b) {\n');
    e.append('a.ts', '  return a + b;\n}\n', 'completion');
    e.type('a.ts', e.text('a.ts').length, 'con');
    e.replace('a.ts', 'con', 'console', 'suggestion');
    e.append('a.ts', '.log(1);\n', 'typing');
    e.append('a.ts', 'for (const item of items) {\n\t\n}\n', 'snippet');
    assert.deepEqual(pairs(e, 'a.ts'), [
      ['function add(a, b) {', 'typed'],
      ['  return a + b;', 'completion'],
      ['}', 'completion'],
      ['console.log(1);', 'typed'], // 7 suggested vs 8 typed non-whitespace characters
      ['for (const item of items) {', 'completion'],
      ['\t', 'completion'],
      ['}', 'completion'],
      ['', 'completion'],
    ]);
    assert.deepEqual(
      e.tracker.lineAuthorship('a.ts')?.map((l) => l.contribution),
      ['human', 'ai', 'ai', 'human', 'human', 'human', 'human', 'human'],
      'inline completions are AI; suggestions and snippets are the engineer choosing',
    );
  });

  test('a pasted block is pasted, the line it was pasted into keeps its majority', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', '');
    e.type('a.ts', 0, 'const list = [];\n');
    e.append('a.ts', 'list.push(1);\nlist.push(2);\nlist.push(3);\n', 'paste');
    e.insert('a.ts', e.text('a.ts').indexOf(']'), '0', 'paste');
    assert.deepEqual(pairs(e, 'a.ts'), [
      ['const list = [0];', 'typed'],
      ['list.push(1);', 'pasted'],
      ['list.push(2);', 'pasted'],
      ['list.push(3);', 'pasted'],
      ['', 'pasted'],
    ]);
  });

  test('a formatter re-indenting typed code leaves it typed', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', '');
    e.type('a.ts', 0, 'if (ok) {\nrun();\nstop()\n}\n');
    const text = e.text('a.ts');
    // Format Document: minimal edits, applied end to start as VS Code reports them.
    e.edit(
      'a.ts',
      [
        { offset: text.indexOf('stop()') + 6, length: 0, text: ';' },
        { offset: text.indexOf('stop()'), length: 0, text: '  ' },
        { offset: text.indexOf('run()'), length: 0, text: '  ' },
      ],
      'format',
    );
    assert.equal(e.text('a.ts'), 'if (ok) {\n  run();\n  stop();\n}\n');
    assert.deepEqual(pairs(e, 'a.ts'), [
      ['if (ok) {', 'typed'],
      ['  run();', 'typed'],
      ['  stop();', 'typed'], // 6 typed vs 1 formatter non-whitespace character
      ['}', 'typed'],
      ['', 'typed'],
    ]);
  });

  test('lines a formatter adds are the formatter’s', () => {
    const e = new AuthorshipEditor();
    e.open('a.go', '');
    e.type('a.go', 0, 'package main\n');
    e.append('a.go', '\nimport "fmt"\n', 'format');
    assert.deepEqual(pairs(e, 'a.go'), [
      ['package main', 'typed'],
      ['', 'formatter'], // an empty line: the line break before it
      ['import "fmt"', 'formatter'],
      ['', 'formatter'],
    ]);
  });

  test('a completion edited by hand stays a completion until the typed characters are the majority', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', '');
    e.append('a.ts', 'const total = price * count;\n', 'completion'); // 24 non-whitespace characters
    e.replace('a.ts', 'count', 'qty', 'typing'); // 3 typed, 19 completion
    assert.deepEqual(e.lines('a.ts')?.[0], 'completion');
    assert.equal(e.tracker.lineAuthorship('a.ts')?.[0].contribution, 'mixed', 'human-edited AI output');
    e.replace('a.ts', 'total = price', 'sumOfAllTheThings = unitPriceInCents', 'typing'); // 3 + 34 typed vs 4 ("const", ";" less "total = price")
    assert.deepEqual(pairs(e, 'a.ts')[0], ['const sumOfAllTheThings = unitPriceInCents * qty;', 'typed']);
    assert.equal(e.tracker.lineAuthorship('a.ts')?.[0].contribution, 'mixed');
  });

  test('a tie between typed and completion characters goes to the completion', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', '');
    e.append('a.ts', 'abc', 'completion');
    e.append('a.ts', 'xyz', 'typing');
    assert.deepEqual(e.lines('a.ts'), ['completion']);
  });

  test('an assistant edit is the assistant’s; refactorings are refactor; programmatic edits unknown', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', 'function f() {}\n');
    e.append('a.ts', '/** Adds. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n', 'assistant');
    e.replace('a.ts', 'function f()', 'function renamedFunction()', 'refactor');
    e.append('a.ts', 'x();\n', 'programmatic');
    assert.deepEqual(pairs(e, 'a.ts'), [
      ['function renamedFunction() {}', 'refactor'], // unknown text set aside: the refactoring wrote into the line
      ['/** Adds. */', 'assistant'],
      ['export function add(a: number, b: number): number {', 'assistant'],
      ['  return a + b;', 'assistant'],
      ['}', 'assistant'],
      ['x();', 'unknown'],
      ['', 'unknown'],
    ]);
  });

  test('a tool creating a file on disk wrote all of it; changing it writes the new lines', () => {
    const e = new AuthorshipEditor();
    e.diskSnapshot('gen/out.ts', 'export const a = 1;\nexport const b = 2;\n', 'created', TERMINAL);
    assert.deepEqual(e.lines('gen/out.ts'), ['tool', 'tool', 'tool']);
    e.open('gen/out.ts', e.text('gen/out.ts')); // opening it again with the same text keeps the origins
    e.type('gen/out.ts', 0, '// edited\n');
    e.feed(e.b.close('gen/out.ts'));
    e.diskEdit('gen/out.ts', [{ offset: e.text('gen/out.ts').length, length: 0, text: 'export const c = 3;\n' }], CLAUDE);
    assert.deepEqual(pairs(e, 'gen/out.ts'), [
      ['// edited', 'typed'],
      ['export const a = 1;', 'tool'],
      ['export const b = 2;', 'tool'],
      ['export const c = 3;', 'tool'],
      ['', 'tool'],
    ]);
    assert.deepEqual(
      e.tracker.lineAuthorship('gen/out.ts')?.map((l) => l.contribution),
      ['human', 'unknown', 'unknown', 'ai', 'ai'],
      'an agent CLI (claude) is a tool whose text is AI',
    );
  });

  test('a snapshot of a file seen for the first time is unknown; a snapshot of a known file keeps unchanged lines', () => {
    const e = new AuthorshipEditor();
    e.diskSnapshot('b.ts', 'one\ntwo\n', 'changed', TERMINAL);
    assert.deepEqual(e.lines('b.ts'), ['unknown', 'unknown', 'unknown']);
    e.open('b.ts', 'one\ntwo\n');
    e.type('b.ts', 8, 'three\n');
    e.diskSnapshot('b.ts', 'zero\none\ntwo\nthree\n', 'changed', TERMINAL);
    assert.deepEqual(e.lines('b.ts'), ['tool', 'unknown', 'unknown', 'typed', 'typed']);
  });

  test('a git checkout brings back code of unknown authorship, on disk and in an open editor', () => {
    const e = new AuthorshipEditor();
    e.open('c.ts', '');
    e.type('c.ts', 0, 'mine();\n');
    e.feed(e.b.close('c.ts'));
    e.diskEdit('c.ts', [{ offset: 0, length: 0, text: 'theirs();\n' }], GIT);
    assert.deepEqual(e.lines('c.ts'), ['unknown', 'typed', 'typed']);

    // Open file: VS Code reloads it (doc.edit `external`); the file.change with editor: true says git did it.
    e.open('d.ts', 'x\n');
    e.insert('d.ts', 2, 'fromBranch();\n', 'external');
    assert.deepEqual(e.lines('d.ts'), ['unknown', 'tool', 'tool'], 'a reload alone counts as a tool');
    e.diskReloadNotice('d.ts', GIT);
    assert.deepEqual(e.lines('d.ts'), ['unknown', 'unknown', 'unknown']);

    // The notice may come first; it then applies to the next reload.
    e.diskReloadNotice('d.ts', CLAUDE);
    e.insert('d.ts', 0, 'agentWrote();\n', 'external');
    assert.deepEqual(e.lines('d.ts'), ['tool', 'unknown', 'unknown', 'unknown']);
    assert.equal(e.tracker.lineAuthorship('d.ts')?.[0].contribution, 'ai');

    // …but not to a reload after the engineer edited the file.
    e.diskReloadNotice('d.ts', GIT);
    e.insert('d.ts', 0, 'typed();\n', 'typing');
    e.insert('d.ts', 0, 'reloaded();\n', 'external');
    assert.deepEqual(e.lines('d.ts')?.slice(0, 2), ['tool', 'typed']);
  });

  test('undo and redo restore the origin the text had; unknown removals count as typed', () => {
    const e = new AuthorshipEditor();
    e.open('u.ts', '');
    e.type('u.ts', 0, 'start();\n');
    const at = e.text('u.ts').length;
    e.insert('u.ts', at, 'const answer = compute(42);\n', 'completion');
    e.edit('u.ts', [{ offset: at, length: 28, text: '' }], 'undo');
    assert.deepEqual(e.lines('u.ts'), ['typed', 'typed']);
    e.edit('u.ts', [{ offset: at, length: 0, text: 'const answer = compute(42);\n' }], 'redo');
    assert.deepEqual(e.lines('u.ts'), ['typed', 'completion', 'completion']);

    // Deleting a pasted line by hand, then undoing the deletion, gives back the paste.
    e.append('u.ts', 'pasted(1);\n', 'paste');
    const pastedAt = e.text('u.ts').indexOf('pasted');
    e.edit('u.ts', [{ offset: pastedAt, length: 11, text: '' }], 'typing');
    e.edit('u.ts', [{ offset: pastedAt, length: 0, text: 'pasted(1);\n' }], 'undo');
    assert.deepEqual(e.lines('u.ts'), ['typed', 'completion', 'pasted', 'pasted']);

    // Undo of a suggestion that replaced a typed prefix: the typed prefix comes back typed.
    e.type('u.ts', 0, 'con');
    e.replace('u.ts', 'con', 'console', 'suggestion');
    e.replace('u.ts', 'console', 'con', 'undo');
    assert.deepEqual(e.tracker.runsOf('u.ts')?.[0], { origin: 'typed', length: 3 + 'start();\n'.length });

    // Undo that puts back text whose removal the trace never saw: typed.
    e.insert('u.ts', 0, 'restored();\n', 'undo');
    assert.deepEqual(e.lines('u.ts')?.[0], 'typed');
  });

  test('rename moves the authorship, delete forgets it, close keeps it', () => {
    const e = new AuthorshipEditor();
    e.open('src/a.ts', '');
    e.type('src/a.ts', 0, 'a;\n');
    e.open('src/b.ts', 'b;\n');
    e.feed(e.b.close('src/a.ts'));
    assert.deepEqual(e.lines('src/a.ts'), ['typed', 'typed']);
    e.feed(e.b.rename('src', 'lib'));
    assert.equal(e.lines('src/a.ts'), undefined);
    assert.deepEqual(e.lines('lib/a.ts'), ['typed', 'typed']);
    assert.deepEqual(e.lines('lib/b.ts'), ['unknown', 'unknown']);
    e.feed(e.b.remove('lib/a.ts'));
    assert.equal(e.lines('lib/a.ts'), undefined);
    assert.deepEqual(e.tracker.paths(), ['lib/b.ts']);
  });

  test('a document that is not replayable, an edit that does not fit, a binary change: forgotten', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', 'abc');
    e.feed(e.b.open('a.ts', 'x'.repeat(10), 2, { replayable: false }));
    assert.equal(e.lines('a.ts'), undefined);
    e.open('b.ts', 'abc');
    e.feed(e.b.edit('b.ts', 2, [{ offset: 2, length: 5, text: 'x' }]));
    assert.equal(e.tracker.has('b.ts'), false);
    e.open('c.bin', 'abc');
    e.feed(e.b.stamp({ kind: 'file.change', path: 'c.bin', change: 'changed', added: 0, removed: 0, sha256: 'f'.repeat(64), size: 9, omitted: 'binary', by: TERMINAL }));
    assert.equal(e.tracker.has('c.bin'), false);
  });

  test('reopening a document changed while closed keeps the unchanged lines’ authors', () => {
    const e = new AuthorshipEditor();
    e.open('a.ts', 'old();\n');
    e.type('a.ts', 7, 'typed();\n');
    e.feed(e.b.close('a.ts'));
    e.open('a.ts', 'old();\nchangedElsewhere();\ntyped();\n');
    assert.deepEqual(e.lines('a.ts'), ['unknown', 'unknown', 'typed', 'typed']);
  });

  test('memory is bounded: the least recently used documents are forgotten first', () => {
    const e = new AuthorshipEditor({ maxCharacters: 25 });
    e.open('a.ts', '0123456789');
    e.open('b.ts', '0123456789');
    e.type('a.ts', 0, 'x'); // a.ts is now the most recently used
    e.open('c.ts', '0123456789');
    assert.deepEqual(e.tracker.paths(), ['a.ts', 'c.ts']);
    assert.equal(e.tracker.characters, 21);
    e.open('huge.ts', 'y'.repeat(26));
    assert.deepEqual(e.tracker.paths(), [], 'a document over the bound is not kept either');
    assert.equal(e.tracker.characters, 0);

    const few = new AuthorshipEditor({ maxDocuments: 2 });
    few.open('a.ts', '');
    few.open('b.ts', '');
    few.open('c.ts', '');
    assert.deepEqual(few.tracker.paths(), ['b.ts', 'c.ts']);
  });

  test('a malformed event does not throw', () => {
    const tracker = new AuthorshipTracker();
    const e = new AuthorshipEditor();
    tracker.apply(e.b.open('a.ts', 'abc'));
    tracker.apply({ ...e.b.edit('a.ts', 2, []), changes: 'nope' } as unknown as Parameters<AuthorshipTracker['apply']>[0]);
    assert.equal(tracker.has('a.ts'), false);
  });
});
