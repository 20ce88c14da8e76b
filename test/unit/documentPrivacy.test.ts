import * as assert from 'node:assert/strict';
import { DocumentPrivacy, type DocumentPrivacyOptions, type ReleaseResult, type Scan } from '../../src/privacy/documents';
import { Redactor, placeholder } from '../../src/privacy/redact';
import { redactSpans } from '../../src/privacy/secretSpans';
import { applyChanges } from '../../src/replay/apply';
import type { ContentChange, EditCause, NewEventOf } from '../../src/trace/events';
import { sha256 } from '../../src/trace/identity';

const AWS = 'AKIAZ7Q3R5T2W9X4Y6V8';
const GH = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const AWS_PH = placeholder('aws-access-key');
const GH_PH = placeholder('github-token');

/** A simple scanner: AWS access keys and GitHub tokens, no boundaries. */
const simpleScan: Scan = (text) => {
  const out: { rule: string; start: number; end: number }[] = [];
  for (const [rule, re] of [
    ['aws-access-key', /AKIA[A-Z0-9]{16}/g],
    ['github-token', /ghp_[A-Za-z0-9]{36}/g],
  ] as const) {
    for (const m of text.matchAll(re)) {
      out.push({ rule, start: m.index, end: m.index + m[0].length });
    }
  }
  return out.sort((a, b) => a.start - b.start);
};

const redactor = new Redactor();
const realScan: Scan = (text) => redactor.scan(text);

/**
 * Drives a DocumentPrivacy like the privacy stage would and replays what it writes: the
 * model keeps each document's real text, the trace side the view rebuilt from the written
 * events only.
 */
class Harness {
  readonly privacy: DocumentPrivacy;
  readonly real = new Map<string, string>();
  readonly replayed = new Map<string, string>();
  readonly written: (NewEventOf<'doc.open'> | NewEventOf<'doc.edit'>)[] = [];
  private version = new Map<string, number>();
  private clock = 1000;

  constructor(scan: Scan = simpleScan, options?: DocumentPrivacyOptions) {
    this.privacy = new DocumentPrivacy(scan, options);
  }

  open(path: string, text: string): ReturnType<DocumentPrivacy['open']> {
    this.version.set(path, 1);
    const result = this.privacy.open({ kind: 'doc.open', path, languageId: 'plaintext', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: sha256(text) });
    this.real.set(path, text);
    this.replayed.set(path, result.event.text ?? '');
    this.written.push(result.event);
    return result;
  }

  /** One doc.edit with these changes (applied in order, as VS Code sends them). */
  edit(path: string, changes: ContentChange[], cause: EditCause = 'typing'): boolean {
    const version = (this.version.get(path) ?? 0) + 1;
    this.version.set(path, version);
    this.real.set(path, applyChanges(this.real.get(path) ?? '', changes));
    return this.privacy.hold({ kind: 'doc.edit', path, version, changes, cause }, ++this.clock);
  }

  /** Types `text` at `offset`, one edit per character. */
  type(path: string, offset: number, text: string): void {
    for (let i = 0; i < text.length; i++) {
      this.edit(path, [{ offset: offset + i, length: 0, text: text[i] }]);
    }
  }

  release(path?: string): ReleaseResult {
    const result = this.privacy.release(path);
    for (const { event } of result.events) {
      const before = this.replayed.get(event.path);
      if (before !== undefined) {
        this.replayed.set(event.path, applyChanges(before, event.changes));
      }
      this.written.push(event);
    }
    return result;
  }

  get lastTs(): number {
    return this.clock;
  }

  /** The trace replays to the view of the real text, and the view is the real text redacted. */
  check(path: string): string {
    const state = this.privacy.inspect(path);
    assert.ok(state, `state of ${path}`);
    assert.equal(state.real, this.real.get(path), 'real text tracked');
    assert.equal(state.view, redactSpans(state.real, state.spans));
    assert.equal(this.replayed.get(path), state.view, 'trace replays to the view');
    return state.view;
  }

