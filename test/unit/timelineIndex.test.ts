import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ItemColumns } from '../../src/timeline/columns';
import { SpatialIndex } from '../../src/timeline/spatialIndex';

interface Item {
  start: number;
  duration: number;
  lane: number;
}

const item = fc.record({ start: fc.integer({ min: 0, max: 10_000 }), duration: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 })), lane: fc.integer({ min: 0, max: 3 }) });

function columns(items: Item[]): ItemColumns {
  const c = new ItemColumns();
  for (const it of items) {
    c.push({ ...it, kind: 0, status: 0, flags: 0, intensity: 0 });
  }
  return c;
}

/** The items of `lane` the index returns for [t0, t1], after the caller's end check. */
function query(index: SpatialIndex, c: ItemColumns, lane: number, t0: number, t1: number): number[] {
  const order = index.range(lane, t0, t1);
  const out: number[] = [];
  for (let k = index.lo; order && k < index.hi; k++) {
    const i = order.order[k];
    if (c.end(i) >= t0) {
      out.push(i);
    }
  }
  return out.sort((a, b) => a - b);
}

function brute(c: ItemColumns, lane: number, t0: number, t1: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < c.count; i++) {
    if (c.lane[i] === lane && c.start[i] <= t1 && c.end(i) >= t0) {
      out.push(i);
    }
  }
  return out;
}

suite('timeline spatial index', () => {
  test('finds exactly the items of a lane that overlap a range, whatever order and batches they came in', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 120 }), fc.array(fc.integer({ min: 1, max: 119 }), { maxLength: 5 }), fc.array(fc.tuple(fc.integer({ min: -500, max: 14_000 }), fc.integer({ min: 0, max: 4_000 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 20 }), (items, cuts, queries) => {
        const c = columns(items);
        const index = new SpatialIndex(c);
        const points = [0, ...cuts.filter((x) => x < items.length).sort((a, b) => a - b), items.length];
        for (let k = 0; k + 1 < points.length; k++) {
          index.add(points[k], points[k + 1]);
        }
        for (const [t0, span, lane] of queries) {
          assert.deepEqual(query(index, c, lane, t0, t0 + span), brute(c, lane, t0, t0 + span));
        }
        // The events list order: all items by start.
        const all = Array.from(index.all.order.subarray(0, index.all.count));
        assert.equal(all.length, items.length);
        for (let k = 1; k < all.length; k++) {
          assert.ok(c.start[all[k - 1]] <= c.start[all[k]]);
        }
        for (let i = 0; i < items.length; i++) {
          assert.equal(all[index.all.positionOf(i)], i);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('an item that grows (an open band, a debug session that ended) is found over its new span', () => {
    const c = columns([
      { start: 0, duration: 0, lane: 0 },
      { start: 100, duration: 10, lane: 0 },
      { start: 200, duration: 10, lane: 0 },
    ]);
    const index = new SpatialIndex(c);
    index.add(0, 3);
    assert.deepEqual(query(index, c, 0, 150, 160), []);
    c.duration[0] = 500;
    index.changed(0);
    assert.deepEqual(query(index, c, 0, 150, 160), [0]);
    assert.deepEqual(query(index, c, 0, 150, 160), brute(c, 0, 150, 160));
  });

  test('an unknown lane has nothing', () => {
    const c = columns([{ start: 0, duration: 10, lane: 0 }]);
    const index = new SpatialIndex(c);
    index.add(0, 1);
    assert.deepEqual(query(index, c, 7, 0, 100), []);
  });
});
