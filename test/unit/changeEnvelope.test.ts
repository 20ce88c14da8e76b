import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { changeEnvelope } from '../../src/trace/changeEnvelope';
import type { ContentChange } from '../../src/trace/events';
import { textAndEdits } from '../support/textAndEdits';

suite('changeEnvelope', () => {
  test('no change: undefined; one insertion: its span', () => {
    assert.equal(changeEnvelope([]), undefined);
    assert.equal(changeEnvelope([[]]), undefined);
    assert.deepEqual(changeEnvelope([[{ offset: 5, length: 2, text: 'abc' }]]), { lo: 5, hi: 8, delta: 1 });
  });

  test('typing forward: from the first keystroke to after the last', () => {
    const keys = 'hello'.split('').map((ch, i): ContentChange[] => [{ offset: 10 + i, length: 0, text: ch }]);
    assert.deepEqual(changeEnvelope(keys), { lo: 10, hi: 15, delta: 5 });
  });

  test('outside the envelope the texts before and after are the same (property)', () => {
    fc.assert(
      fc.property(textAndEdits, ({ text, edits, after }) => {
        const e = changeEnvelope(edits);
        if (!e) return;
        assert.equal(after.length - text.length, e.delta);
        assert.equal(after.slice(0, e.lo), text.slice(0, e.lo), 'common prefix');
        assert.equal(after.slice(e.hi), text.slice(e.hi - e.delta), 'common suffix');
      }),
      { numRuns: 3_000 },
    );
  });
});