  /** Everything written so far, as one string (to search for secrets). */
  writtenText(): string {
    return this.written.map((e) => (e.kind === 'doc.open' ? (e.text ?? '') : e.changes.map((c) => c.text).join('\u0000'))).join('\u0001');
  }
}

suite('DocumentPrivacy', () => {
  test('redacts a secret in the snapshot; length and sha256 describe the view', () => {
    const h = new Harness();
    const text = `const key = "${AWS}";\n`;
    const { event, redactions } = h.open('a.ts', text);
    const view = `const key = "${AWS_PH}";\n`;
    assert.equal(event.text, view);
    assert.equal(event.length, view.length);
    assert.equal(event.sha256, sha256(view));
    assert.deepEqual(redactions, [{ rule: 'aws-access-key', path: 'a.ts' }]);
    assert.deepEqual(h.privacy.inspect('a.ts')?.spans, [{ rule: 'aws-access-key', start: 13, end: 33 }]);
    h.check('a.ts');
  });

  test('passes a snapshot without secrets through unchanged', () => {
    const h = new Harness();
    const { event, redactions } = h.open('a.ts', 'nothing here\n');
    assert.equal(event.text, 'nothing here\n');
    assert.equal(event.sha256, sha256('nothing here\n'));
    assert.deepEqual(redactions, []);
  });

  test('a non-replayable snapshot passes through and its edits are released without state', () => {
    const h = new Harness();
    const open: NewEventOf<'doc.open'> = { kind: 'doc.open', path: 'big.log', languageId: 'log', eol: '\n', version: 1, replayable: false, length: 9_000_000, sha256: 'x', omitted: 'too-large' };
    assert.equal(h.privacy.open(open).event, open);
    assert.equal(h.privacy.inspect('big.log'), undefined);
    const plain: NewEventOf<'doc.edit'> = { kind: 'doc.edit', path: 'big.log', version: 2, changes: [{ offset: 5, length: 0, text: 'x' }], cause: 'typing' };
    h.privacy.hold(plain, 1);
    h.privacy.hold({ kind: 'doc.edit', path: 'big.log', version: 3, changes: [{ offset: 100, length: 2, text: `k=${AWS};` }], cause: 'paste' }, 2);
    const { events, redactions } = h.privacy.release();
    assert.equal(events.length, 2);
    assert.equal(events[0].event, plain, 'unchanged when it holds no secret');
    assert.deepEqual(events[1].event.changes, [{ offset: 100, length: 2, text: `k=${AWS_PH};` }], 'offsets as they were, the secret redacted');
    assert.deepEqual(redactions, [{ rule: 'aws-access-key', path: 'big.log' }]);
  });

  test('a pasted secret becomes one synthetic edit with the placeholder', () => {
    const h = new Harness();
    h.open('a.ts', 'const key = "";\n');
    h.edit('a.ts', [{ offset: 13, length: 0, text: AWS }], 'paste');
    assert.equal(h.privacy.held('a.ts'), 1);
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].event, { kind: 'doc.edit', path: 'a.ts', version: 2, changes: [{ offset: 13, length: 0, text: AWS_PH }], cause: 'paste' });
    assert.equal(events[0].ts, h.lastTs);
    assert.deepEqual(redactions, [{ rule: 'aws-access-key', path: 'a.ts' }]);
    assert.equal(h.privacy.held('a.ts'), 0);
    assert.equal(h.check('a.ts'), `const key = "${AWS_PH}";\n`);
    assert.ok(!h.writtenText().includes(AWS));
  });

  test('a secret typed one character per edit and released once never reaches the trace', () => {
    const h = new Harness();
    h.open('a.ts', 'token: \n');
    h.type('a.ts', 7, GH);
    assert.equal(h.privacy.held('a.ts'), GH.length);
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1, 'one synthetic edit for all the keystrokes');
    const [{ event, ts }] = events;
    assert.equal(event.version, 1 + GH.length, 'version of the last held edit');
    assert.equal(event.cause, 'typing');
    assert.equal(ts, h.lastTs);
    assert.deepEqual(event.changes, [{ offset: 7, length: 0, text: GH_PH }]);
    assert.deepEqual(redactions, [{ rule: 'github-token', path: 'a.ts' }]);
    h.check('a.ts');
    assert.ok(!h.writtenText().includes(GH.slice(0, 8)), 'not even a prefix');
  });

  test('typing before and after an existing secret keeps every keystroke, offsets mapped to the view', () => {
    const h = new Harness();
    h.open('a.ts', `k = ${AWS}\n`);
    const delta = AWS_PH.length - AWS.length;
    h.type('a.ts', 24, ' // ok'); // after the secret (it ends at 24)
    h.type('a.ts', 0, 'x'); // before it
    h.edit('a.ts', [{ offset: 5, length: 0, text: '(' }]); // exactly adjacent to its start
    h.edit('a.ts', [{ offset: 26, length: 0, text: ')' }]); // exactly adjacent to its end
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 9, 'keystroke fidelity');
    assert.deepEqual(redactions, []);
    assert.deepEqual(
      events.map((e) => e.event.changes[0]),
      [
        ...' // ok'.split('').map((c, i) => ({ offset: 24 + delta + i, length: 0, text: c })),
        { offset: 0, length: 0, text: 'x' },
        { offset: 5, length: 0, text: '(' },
        { offset: 26 + delta, length: 0, text: ')' },
      ],
    );
    assert.deepEqual(
      events.map((e) => e.event.version),
      [2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.ok(events.every((e, i) => e.ts === 1001 + i && e.event.cause === 'typing'));
    assert.equal(h.check('a.ts'), `xk = (${AWS_PH}) // ok\n`);
  });

  test('deleting a secret removes its placeholder with a synthetic edit', () => {
    const h = new Harness();
    h.open('a.ts', `a ${AWS} b`);
    h.edit('a.ts', [{ offset: 2, length: AWS.length, text: '' }], 'programmatic');
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].event.changes, [{ offset: 2, length: AWS_PH.length, text: '' }]);
    assert.equal(events[0].event.cause, 'programmatic');
    assert.deepEqual(redactions, []);
    assert.equal(h.check('a.ts'), 'a  b');
    assert.deepEqual(h.privacy.inspect('a.ts')?.spans, []);
  });

  test('replacing a secret by other text shows the new text only', () => {
    const h = new Harness();
    h.open('a.ts', `key = ${AWS};`);
    h.edit('a.ts', [{ offset: 6, length: AWS.length, text: 'env.KEY' }], 'paste');
    const { events } = h.release('a.ts');
    assert.deepEqual(events[0].event.changes, [{ offset: 6, length: AWS_PH.length, text: 'env.KEY' }]);
    assert.equal(h.check('a.ts'), 'key = env.KEY;');
  });

  test('editing inside a secret keeps the rest of it redacted', () => {
    const h = new Harness();
    h.open('a.ts', `k = ${AWS};`);
    h.edit('a.ts', [{ offset: 10, length: 0, text: 'zz' }]); // inside: no longer a valid key
    h.edit('a.ts', [{ offset: 23, length: 1, text: '' }]); // delete inside
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1, 'synthetic: a secret was touched');
    assert.deepEqual(events[0].event.changes, [], 'the view did not change');
    assert.equal(events[0].event.version, 3);
    assert.deepEqual(redactions, []);
    assert.equal(h.check('a.ts'), `k = ${AWS_PH};`);
    assert.deepEqual(h.privacy.inspect('a.ts')?.spans, [{ rule: 'aws-access-key', start: 4, end: 25 }]);
    // Deleting part of it at its edge shrinks it; deleting the rest removes the placeholder.
    h.edit('a.ts', [{ offset: 4, length: 10, text: '' }]);
    h.release();
    assert.equal(h.check('a.ts'), `k = ${AWS_PH};`);
    h.edit('a.ts', [{ offset: 4, length: 11, text: '' }]);
    h.release();
    assert.equal(h.check('a.ts'), 'k = ;');
    assert.ok(!h.writtenText().includes('Y6'), 'no surviving character of the key was written');
  });

  test('backspacing through a password (real Redactor) never reveals what is left of it', () => {
    const h = new Harness(realScan);
    h.open('a.env', 'password = "Xy7#kL9$qW"\n');
    assert.equal(h.check('a.env'), `password = "${placeholder('generic-secret')}"\n`);
    for (let end = 22; end > 12; end--) {
      h.edit('a.env', [{ offset: end - 1, length: 1, text: '' }]);
      h.release('a.env');
      const view = h.check('a.env');
      assert.equal(view, end - 1 > 12 ? `password = "${placeholder('generic-secret')}"\n` : 'password = ""\n');
    }
    assert.ok(!/Xy7/.test(h.writtenText()));
  });

  test('multi-cursor edits (end-to-start) around a secret keep their changes, mapped', () => {
    const h = new Harness();
    h.open('a.ts', `one\n${AWS}\nthree\n`);
    const delta = AWS_PH.length - AWS.length;
    // "# " at the start of each line, as VS Code reports it: last line first.
    h.edit(
      'a.ts',
      [
        { offset: 25, length: 0, text: '# ' },
        { offset: 4, length: 0, text: '# ' },
        { offset: 0, length: 0, text: '# ' },
      ],
      'multi-cursor',
    );
    const { events } = h.release('a.ts');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].event.changes, [
      { offset: 25 + delta, length: 0, text: '# ' },
      { offset: 4, length: 0, text: '# ' },
      { offset: 0, length: 0, text: '# ' },
    ]);
    assert.equal(events[0].event.cause, 'multi-cursor');
    assert.equal(h.check('a.ts'), `# one\n# ${AWS_PH}\n# three\n`);
  });

  test('a multi-change edit that completes a secret becomes a synthetic edit', () => {
    const h = new Harness();
    h.open('a.ts', `x AKIAZ7Q3 y\nAKIA\n`);
    h.edit(
      'a.ts',
      [
        { offset: 17, length: 0, text: 'R5T2W9X4Y6V8Z7Q3' }, // the second line becomes a key
        { offset: 10, length: 0, text: 'R5T2W9X4Y6V8' }, // so does the first
      ],
      'multi-cursor',
    );
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].event.changes, [{ offset: 2, length: 15, text: `${AWS_PH} y\n${AWS_PH}` }]);
    assert.equal(redactions.length, 2);
    assert.equal(h.check('a.ts'), `x ${AWS_PH} y\n${AWS_PH}\n`);
  });

  test('CRLF documents: offsets count both characters of each line break', () => {
    const h = new Harness();
    h.open('a.bat', `set A=1\r\nset K=${AWS}\r\nrem\r\n`);
    const delta = AWS_PH.length - AWS.length;
    h.edit('a.bat', [{ offset: 37, length: 0, text: '\r\n' }]); // a new line after the key's line
    h.type('a.bat', 39, 'x');
    h.edit('a.bat', [{ offset: 7, length: 0, text: '2' }]);
    const { events } = h.release('a.bat');
    assert.deepEqual(
      events.map((e) => e.event.changes),
      [[{ offset: 37 + delta, length: 0, text: '\r\n' }], [{ offset: 39 + delta, length: 0, text: 'x' }], [{ offset: 7, length: 0, text: '2' }]],
    );
    assert.equal(h.check('a.bat'), `set A=12\r\nset K=${AWS_PH}\r\n\r\nxrem\r\n`);
  });

  test('a secret typed slowly across two releases: the second replaces the prefix the first let through', () => {
    const h = new Harness();
    h.open('a.ts', 'k = \n');
    h.type('a.ts', 4, AWS.slice(0, 10));
    const first = h.release('a.ts');
    assert.equal(first.events.length, 10, 'not a secret yet: released keystroke by keystroke');
    assert.equal(h.check('a.ts'), `k = ${AWS.slice(0, 10)}\n`);
    h.type('a.ts', 14, AWS.slice(10));
    const second = h.release('a.ts');
    assert.equal(second.events.length, 1);
    assert.deepEqual(second.events[0].event.changes, [{ offset: 4, length: 10, text: AWS_PH }]);
    assert.deepEqual(second.redactions, [{ rule: 'aws-access-key', path: 'a.ts' }]);
    assert.equal(h.check('a.ts'), `k = ${AWS_PH}\n`);
    assert.ok(!h.writtenText().includes(AWS), 'the complete secret was never written (its prefix was)');
  });

  test('a secret pasted and broken again before the release never goes out through the paste', () => {
    const h = new Harness();
    h.open('a.ts', 'k = ;\n');
    h.edit('a.ts', [{ offset: 4, length: 0, text: AWS }], 'paste');
    h.edit('a.ts', [{ offset: 10, length: 1, text: '' }]); // no longer a key
    const { events, redactions } = h.release('a.ts');
    assert.equal(events.length, 1, 'one synthetic edit, not the paste');
    assert.deepEqual(redactions, []);
    assert.equal(h.check('a.ts'), `k = ${AWS.slice(0, 6)}${AWS.slice(7)};\n`);
    assert.ok(!h.writtenText().includes(AWS));
  });

  test('a long pasted secret broken far from its start before the release never goes out through the paste', () => {
    // 601 characters: the text around the later deletion does not show the secret's start.
    const longScan: Scan = (text) => [...text.matchAll(/L[0-9]{600}/g)].map((m) => ({ rule: 'long', start: m.index, end: m.index + 601 }));
    const h = new Harness(longScan);
    h.open('a.txt', '\n');
    const secret = `L${'0123456789'.repeat(60)}`;
    h.edit('a.txt', [{ offset: 0, length: 0, text: secret }], 'paste');
    h.edit('a.txt', [{ offset: 600, length: 1, text: '' }]);
    const { events } = h.release('a.txt');
    assert.equal(events.length, 1);
    assert.ok(!h.writtenText().includes(secret));
    h.check('a.txt');
  });

  test('a secret typed and broken again before the release: no state in between reaches the trace', () => {
    const h = new Harness();
    h.open('a.ts', 'k = ;\n');
    h.type('a.ts', 4, AWS);
    h.edit('a.ts', [{ offset: 23, length: 1, text: '' }]); // backspace: 19 characters left
    const { events } = h.release('a.ts');
    assert.equal(events.length, 1, 'not keystroke by keystroke: the trace would pass through the complete key');
    assert.equal(h.check('a.ts'), `k = ${AWS.slice(0, 19)};\n`);
  });

  test('a key typed and then made no key by typing on (real Redactor): no state in between shows it', () => {
    const h = new Harness(realScan);
    h.open('a.ts', 'k = \n');
    h.type('a.ts', 4, `${AWS}X`); // followed by X, the Redactor no longer takes it for a key
    const { events, redactions } = h.release('a.ts');
    assert.deepEqual(realScan(h.real.get('a.ts') ?? ''), []);
    assert.deepEqual(redactions, []);
    assert.equal(events.length, 1, 'after the 20th keystroke the trace would hold a complete key');
    h.check('a.ts');
  });

  test('typing inside a detected secret that is still being typed keeps it hidden', () => {
    const h = new Harness(realScan);
    h.open('a.env', 'db_password=Zx9!pLm2\n'); // 8 characters: a secret already
    const ph = placeholder('generic-secret');
    assert.equal(h.check('a.env'), `db_password=${ph}\n`);
    h.type('a.env', 20, '#Qr');
    const { events } = h.release('a.env');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].event.changes, [], 'the typed characters joined the secret');
    assert.equal(h.check('a.env'), `db_password=${ph}\n`);
    assert.deepEqual(h.privacy.inspect('a.env')?.spans, [{ rule: 'generic-secret', start: 12, end: 23 }]);
  });

  test('with the real Redactor: snapshot, paste and typing around a GitHub token', () => {
    const h = new Harness(realScan);
    const text = `export const config = {\n  token: "${GH}",\n  url: "https://example.org",\n};\n`;
    h.open('config.ts', text);
    assert.equal(h.check('config.ts'), text.replace(GH, GH_PH));
    const at = text.indexOf('url');
    h.type('config.ts', at, 'base_'); // after the token: keystrokes pass through
    let released = h.release('config.ts');
    assert.equal(released.events.length, 5);
    assert.equal(released.events[0].event.changes[0].offset, at + GH_PH.length - GH.length);
    h.edit('config.ts', [{ offset: (h.real.get('config.ts') ?? '').length, length: 0, text: `const aws = "${AWS}";\n` }], 'paste');
    released = h.release('config.ts');
    assert.equal(released.events.length, 1);
    assert.deepEqual(released.redactions, [{ rule: 'aws-access-key', path: 'config.ts' }]);
    const view = h.check('config.ts');
    assert.ok(view.includes(`"${AWS_PH}"`) && view.includes(`"${GH_PH}"`));
    assert.ok(!h.writtenText().includes(AWS) && !h.writtenText().includes(GH));
  });

  test('renaming moves the state and the held edits to the new path', () => {
    const h = new Harness();
    h.open('old.ts', `k=${AWS}`);
    h.type('old.ts', 22, '!');
    h.privacy.rename('old.ts', 'new.ts');
    assert.equal(h.privacy.held('old.ts'), 0);
    assert.equal(h.privacy.held('new.ts'), 1);
    assert.equal(h.privacy.inspect('old.ts'), undefined);
    const { events } = h.privacy.release('new.ts');
    assert.equal(events.length, 1);
    assert.equal(events[0].event.path, 'new.ts');
    assert.deepEqual(events[0].event.changes, [{ offset: 2 + AWS_PH.length, length: 0, text: '!' }]);
    assert.equal(h.privacy.inspect('new.ts')?.view, `k=${AWS_PH}!`);
  });

  test('renaming a folder moves the documents under it', () => {
    const h = new Harness();
    h.open('src/a.ts', AWS);
    h.open('srcx/b.ts', 'b');
    h.privacy.rename('src', 'lib');
    assert.equal(h.privacy.inspect('lib/a.ts')?.view, AWS_PH);
    assert.ok(h.privacy.inspect('srcx/b.ts'), 'a sibling with a longer name stays');
  });

  test('closing forgets the document; later edits are released without state', () => {
    const h = new Harness();
    h.open('a.ts', `k=${AWS}`);
    h.type('a.ts', 0, 'x');
    h.release('a.ts');
    h.privacy.close('a.ts');
    assert.equal(h.privacy.inspect('a.ts'), undefined);
    h.privacy.hold({ kind: 'doc.edit', path: 'a.ts', version: 9, changes: [{ offset: 3, length: 0, text: 'y' }], cause: 'typing' }, 5);
    const { events } = h.privacy.release('a.ts');
    assert.deepEqual(events[0].event.changes, [{ offset: 3, length: 0, text: 'y' }], 'no view to map to');
  });

  test('close discards edits still held', () => {
    const h = new Harness();
    h.open('a.ts', 'abc');
    h.type('a.ts', 0, 'x');
    h.privacy.close('a.ts');
    assert.equal(h.privacy.held(), 0);
    assert.deepEqual(h.privacy.release().events, []);
  });

  test('two documents: each keeps its own state; releasing all keeps the order they were held in', () => {
    const h = new Harness();
    h.open('a.ts', `a=${AWS}`);
    h.open('b.ts', 'b=');
    h.type('a.ts', 22, ';');
    h.edit('b.ts', [{ offset: 2, length: 0, text: GH }], 'paste');
    h.type('a.ts', 0, '#');
    assert.equal(h.privacy.held(), 3);
    assert.equal(h.privacy.held('a.ts'), 2);
    const { events, redactions } = h.release();
    assert.deepEqual(
      events.map((e) => e.event.path),
      ['a.ts', 'b.ts', 'a.ts'],
    );
    assert.deepEqual(redactions, [{ rule: 'github-token', path: 'b.ts' }]);
    assert.equal(h.check('a.ts'), `#a=${AWS_PH};`);
    assert.equal(h.check('b.ts'), `b=${GH_PH}`);
  });

  test('releasing one document leaves the other held', () => {
    const h = new Harness();
    h.open('a.ts', 'a');
    h.open('b.ts', 'b');
    h.type('a.ts', 1, 'x');
    h.type('b.ts', 1, 'y');
    assert.equal(h.release('b.ts').events.length, 1);
    assert.equal(h.privacy.held('a.ts'), 1);
    assert.equal(h.privacy.held(), 1);
  });

  test('a reopen discards edits held before it and rescans in full', () => {
    const h = new Harness();
    h.open('a.ts', 'k=');
    h.type('a.ts', 2, 'AKIA');
    const { event } = h.open('a.ts', `k=${AWS}`);
    assert.equal(event.text, `k=${AWS_PH}`);
    assert.equal(h.privacy.held('a.ts'), 0);
    assert.deepEqual(h.privacy.release().events, []);
  });

  test('hold asks for a release at maxHeldEdits', () => {
    const h = new Harness(simpleScan, { maxHeldEdits: 3 });
    h.open('a.ts', '');
    assert.equal(h.edit('a.ts', [{ offset: 0, length: 0, text: 'a' }]), false);
    assert.equal(h.edit('a.ts', [{ offset: 1, length: 0, text: 'b' }]), false);
    assert.equal(h.privacy.mustRelease('a.ts'), false);
    assert.equal(h.edit('a.ts', [{ offset: 2, length: 0, text: 'c' }]), true);
    assert.equal(h.privacy.mustRelease('a.ts'), true);
    h.release('a.ts');
    assert.equal(h.privacy.mustRelease('a.ts'), false);
    assert.equal(h.check('a.ts'), 'abc');
  });

  test('edits that do not fit the known text drop the state and ask for a new snapshot', () => {
    const h = new Harness();
    h.open('a.ts', 'short');
    h.privacy.hold({ kind: 'doc.edit', path: 'a.ts', version: 2, changes: [{ offset: 50, length: 0, text: AWS }], cause: 'paste' }, 1);
    const { events, resnapshot } = h.privacy.release('a.ts');
    assert.deepEqual(events, []);
    assert.deepEqual(resnapshot, ['a.ts']);
    assert.equal(h.privacy.inspect('a.ts'), undefined);
  });

  test('malformed edits do not throw: the state is dropped and a new snapshot asked for', () => {
    const h = new Harness();
    h.open('a.ts', 'text');
    const bad = { offset: 0, length: 0, text: undefined } as unknown as ContentChange;
    h.privacy.hold({ kind: 'doc.edit', path: 'a.ts', version: 2, changes: [bad], cause: 'typing' }, 1);
    const { events, resnapshot } = h.privacy.release();
    assert.deepEqual(events, []);
    assert.deepEqual(resnapshot, ['a.ts']);
  });

  test('edits without changes pass through', () => {
    const h = new Harness();
    h.open('a.ts', AWS);
    h.edit('a.ts', []);
    const { events } = h.release('a.ts');
    assert.deepEqual(events[0].event.changes, []);
    h.check('a.ts');
  });

  test('a huge single line: a keystroke re-scans a bounded window, not the line', () => {
    const scanned: number[] = [];
    const counting: Scan = (text) => {
      scanned.push(text.length);
      return simpleScan(text);
    };
    const h = new Harness(counting, { contextChars: 1000 });
    const line = 'abcdefghij'.repeat(200_000); // 2 million characters, no line break, no blank
    h.open('min.js', `${line}${AWS}${line}`);
    scanned.length = 0;
    for (let i = 0; i < 50; i++) {
      h.type('min.js', 1_000_000 + i, 'x');
      h.release('min.js');
    }
    assert.equal(scanned.length, 50);
    assert.ok(Math.max(...scanned) <= 5_000, `largest scan ${Math.max(...scanned)}`);
    // Typing inside the secret: the window takes the whole secret in, and no more.
    scanned.length = 0;
    h.type('min.js', 2_000_060, 'y');
    const { events } = h.release('min.js');
    assert.equal(scanned.length, 1);
    assert.ok(scanned[0] <= 5_000, `scan of ${scanned[0]}`);
    assert.deepEqual(events.map((e) => e.event.changes), [[]], 'the view did not change');
    assert.equal(h.check('min.js').length, (h.real.get('min.js') ?? '').length - (AWS.length + 1) + AWS_PH.length);
  });

  test('a secret found at the edge of the re-scanned window is checked again with more context', () => {
    // contextChars 5: the window starts 10 characters before the edit, here exactly at the key,
    // where the Redactor would take it for a token; with the x before it, it is none.
    const h = new Harness(realScan, { contextChars: 5 });
    h.open('a.ts', `${'x'.repeat(50)}${AWS.slice(0, 10)}${AWS.slice(11)}`);
    h.type('a.ts', 60, AWS[10]);
    const { events, redactions } = h.release('a.ts');
    assert.deepEqual(redactions, []);
    assert.deepEqual(h.privacy.inspect('a.ts')?.spans, [], 'not a token: preceded by x');
    assert.equal(events.length, 1);
    assert.equal(h.check('a.ts'), `${'x'.repeat(50)}${AWS}`);
    assert.deepEqual(realScan(h.real.get('a.ts') ?? ''), [], 'as a full scan says');
  });
});

