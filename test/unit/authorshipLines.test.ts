import * as assert from 'node:assert/strict';
import { ORIGINS, type Origin } from '../../src/authorship/author';
import fc from 'fast-check';
import { classifyLines, classifySomeLines, decideLine, lineSpans, splitLines, splitLinesKeepingBreaks } from '../../src/authorship/lines';
import type { Run } from '../../src/authorship/runs';

/** Counts per origin, as decideLine takes them. */
function counts(entries: Partial<Record<Origin, number>>): number[] {
  return ORIGINS.map((o) => entries[o] ?? 0);
}

/** Runs from a compact spec: [origin, text] pieces; returns the text and its runs. */
function doc(...pieces: [Origin, string][]): { text: string; runs: Run[] } {
  return { text: pieces.map((p) => p[1]).join(''), runs: pieces.map(([origin, t]) => ({ origin, length: t.length })) };
}

suite('authorship lines: splitting', () => {
  test('splits as VS Code does: CRLF, LF and a lone CR end a line; a final break leaves an empty last line', () => {
    assert.deepEqual(splitLines('a\r\nb\nc\rd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(splitLines('a\n'), ['a', '']);
    assert.deepEqual(splitLines(''), ['']);
    assert.deepEqual(lineSpans('ab\r\ncd'), [
      { start: 0, end: 2, next: 4 },
      { start: 4, end: 6, next: 6 },
    ]);
    assert.deepEqual(splitLinesKeepingBreaks('a\r\nb\n\nc'), ['a\r\n', 'b\n', '\n', 'c']);
    assert.equal(splitLinesKeepingBreaks('x\r\ny\r').join(''), 'x\r\ny\r');
  });
});

suite('authorship lines: the mixed-line rule', () => {
  test('the majority of non-whitespace characters decides', () => {
    assert.equal(decideLine(counts({ typed: 5, inline: 4 })).author, 'typed');
    assert.equal(decideLine(counts({ typed: 4, inline: 5 })).author, 'completion');
    // completion-list suggestions, snippets and inline completions add up as one author class
    assert.equal(decideLine(counts({ typed: 5, inline: 2, suggestion: 2, snippet: 2 })).author, 'completion');
  });

  test('ties follow the tie order: machine-written text over the hand, written text over a formatter or refactoring', () => {
    assert.equal(decideLine(counts({ typed: 3, inline: 3 })).author, 'completion');
    assert.equal(decideLine(counts({ typed: 3, assistant: 3 })).author, 'assistant');
    assert.equal(decideLine(counts({ typed: 3, formatter: 3 })).author, 'typed');
    assert.equal(decideLine(counts({ pasted: 3, refactor: 3 })).author, 'pasted');
    assert.equal(decideLine(counts({ agent: 2, pasted: 2 })).author, 'tool');
  });

  test('unknown characters decide only alone', () => {
    assert.deepEqual(decideLine(counts({ unknown: 40, typed: 1 })), { author: 'typed', contribution: 'human' });
    assert.deepEqual(decideLine(counts({ unknown: 40 })), { author: 'unknown', contribution: 'unknown' });
    assert.deepEqual(decideLine(counts({})), { author: 'unknown', contribution: 'unknown' });
  });

  test('contribution: mixed when human and AI characters meet; else the larger of the known class and the unknown class', () => {
    assert.equal(decideLine(counts({ typed: 1, inline: 9 })).contribution, 'mixed');
    assert.equal(decideLine(counts({ suggestion: 1, agent: 9 })).contribution, 'mixed');
    assert.equal(decideLine(counts({ inline: 3, pasted: 3 })).contribution, 'ai');
    assert.equal(decideLine(counts({ inline: 2, pasted: 3 })).contribution, 'unknown');
    assert.equal(decideLine(counts({ typed: 3, formatter: 1 })).contribution, 'human');
    assert.equal(decideLine(counts({ tool: 3 })).contribution, 'unknown');
  });

  test('whitespace never takes a line whose non-whitespace characters someone wrote', () => {
    const { text, runs } = doc(['formatter', '        '], ['typed', 'x'], ['formatter', '\t  \n']);
    assert.deepEqual(
      classifyLines(text, runs).map((l) => l.author),
      ['typed', 'formatter'],
    );
  });

  test('a whitespace-only line goes by its whitespace; an empty line by its line break', () => {
    const { text, runs } = doc(['typed', 'a\n'], ['formatter', '    \n'], ['pasted', '\n'], ['typed', 'b']);
    assert.deepEqual(
      classifyLines(text, runs).map((l) => l.author),
      ['typed', 'formatter', 'pasted', 'typed'],
    );
  });

  test('an empty line whose own break is unknown goes by the break before it (Enter at the end of a line)', () => {
    // "old\nnext" with Enter typed after "old": the typed break comes before the old one.
    const { text, runs } = doc(['unknown', 'old'], ['typed', '\n'], ['unknown', '\nnext']);
    assert.deepEqual(
      classifyLines(text, runs).map((l) => l.author),
      ['unknown', 'typed', 'unknown'],
    );
  });

  test('CRLF line breaks are not characters of the line', () => {
    const { text, runs } = doc(['typed', 'ab'], ['inline', '\r\n'], ['inline', 'cd\r\n']);
    assert.deepEqual(
      classifyLines(text, runs).map((l) => l.author),
      ['typed', 'completion', 'completion'],
    );
  });

  test('non-BMP characters count as two code units, as VS Code counts them', () => {
    const { text, runs } = doc(['typed', '😀'], ['inline', 'abc']);
    assert.equal(classifyLines(text, runs)[0].author, 'completion');
    const other = doc(['typed', '😀😀'], ['inline', 'abc']);
    assert.equal(classifyLines(other.text, other.runs)[0].author, 'typed');
  });
});

suite('authorship lines: some lines only', () => {
  test('classifying some lines gives what classifying all of them gives, for those lines', () => {
    const piece = fc.record({ text: fc.constantFrom('a', ' ', '\n', '\r\n', '\r', 'xy', '\t', '😀'), origin: fc.constantFrom(...ORIGINS) });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 12 }), (pieces, wanted) => {
        const text = pieces.map((p) => p.text).join('');
        const runs: Run[] = pieces.map((p) => ({ origin: p.origin, length: p.text.length }));
        const all = classifyLines(text, runs);
        const some = classifySomeLines(text, runs, wanted);
        const expected = new Map([...new Set(wanted)].filter((l) => l >= 0 && l < all.length).map((l) => [l, all[l]]));
        assert.deepEqual(new Map([...some].sort((a, b) => a[0] - b[0])), new Map([...expected].sort((a, b) => a[0] - b[0])));
      }),
      { numRuns: 300 },
    );
  });
});
