import * as assert from 'node:assert/strict';
import type { DocState } from '../../src/replay/replay';
import { renderView } from '../../src/replay/view';
import type { TraceEvent } from '../../src/trace/events';
import { TraceBuilder } from '../support/traceBuilder';

function doc(text: string, replayable = true): DocState {
  return { text, eol: '\n', languageId: 'plaintext', version: 1, replayable };
}

suite('renderView', () => {
  const b = new TraceBuilder('view');
  const view = b.view('a.txt', [{ start: 2, end: 3 }]);

  test('numbers lines as VS Code counts them (\\r\\n, \\n and a lone \\r end a line)', () => {
    const rendering = renderView(view, 'view', view.seq, new Map([['a.txt', doc('one\r\ntwo\rthree\nfour')]]));
    assert.deepEqual(rendering, { ok: true, lines: ['a.txt lines 2–3', '2 | two', '3 | three'], warnings: [] });
  });

  test('skips unusable ranges; fails when none is usable', () => {
    const mixed = { ...view, ranges: [null, { start: 0, end: 1 }, { start: 3, end: 2 }, { start: '1', end: 2 }, { start: 1, end: 1 }] } as unknown as TraceEvent;
    const rendering = renderView(mixed, 'view', view.seq, new Map([['a.txt', doc('x\ny')]]));
    assert.deepEqual(rendering, { ok: true, lines: ['a.txt lines 1–1', '1 | x'], warnings: [] });
    for (const ranges of [[], 'lines 1-2', null, [{ start: 1.5, end: 2 }]]) {
      const bad = { ...view, ranges } as unknown as TraceEvent;
      const result = renderView(bad, 'view', view.seq, new Map([['a.txt', doc('x')]]));
      assert.deepEqual(result, { ok: false, message: `the editor.view event at seq ${view.seq} has no valid line ranges` }, JSON.stringify(ranges));
    }
  });

  test('fails for a missing path, a document with no state or one not replayable', () => {
    const noPath = { ...view, path: 42 } as unknown as TraceEvent;
    assert.equal(renderView(noPath, 'view', view.seq, new Map()).ok, false);
    const missing = renderView(view, 'view', view.seq, new Map());
    assert.deepEqual(missing, { ok: false, message: `a.txt is not replayable at seq ${view.seq}: the trace has no content for it` });
    const stale = renderView(view, 'view', view.seq, new Map([['a.txt', { ...doc('', false), reason: 'file.bulk seq 9 changed it' }]]));
    assert.deepEqual(stale, { ok: false, message: `a.txt is not replayable at seq ${view.seq} (file.bulk seq 9 changed it)` });
  });
});
