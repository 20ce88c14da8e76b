import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareBytes, isWorkspacePath, resolveTracePath, verifyDocuments, placeholderDifferences } from '../../src/replay/verify';

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

suite('verifyDocuments', () => {
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-verify-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'same.ts'), 'const é = "😀";\r\n');
    writeFileSync(join(dir, 'src', 'differs.ts'), 'abcdef');
    writeFileSync(join(dir, 'longer.txt'), 'abc\n');
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('reports ok, mismatch with the first differing byte, and missing', () => {
    const docs = new Map([
      ['src/same.ts', { text: 'const é = "😀";\r\n', replayable: true }],
      ['src/differs.ts', { text: 'abcXef', replayable: true }],
      ['longer.txt', { text: 'abc', replayable: true }],
      ['src/missing.ts', { text: 'x', replayable: true }],
    ]);
    assert.deepEqual(verifyDocuments(docs, dir), [
      { path: 'longer.txt', status: 'mismatch', offset: 3, rebuiltOffset: 3, rebuiltBytes: 3, diskBytes: 4 },
      { path: 'src/differs.ts', status: 'mismatch', offset: 3, rebuiltOffset: 3, rebuiltBytes: 6, diskBytes: 6 },
      { path: 'src/missing.ts', status: 'missing' },
      { path: 'src/same.ts', status: 'ok' },
    ]);
  });

  test('counts offsets in UTF-8 bytes, not UTF-16 code units', () => {
    writeFileSync(join(dir, 'u.txt'), 'é😀a');
    const [result] = verifyDocuments(new Map([['u.txt', { text: 'é😀b', replayable: true }]]), dir);
    assert.equal(result.status, 'mismatch');
    assert.equal(result.status === 'mismatch' ? result.offset : -1, 6); // é = 2 bytes, 😀 = 4 bytes
  });

  test('checks only replayable workspace documents', () => {
    const docs = new Map([
      ['untitled:Untitled-1', { text: 'x', replayable: true }],
      ['outside:0123abcd', { text: 'x', replayable: true }],
      ['src/differs.ts', { text: '', replayable: false }],
      ['../escape.txt', { text: 'x', replayable: true }],
    ]);
    assert.deepEqual(verifyDocuments(docs, dir), []);
  });

  test('a deleted path found on disk is reported as existing; one not there is fine', () => {
    const docs = new Map([['src/same.ts', { text: 'const é = "😀";\r\n', replayable: true }]]);
    assert.deepEqual(verifyDocuments(docs, dir, { deleted: ['src/differs.ts', 'src/never-there.ts', 'src', '../outside'] }), [
      { path: 'src', status: 'exists' },
      { path: 'src/differs.ts', status: 'exists' },
      { path: 'src/same.ts', status: 'ok' },
    ]);
  });

  test('accepts expected differences (the hook for redacted spans)', () => {
    writeFileSync(join(dir, 'secret.env'), 'KEY=hunter2\nOTHER=1\n');
    const rebuilt = 'KEY=[REDACTED]\nOTHER=1\n';
    const docs = new Map([['secret.env', { text: rebuilt, replayable: true }]]);
    assert.equal(verifyDocuments(docs, dir)[0].status, 'mismatch');
    const span = { start: 4, end: 14, diskLength: 7 };
    assert.deepEqual(verifyDocuments(docs, dir, { expected: (p) => (p === 'secret.env' ? [span] : undefined) }), [{ path: 'secret.env', status: 'ok' }]);
  });
});

suite('compareBytes', () => {
  test('finds the first difference, including length differences', () => {
    assert.equal(compareBytes(enc('abc'), enc('abc')), undefined);
    assert.deepEqual(compareBytes(enc('abc'), enc('abd')), { offset: 2, rebuiltOffset: 2 });
    assert.deepEqual(compareBytes(enc('ab'), enc('abc')), { offset: 2, rebuiltOffset: 2 });
    assert.deepEqual(compareBytes(enc('abc'), enc('ab')), { offset: 2, rebuiltOffset: 2 });
    assert.equal(compareBytes(enc(''), enc('')), undefined);
  });

  test('skips expected spans and reports later differences at file offsets', () => {
    // Rebuilt "a***b-c" where *** stands for 5 bytes on disk.
    const rebuilt = enc('a***b-c');
    assert.equal(compareBytes(rebuilt, enc('a12345b-c'), [{ start: 1, end: 4, diskLength: 5 }]), undefined);
    assert.deepEqual(compareBytes(rebuilt, enc('a12345b+c'), [{ start: 1, end: 4, diskLength: 5 }]), { offset: 7, rebuiltOffset: 5 });
    // Same-length masking by default.
    assert.equal(compareBytes(rebuilt, enc('aXYZb-c'), [{ start: 1, end: 4 }]), undefined);
    // The disk is too short for the span.
    assert.deepEqual(compareBytes(rebuilt, enc('a12'), [{ start: 1, end: 4, diskLength: 5 }]), { offset: 3, rebuiltOffset: 1 });
    assert.throws(() => compareBytes(rebuilt, rebuilt, [{ start: 3, end: 4 }, { start: 1, end: 2 }]), RangeError);
  });
});

suite('trace paths on disk', () => {
  test('accepts workspace-relative paths only', () => {
    assert.equal(isWorkspacePath('src/a.ts'), true);
    assert.equal(isWorkspacePath('folder-b/x y/ü.md'), true);
    for (const bad of ['', 'untitled:Untitled-1', 'outside:abc', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'C:/x']) {
      assert.equal(isWorkspacePath(bad), false, bad);
    }
    assert.equal(resolveTracePath('/root/ws', 'a/b.txt'), join('/root/ws', 'a', 'b.txt'));
    assert.equal(resolveTracePath('/root/ws', '../b.txt'), undefined);
  });
});

suite('verify with redacted secrets', () => {
  test('placeholders stand for the secrets on disk: expected differences, not mismatches', () => {
    const disk = Buffer.from('const a = "AKIAQ3EGRTWSY2P7ZK4N";\nconst b = "ghp_x";\ntail\n', 'utf8');
    const rebuilt = 'const a = "«redacted:aws-access-key»";\nconst b = "«redacted:github-token»";\ntail\n';
    const spans = placeholderDifferences(rebuilt, disk);
    assert.equal(spans.length, 2);
    assert.equal(compareBytes(Buffer.from(rebuilt, 'utf8'), disk, spans), undefined);
    assert.equal(spans[0].diskLength, 'AKIAQ3EGRTWSY2P7ZK4N'.length);
  });

  test('a real difference next to a placeholder is still a mismatch', () => {
    const disk = Buffer.from('key = "AKIAQ3EGRTWSY2P7ZK4N";\nvalue = 1\n', 'utf8');
    const rebuilt = 'key = "«redacted:aws-access-key»";\nvalue = 2\n';
    assert.notEqual(compareBytes(Buffer.from(rebuilt, 'utf8'), disk, placeholderDifferences(rebuilt, disk)), undefined);
  });
});
