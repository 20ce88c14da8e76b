import * as assert from 'node:assert/strict';
import { LineSplitter, type SplitItem } from '../../src/trace/lineSplitter';

/** Splits `input` fed as the given chunks. */
function split(chunks: (string | Uint8Array)[], maxLineBytes?: number): { items: SplitItem[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(maxLineBytes);
  const items: SplitItem[] = [];
  for (const chunk of chunks) {
    items.push(...splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
  }
  items.push(...splitter.end());
  return { items, splitter };
}

function texts(items: SplitItem[]): (string | SplitItem)[] {
  return items.map((i) => (i.kind === 'line' ? i.text : i));
}

suite('LineSplitter', () => {
  test('splits at \\n, drops the \\r of \\r\\n, keeps blank lines and a last line without newline', () => {
    const { items } = split(['a\r\nbb\n\ncc']);
    assert.deepEqual(items, [
      { kind: 'line', line: 1, text: 'a' },
      { kind: 'line', line: 2, text: 'bb' },
      { kind: 'line', line: 3, text: '' },
      { kind: 'line', line: 4, text: 'cc' },
    ]);
    assert.deepEqual(texts(split(['x\n']).items), ['x']);
    assert.deepEqual(split([]).items, []);
  });

  test('puts lines and UTF-8 characters split across chunks back together, at every cut', () => {
    const text = 'é😀中\r\nline two 𠮷\nthird\r\n';
    const bytes = Buffer.from(text, 'utf8');
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b += 3) {
        const { items } = split([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
        assert.deepEqual(texts(items), ['é😀中', 'line two 𠮷', 'third'], `cuts at ${a}, ${b}`);
      }
    }
  });

  test('a \\r\\n split between chunks is one line end', () => {
    assert.deepEqual(texts(split(['one\r', '\ntwo']).items), ['one', 'two']);
  });

  test('a line longer than the limit is skipped and reported with its length; the next lines are read', () => {
    const { items } = split(['ok\n', 'x'.repeat(7), 'y'.repeat(7), 'z\nafter\n', 'exactly10!\n', 'eleven....!'], 10);
    assert.deepEqual(texts(items), ['ok', { kind: 'too-long', line: 2, bytes: 15 }, 'after', 'exactly10!', { kind: 'too-long', line: 5, bytes: 11 }]);
  });

  test('memory stays bounded by the limit plus one chunk, however long the line', () => {
    const limit = 1000;
    const chunk = Buffer.alloc(64, 0x61);
    const splitter = new LineSplitter(limit);
    const items: SplitItem[] = [];
    for (let i = 0; i < 10_000; i++) {
      items.push(...splitter.push(chunk));
      assert.ok(splitter.bufferedBytes <= limit);
    }
    items.push(...splitter.push(Buffer.from('\nnext\n')));
    assert.deepEqual(texts(items), [{ kind: 'too-long', line: 1, bytes: 640_000 }, 'next']);
    assert.ok(splitter.highWaterBytes <= limit + chunk.length, `high water ${splitter.highWaterBytes}`);
    assert.ok(splitter.highWaterBytes > limit / 2, 'the counter does count what is held');
  });

  test('invalid UTF-8 is reported as such, not decoded into replacement characters', () => {
    const { items } = split([Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), 'fine\n']);
    assert.deepEqual(texts(items), [{ kind: 'not-utf8', line: 1, bytes: 4 }, 'fine']);
  });

  test('rejects a limit that is not a positive integer', () => {
    assert.throws(() => new LineSplitter(0), RangeError);
    assert.throws(() => new LineSplitter(1.5), RangeError);
  });
});
