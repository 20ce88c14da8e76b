import * as assert from 'node:assert/strict';
import { FILE_HEADERS_ONLY, applyPatch, formatPatch, structuredPatch } from 'diff';
import * as fc from 'fast-check';
import { diffTexts, lineCount } from '../../../src/disk/textDiff';
import { applyChanges } from '../../../src/replay/apply';
import { DEFAULT_DIFF_LIMITS } from '../../../src/semantic/editSteps';

/** The default bounds without the time limit: on a loaded machine 100 ms of wall time can pass in any diff. */
const LIMITS = { ...DEFAULT_DIFF_LIMITS, timeoutMs: 600_000 };

/** Pieces that stress line handling: LF, CRLF, lone CR, astral characters, U+2028, tabs, empty lines. */
const PIECES = ['a', 'b', 'line', '\n', '\r\n', '\r', '😀', '𝄞x', 'é', '\u2028', '\t', ' ', '\n\n', 'const x = 1;'];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));

/** An edited version of a text: lines replaced, inserted, deleted (so diffs have context and several hunks). */
const pairArb = textArb.chain((old) =>
  fc
    .array(fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: textArb }), { maxLength: 5 })
    .map((ops) => {
      let next = old;
      for (const op of ops) {
        const at = next.length ? op.at % (next.length + 1) : 0;
        next = next.slice(0, at) + op.ins + next.slice(Math.min(next.length, at + op.del));
      }
      return [old, next] as const;
    }),
);

suite('disk/textDiff (property)', () => {
  test('applying the changes to the old text gives the new text exactly', () => {
    fc.assert(
      fc.property(pairArb, ([oldText, newText]) => {
        const d = diffTexts('f.txt', oldText, newText, LIMITS);
        assert.ok(d);
        assert.equal(applyChanges(oldText, d.changes), newText);
      }),
      { numRuns: 2000 },
    );
  });

  test('unrelated texts too, and from/to empty', () => {
    fc.assert(
      fc.property(textArb, textArb, (oldText, newText) => {
        for (const [a, b] of [
          [oldText, newText],
          ['', newText],
          [oldText, ''],
        ]) {
          const d = diffTexts('f.txt', a, b, LIMITS);
          assert.ok(d);
          assert.equal(applyChanges(a, d.changes), b);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('the unified diff applies with the diff package (LF and CRLF line ends, no final newline)', () => {
    const lfArb = fc.array(fc.constantFrom('a', 'b', '\n', '😀', 'x y', '\n\n', '\r\n'), { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(lfArb, lfArb, (oldText, newText) => {
        const d = diffTexts('f.txt', oldText, newText, LIMITS);
        assert.ok(d);
        assert.equal(applyPatch(oldText, d.diff), newText);
      }),
      { numRuns: 1000 },
    );
  });

  test('from and to the empty text (no diffing): the same diff as structuredPatch + formatPatch', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        for (const [a, b] of [
          ['', text],
          [text, ''],
        ]) {
          const expected = structuredPatch('p/f.ts', 'p/f.ts', a, b, undefined, undefined, { context: 3 });
          assert.equal(diffTexts('p/f.ts', a, b, LIMITS)?.diff, formatPatch(expected, FILE_HEADERS_ONLY));
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('added and removed count the lines of the diff', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const created = diffTexts('f', '', text, LIMITS);
        assert.ok(created);
        assert.equal(created.added, lineCount(text));
        assert.equal(created.removed, 0);
      }),
    );
  });
});

suite('disk/textDiff', () => {
  test('a changed line in a CRLF file is one replacement of that line, offsets in UTF-16 code units', () => {
    const d = diffTexts('a.ts', 'one\r\n😀two\r\nthree\r\n', 'one\r\n😀TWO\r\nthree\r\n', LIMITS);
    assert.ok(d);
    assert.deepEqual(d.changes, [{ offset: 5, length: 7, text: '😀TWO\r\n' }]);
    assert.equal(d.added, 1);
    assert.equal(d.removed, 1);
    assert.match(d.diff, /^--- a\.ts\n\+\+\+ a\.ts\n@@ -1,3 \+1,3 @@\n one\r\n-😀two\r\n\+😀TWO\r\n three\r\n$/);
  });

  test('a final newline added is a change of the last line', () => {
    const d = diffTexts('a', 'x\ny', 'x\ny\n', LIMITS);
    assert.ok(d);
    assert.equal(applyChanges('x\ny', d.changes), 'x\ny\n');
    assert.match(d.diff, /\\ No newline at end of file/);
  });

  test('two distant changes give two changes, the second offset in the edited text', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('');
    const next = old.replace('l2\n', 'L2 longer\n').replace('l17\n', '');
    const d = diffTexts('a', old, next, LIMITS);
    assert.ok(d);
    assert.equal(d.changes.length, 2);
    assert.equal(applyChanges(old, d.changes), next);
  });

  test('over a bound: undefined (the caller records a snapshot)', () => {
    const old = Array.from({ length: 200 }, (_, i) => `${i}\n`).join('');
    const next = Array.from({ length: 200 }, (_, i) => `x${i}\n`).join('');
    assert.equal(diffTexts('a', old, next, { maxChars: 10_000_000, maxEditLength: 10, timeoutMs: 1000 }), undefined);
    assert.equal(diffTexts('a', old, next, { maxChars: 100, maxEditLength: 5000, timeoutMs: 1000 }), undefined);
  });

  test('lineCount', () => {
    assert.deepEqual(['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\n'].map(lineCount), [0, 1, 1, 2, 2, 2]);
  });
});
