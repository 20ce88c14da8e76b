import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ORIGINS, type Origin } from '../../src/authorship/author';
import { splitLines } from '../../src/authorship/lines';
import { RunList, normalizeRuns, type Run } from '../../src/authorship/runs';
import { RemovedSpans } from '../../src/authorship/undo';
import { EDIT_CAUSES, type ChangeAttribution, type EditCause } from '../../src/trace/events';
import { AuthorshipEditor } from '../support/authorshipEditor';

/** One origin per code unit: the naive model the runs must agree with. */
function expand(runs: readonly Run[]): Origin[] {
  return runs.flatMap((r) => Array.from({ length: r.length }, () => r.origin));
}

function assertWellFormed(runs: readonly Run[]): void {
  for (let i = 0; i < runs.length; i++) {
    assert.ok(runs[i].length > 0, 'no empty run');
    assert.ok(i === 0 || runs[i - 1].origin !== runs[i].origin, 'neighbours differ');
  }
}

suite('authorship runs', () => {
  test('splice replaces a range and returns what it removed', () => {
    const list = new RunList([
      { origin: 'typed', length: 5 },
      { origin: 'pasted', length: 5 },
    ]);
    const removed = list.splice(3, 4, [{ origin: 'inline', length: 1 }]);
    assert.deepEqual(removed, [
      { origin: 'typed', length: 2 },
      { origin: 'pasted', length: 2 },
    ]);
    assert.deepEqual(list.toArray(), [
      { origin: 'typed', length: 3 },
      { origin: 'inline', length: 1 },
      { origin: 'pasted', length: 3 },
    ]);
    assert.equal(list.length, 7);
    assert.deepEqual(list.slice(2, 3), [
      { origin: 'typed', length: 1 },
      { origin: 'inline', length: 1 },
      { origin: 'pasted', length: 1 },
    ]);
    assert.throws(() => list.splice(6, 2, []), RangeError);
  });

  test('neighbours of one origin merge; empty runs vanish', () => {
    assert.deepEqual(
      normalizeRuns([
        { origin: 'typed', length: 1 },
        { origin: 'typed', length: 2 },
        { origin: 'pasted', length: 0 },
        { origin: 'typed', length: 1 },
      ]),
      [{ origin: 'typed', length: 4 }],
    );
  });

  test('the newest removal at the same offset and length is the one an undo restores', () => {
    const spans = new RemovedSpans();
    spans.push(4, [{ origin: 'pasted', length: 3 }]);
    spans.push(4, [{ origin: 'inline', length: 3 }]);
    spans.push(9, [{ origin: 'typed', length: 3 }]);
    assert.deepEqual(spans.take(4, 3), [{ origin: 'inline', length: 3 }]);
    assert.deepEqual(spans.take(4, 3), [{ origin: 'pasted', length: 3 }]);
    assert.equal(spans.take(4, 3), undefined);
    assert.equal(spans.take(9, 2), undefined);
  });

  test('property: thousands of splices over many blocks agree with one origin per code unit', () => {
    const originArb = fc.constantFrom(...ORIGINS);
    const opArb = fc.record({ at: fc.nat(), span: fc.nat({ max: 3 }), length: fc.nat({ max: 5 }), origin: originArb });
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 200, maxLength: 1500 }), (ops) => {
        const list = new RunList();
        let model: Origin[] = [];
        for (const op of ops) {
          const at = op.at % (model.length + 1);
          const span = Math.min(op.span, model.length - at);
          const removed = list.splice(at, span, [{ origin: op.origin, length: op.length }]);
          assert.deepEqual(expand(removed), model.slice(at, at + span));
          model = [...model.slice(0, at), ...Array.from({ length: op.length }, () => op.origin), ...model.slice(at + span)];
        }
        const runs = list.toArray();
        assertWellFormed(runs);
        assert.deepEqual(expand(runs), model);
        assert.equal(list.length, model.length);
      }),
      { seed: 20260213, numRuns: 40 },
    );
  });
});

// Text made of awkward pieces: CRLF, lone CR, tabs, surrogate pairs.
const PIECES = ['a', 'b', ' ', '\t', '\n', '\r\n', '\r', '😀', '中', ';'];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''));
const BYS: ChangeAttribution[] = [
  { by: 'terminal', program: 'node', confidence: 'high' },
  { by: 'terminal', program: 'claude', confidence: 'high' },
  { by: 'git', operation: 'checkout', confidence: 'high' },
  { by: 'extension', confidence: 'medium' },
  { by: 'unknown', confidence: 'low' },
];