suite('DocumentPrivacy: a release in steps', () => {
  /** Two identical harnesses: one releases at once, the other in steps. */
  function twins(typed: string): { whole: Harness; stepped: Harness } {
    const text = `const a = 1;\n${'// filler line\n'.repeat(200)}`;
    const make = (): Harness => {
      const h = new Harness(realScan);
      h.open('a.ts', text);
      h.type('a.ts', 13, typed);
      return h;
    };
    return { whole: make(), stepped: make() };
  }

  for (const [name, typed] of [
    ['plain typing', 'let total = f(1) * 2;\n'.repeat(60)],
    ['a token typed in the middle of a long burst', `${'x = 1;\n'.repeat(100)}const t = "${GH}";\n${'y = 2;\n'.repeat(100)}`],
  ] as const) {
    test(`${name}: the same events, redactions and state as releasing at once, over several steps`, () => {
      const { whole, stepped } = twins(typed);
      const expected = whole.privacy.release('a.ts');
      const steps = stepped.privacy.releaseInSteps('a.ts');
      let yields = 0;
      let next = steps.next();
      for (; !next.done; next = steps.next()) {
        yields++;
      }
      assert.ok(yields >= 2, `a burst of ${typed.length} edits is released in more than one step (${yields + 1})`);
      assert.deepEqual(next.value, expected);
      assert.equal(stepped.privacy.held('a.ts'), 0);
      // Both documents go on alike.
      whole.type('a.ts', 0, 'z');
      stepped.type('a.ts', 0, 'z');
      assert.deepEqual(stepped.privacy.release('a.ts'), whole.privacy.release('a.ts'));
    });
  }

  test('edits held while a release is in steps wait for the next release', () => {
    const h = new Harness(realScan);
    h.open('a.ts', 'start\n');
    h.type('a.ts', 0, 'abc'.repeat(100));
    const steps = h.privacy.releaseInSteps('a.ts');
    steps.next();
    h.type('a.ts', 0, 'q');
    assert.equal(h.privacy.held('a.ts'), 1);
    let next = steps.next();
    while (!next.done) next = steps.next();
    assert.equal(next.value.events.length, 300);
    assert.equal(h.privacy.release('a.ts').events.length, 1);
  });
});
