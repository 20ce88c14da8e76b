import * as assert from 'node:assert/strict';
import { ChangeRangeError, applyChanges, applyEdits } from '../../src/replay/apply';

suite('applyChanges', () => {
  test('inserts, deletes and replaces', () => {
    assert.equal(applyChanges('hello world', [{ offset: 5, length: 0, text: ',' }]), 'hello, world');
    assert.equal(applyChanges('hello world', [{ offset: 0, length: 6, text: '' }]), 'world');
    assert.equal(applyChanges('hello world', [{ offset: 6, length: 5, text: 'there' }]), 'hello there');
    assert.equal(applyChanges('', [{ offset: 0, length: 0, text: 'abc' }]), 'abc');
    assert.equal(applyChanges('abc', []), 'abc');
  });

  test('keeps CRLF line endings and can split or join lines', () => {
    const text = 'a\r\nb\r\nc';
    assert.equal(applyChanges(text, [{ offset: 3, length: 0, text: 'x\r\n' }]), 'a\r\nx\r\nb\r\nc');
    // Join the first two lines: delete the CRLF (2 code units).
    assert.equal(applyChanges(text, [{ offset: 1, length: 2, text: '' }]), 'ab\r\nc');
    // Deleting only the \n leaves a lone \r, as VS Code would if asked to.
    assert.equal(applyChanges(text, [{ offset: 2, length: 1, text: '' }]), 'a\rb\r\nc');
  });

  test('counts tabs as one code unit', () => {
    assert.equal(applyChanges('\tif (x) {\n\t\treturn;\n\t}', [{ offset: 11, length: 1, text: '    ' }]), '\tif (x) {\n\t    return;\n\t}');
  });

  test('works in UTF-16 code units with emoji (surrogate pairs) and CJK', () => {
    const text = 'a😀b中文c';
    assert.equal(text.length, 7); // 😀 is two code units
    // Replace the emoji (offset 1, length 2).
    assert.equal(applyChanges(text, [{ offset: 1, length: 2, text: '🎉🎉' }]), 'a🎉🎉b中文c');
    // Insert after the emoji: offset 3, not 2.
    assert.equal(applyChanges(text, [{ offset: 3, length: 0, text: '!' }]), 'a😀!b中文c');
    // Replace the CJK characters (one code unit each).
    assert.equal(applyChanges(text, [{ offset: 4, length: 2, text: '日本語' }]), 'a😀b日本語c');
    // Non-BMP CJK (U+20BB7) is a surrogate pair too.
    assert.equal(applyChanges('𠮷野家', [{ offset: 2, length: 0, text: '-' }]), '𠮷-野家');
  });

  test('applies multi-cursor changes ordered end-to-start, each to the previous result', () => {
    // Three cursors typing "x" at the start of each line, as VS Code reports it.
    const text = 'one\ntwo\nthree';
    const changes = [
      { offset: 8, length: 0, text: 'x' },
      { offset: 4, length: 0, text: 'x' },
      { offset: 0, length: 0, text: 'x' },
    ];
    assert.equal(applyChanges(text, changes), 'xone\nxtwo\nxthree');
    // Multi-cursor replace of each word's first letter with two letters: offsets stay valid end-to-start.
    const replace = [
      { offset: 8, length: 1, text: 'XY' },
      { offset: 4, length: 1, text: 'XY' },
      { offset: 0, length: 1, text: 'XY' },
    ];
    assert.equal(applyChanges('foo bar baz', replace), 'XYoo XYar XYaz');
    // Multi-cursor delete across CRLF line ends.
    const crlf = 'a;\r\nb;\r\nc;';
    assert.equal(applyChanges(crlf, [{ offset: 9, length: 1, text: '' }, { offset: 5, length: 1, text: '' }, { offset: 1, length: 1, text: '' }]), 'a\r\nb\r\nc');
  });

  test('applies changes in sequence, so later offsets refer to the already changed text', () => {
    // Start-to-end order works too if the producer accounted for the shift.
    assert.equal(applyChanges('abc', [{ offset: 0, length: 0, text: 'XX' }, { offset: 4, length: 0, text: 'Y' }]), 'XXabYc');
  });

  test('throws a ChangeRangeError for out-of-range or malformed changes', () => {
    assert.throws(() => applyChanges('abc', [{ offset: 4, length: 0, text: '' }]), ChangeRangeError);
    assert.throws(() => applyChanges('abc', [{ offset: 2, length: 2, text: '' }]), /does not fit a text of 3 code units/);
    assert.throws(() => applyChanges('abc', [{ offset: -1, length: 0, text: '' }]), ChangeRangeError);
    assert.throws(() => applyChanges('abc', [{ offset: 1.5, length: 0, text: '' }]), ChangeRangeError);
    // The second change is checked against the result of the first.
    assert.throws(
      () => applyChanges('abc', [{ offset: 0, length: 3, text: '' }, { offset: 1, length: 0, text: 'x' }]),
      (e: unknown) => e instanceof ChangeRangeError && e.changeIndex === 1 && e.textLength === 0,
    );
  });
});

