import * as assert from 'node:assert/strict';
import { chunkMessages } from '../../src/timeline/chunks';
import { ItemColumns } from '../../src/timeline/columns';
import { TimelineModel } from '../../src/timeline/model';
import { parsePageMessage } from '../../src/timeline/protocol';
import { T0, TraceBuilder } from './timelineStory';

function commands(n: number, from = 0): TimelineModel {
  const b = new TraceBuilder();
  for (let i = 0; i < n; i++) {
    b.add('terminal.command', from + i, { commandLine: `echo ${i}`, confidence: 'high', cwd: '.', exitCode: i % 3 === 0 ? 1 : 0, startTs: T0 + (from + i) * 1000, durationMs: 500, terminal: 'bash', after: [] }, `c${from + i}`);
  }
  const model = new TimelineModel();
  model.append(b.events);
  return model;
}

suite('timeline chunks', () => {
  test('items go in chunks of the given size with their own buffers; lanes and updates ride in the first', () => {
    const model = commands(12);
    const messages = chunkMessages(model, { generation: 3, from: 0, lanesFrom: 0, updated: [], size: 5 });
    assert.deepEqual(
      messages.map((m) => [m.base, m.start.length]),
      [
        [0, 5],
        [5, 5],
        [10, 2],
      ],
    );
    assert.equal(messages[0]?.lanes.length, 1);
    assert.equal(messages[1]?.lanes.length, 0);
    for (const m of messages) {
      assert.equal(m.generation, 3);
      assert.equal(m.start.buffer.byteLength, m.start.length * 8, 'a copy, not a view of the whole column');
      assert.equal(m.summary.length, m.start.length);
    }
  });

  test('written into page columns at their bases, the chunks rebuild the model columns exactly', () => {
    const model = commands(23);
    const page = new ItemColumns();
    // Out of order on purpose: each chunk says where it goes.
    for (const m of chunkMessages(model, { generation: 1, from: 0, lanesFrom: 0, updated: [], size: 7 }).reverse()) {
      page.write(m.base, m);
    }
    assert.equal(page.count, model.count);
    for (let i = 0; i < model.count; i++) {
      assert.deepEqual(page.get(i), model.items.get(i));
    }
  });

  test('plain arrays (a serializer without typed arrays) are written the same way', () => {
    const model = commands(4);
    const [m] = chunkMessages(model, { generation: 1, from: 0, lanesFrom: 0, updated: [] });
    assert.ok(m);
    const plain = { start: Array.from(m.start), duration: Array.from(m.duration), lane: Array.from(m.lane), kind: Array.from(m.kind), status: Array.from(m.status), flags: Array.from(m.flags), intensity: Array.from(m.intensity) };
    const page = new ItemColumns();
    page.write(0, plain);
    assert.deepEqual(page.get(3), model.items.get(3));
  });

  test('only what the page lacks: items from `from`, updates of items it has, an empty chunk only when forced', () => {
    const model = commands(10);
    const messages = chunkMessages(model, { generation: 1, from: 8, lanesFrom: 1, updated: [2, 9], size: 100 });
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.base, 8);
    assert.equal(messages[0]?.start.length, 2);
    assert.deepEqual(
      messages[0]?.updates.map((u) => u.index),
      [2],
    );
    assert.deepEqual(chunkMessages(model, { generation: 1, from: 10, lanesFrom: 1, updated: [] }), []);
    const forced = chunkMessages(model, { generation: 1, from: 10, lanesFrom: 1, updated: [], force: true });
    assert.equal(forced.length, 1);
    assert.equal(forced[0]?.start.length, 0);
    assert.equal(forced[0]?.extent.last, model.lastTs);
  });
});

suite('timeline protocol: messages from the page are checked', () => {
  test('well-formed messages pass', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', state: null }), { type: 'ready', state: null });
    assert.deepEqual(parsePageMessage({ type: 'ready', state: { sessionId: 's', start: 5, msPerPx: 2, scrollTop: 0, selected: 3, follow: true } })?.type, 'ready');
    assert.deepEqual(parsePageMessage({ type: 'pickSession', id: 's1' }), { type: 'pickSession', id: 's1' });
    assert.deepEqual(parsePageMessage({ type: 'requestDetails', generation: 2, index: 0 }), { type: 'requestDetails', generation: 2, index: 0 });
    assert.deepEqual(parsePageMessage({ type: 'openLocation', path: 'src/a.ts', line: 3 }), { type: 'openLocation', path: 'src/a.ts', line: 3 });
  });

  test('malformed ones are refused', () => {
    for (const bad of [
      null,
      'ready',
      { type: 'nope' },
      { type: 'pickSession' },
      { type: 'pickSession', id: '' },
      { type: 'requestDetails', generation: 1, index: -1 },
      { type: 'requestDetails', generation: 1, index: 1.5 },
      { type: 'openLocation', path: 'a', line: 0 },
      { type: 'openLocation', path: 7, line: 1 },
      { type: 'state', state: { start: 'x' } },
      { type: 'state', state: { selected: -2 } },
    ]) {
      assert.equal(parsePageMessage(bad), undefined, JSON.stringify(bad));
    }
    assert.deepEqual(parsePageMessage({ type: 'ready', state: { start: 'x' } }), { type: 'ready', state: null }, 'a damaged saved state is dropped, the page still starts');
  });
});