type Op =
  | { kind: 'edit'; cuts: number[]; texts: string[]; cause: EditCause }
  | { kind: 'disk'; at: number; span: number; text: string; by: number }
  | { kind: 'snapshot'; at: number; span: number; text: string; by: number }
  | { kind: 'notice'; by: number }
  | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      cuts: fc.array(fc.nat(), { minLength: 2, maxLength: 6 }),
      texts: fc.array(textArb, { minLength: 3, maxLength: 3 }),
      cause: fc.constantFrom(...EDIT_CAUSES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disk' as const), at: fc.nat(), span: fc.nat({ max: 8 }), text: textArb, by: fc.nat({ max: BYS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), at: fc.nat(), span: fc.nat({ max: 8 }), text: textArb, by: fc.nat({ max: BYS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('notice' as const), by: fc.nat({ max: BYS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

suite('authorship tracker (property)', () => {
  test('under random edits the runs always sum to the text length, and the text is the replayed text', () => {
    fc.assert(
      fc.property(textArb, fc.array(opArb, { maxLength: 40 }), (initial, ops) => {
        const e = new AuthorshipEditor();
        const path = 'p.ts';
        e.open(path, initial);
        for (const op of ops) {
          const text = e.text(path);
          switch (op.kind) {
            case 'edit': {
              // Non-overlapping changes, end to start (as VS Code reports multi-cursor edits).
              const cuts = [...new Set(op.cuts.map((c) => c % (text.length + 1)))].sort((a, b) => b - a);
              const changes = [];
              for (let i = 0; i + 1 < cuts.length; i += 2) {
                changes.push({ offset: cuts[i + 1], length: cuts[i] - cuts[i + 1], text: op.texts[(i / 2) % op.texts.length] });
              }
              if (changes.length === 0) {
                changes.push({ offset: cuts[0], length: 0, text: op.texts[0] });
              }
              e.edit(path, changes, op.cause);
              break;
            }
            case 'disk': {
              const at = op.at % (text.length + 1);
              e.diskEdit(path, [{ offset: at, length: Math.min(op.span, text.length - at), text: op.text }], BYS[op.by]);
              break;
            }
            case 'snapshot': {
              const at = op.at % (text.length + 1);
              e.diskSnapshot(path, text.slice(0, at) + op.text + text.slice(at + op.span), 'changed', BYS[op.by]);
              break;
            }
            case 'notice':
              e.diskReloadNotice(path, BYS[op.by]);
              break;
            case 'reopen':
              e.feed(e.b.close(path));
              e.open(path, text);
              break;
          }
          const runs = e.tracker.runsOf(path) ?? [];
          assertWellFormed(runs);
          assert.equal(
            runs.reduce((sum, r) => sum + r.length, 0),
            e.text(path).length,
          );
          assert.equal(e.tracker.textOf(path), e.text(path));
          assert.equal(e.tracker.linesOf(path)?.length, splitLines(e.text(path)).length);
          assert.equal(e.tracker.characters, e.text(path).length);
        }
      }),
      { seed: 424242, numRuns: 300 },
    );
  });

  test('a reload’s attribution gives the same origins whether it comes after the reload or before it', () => {
    const changeArb = fc.record({ at: fc.nat(), span: fc.nat({ max: 6 }), text: textArb });
    fc.assert(
      fc.property(textArb, fc.array(changeArb, { minLength: 1, maxLength: 5 }), fc.nat({ max: BYS.length - 1 }), (initial, raw, by) => {
        // Changes applied in sequence, each anywhere in the text the previous ones left (they may overlap).
        let text = initial;
        const changes = raw.map(({ at, span, text: inserted }) => {
          const offset = at % (text.length + 1);
          const change = { offset, length: Math.min(span, text.length - offset), text: inserted };
          text = text.slice(0, offset) + inserted + text.slice(offset + change.length);
          return change;
        });
        const after = new AuthorshipEditor();
        after.open('p.ts', 'typed:');
        after.insert('p.ts', 0, initial, 'typing');
        after.edit('p.ts', changes, 'external');
        after.diskReloadNotice('p.ts', BYS[by]);
        const before = new AuthorshipEditor();
        before.open('p.ts', 'typed:');
        before.insert('p.ts', 0, initial, 'typing');
        before.diskReloadNotice('p.ts', BYS[by]);
        before.edit('p.ts', changes, 'external');
        assert.deepEqual(after.tracker.runsOf('p.ts'), before.tracker.runsOf('p.ts'));
      }),
      { seed: 777, numRuns: 500 },
    );
  });
});