suite('applyEdits', () => {
  test('keeps working after the whole document was deleted (fast-check counterexample)', () => {
    for (const chunk of [1, 2, 2048]) {
      assert.equal(applyEdits('aa', [[{ offset: 0, length: 2, text: '' }], [{ offset: 0, length: 0, text: '' }]], chunk), '');
      assert.equal(applyEdits('abc', [[{ offset: 0, length: 3, text: '' }], [{ offset: 0, length: 0, text: 'xy' }], [{ offset: 2, length: 0, text: 'z' }]], chunk), 'xyz');
    }
  });

  test('equals applying each edit in turn', () => {
    const edits = [
      [{ offset: 0, length: 0, text: 'A' }],
      [{ offset: 10, length: 1, text: 'Z\r\n' }],
      [{ offset: 5, length: 0, text: '😀' }, { offset: 2, length: 1, text: '' }],
      [{ offset: 0, length: 3, text: '' }],
    ];
    const text = 'abcdefghijklmnop';
    const expected = edits.reduce((t, e) => applyChanges(t, e), text);
    assert.equal(applyEdits(text, edits), expected);
    for (const chunkSize of [1, 2, 3, 5, 8]) {
      assert.equal(applyEdits(text, edits, chunkSize), expected, `chunk size ${chunkSize}`);
    }
    assert.equal(applyEdits(text, []), text);
  });

  test('handles large documents edited all over (multi-cursor end-to-start, deletions, big pastes)', () => {
    const text = 'line of text\r\n'.repeat(2000);
    const cursors = Array.from({ length: 500 }, (_, i) => ({ offset: (499 - i) * 56, length: 4, text: 'LINE😀' }));
    const edits = [cursors, [{ offset: 100, length: 20_000, text: '' }], [{ offset: 5, length: 0, text: 'p'.repeat(9000) }], [{ offset: 0, length: 0, text: 'x' }]];
    const expected = edits.reduce((t, e) => applyChanges(t, e), text);
    assert.equal(applyEdits(text, edits), expected);
    assert.equal(applyEdits(text, edits, 64), expected);
  });

  test('a burst in the middle of a long text: only the touched region is rebuilt, the result is the same', () => {
    // Seeded, so a failure repeats: typing, backspaces, line breaks and a few replacements,
    // each near the previous one, anywhere from the start to the end of the text.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const text = 'export function f(x: number): number {\n  return x;\n}\n'.repeat(400);
    for (const start of [0, 1, 9_000, text.length - 3, text.length]) {
      for (let round = 0; round < 20; round++) {
        const edits: { offset: number; length: number; text: string }[][] = [];
        let current = text;
        let at = start;
        for (let k = 0; k < 1 + random(60); k++) {
          at = Math.max(0, Math.min(current.length, at + random(7) - 3));
          const length = random(4) === 0 ? Math.min(random(3), current.length - at) : 0;
          const inserted = ['a', '\n', '', 'xy', '😀'][random(5)];
          const change = { offset: at, length, text: inserted };
          edits.push([change]);
          current = applyChanges(current, [change]);
          at += inserted.length;
        }
        assert.equal(applyEdits(text, edits), current, `start ${start}, round ${round}`);
        assert.equal(applyEdits(text, edits, 16), current, `start ${start}, round ${round}, chunks of 16`);
      }
    }
  });

  test('reports which edit and change did not fit', () => {
    assert.throws(
      () => applyEdits('abc', [[{ offset: 0, length: 1, text: '' }], [{ offset: 0, length: 0, text: 'x' }, { offset: 9, length: 0, text: '' }]]),
      (e: unknown) => e instanceof ChangeRangeError && e.editIndex === 1 && e.changeIndex === 1 && e.textLength === 3,
    );
  });
});
