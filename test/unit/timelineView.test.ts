import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Colour, ItemKind, RunStatus } from '../../src/timeline/codes';
import { ItemColumns, type ItemValues } from '../../src/timeline/columns';
import { hitTest, rowAt } from '../../src/timeline/hitTest';
import { Buckets, buildDrawList, DrawList, LABEL_MIN_WIDTH, MARK_WIDTH, ROW_HEIGHT } from '../../src/timeline/lod';
import { SpatialIndex } from '../../src/timeline/spatialIndex';
import { tickPrecision, tickStep, tickTimes } from '../../src/timeline/ticks';
import { clampView, endOf, ensureVisible, fit, MIN_MS_PER_PX, panBy, timeAt, xOf, zoomAt, type Viewport } from '../../src/timeline/viewport';

function scene(items: Partial<ItemValues>[]): { c: ItemColumns; index: SpatialIndex } {
  const c = new ItemColumns();
  for (const it of items) {
    c.push({ start: 0, duration: 0, lane: 0, kind: ItemKind.Commit, status: 0, flags: 0, intensity: 0, ...it });
  }
  const index = new SpatialIndex(c);
  index.add(0, c.count);
  return { c, index };
}

function draw(c: ItemColumns, index: SpatialIndex, view: Viewport, rows = [0], height = 200): DrawList {
  const out = new DrawList();
  buildDrawList({ items: c, index, rows, view, rowHeight: ROW_HEIGHT, scrollTop: 0, height }, out, new Buckets());
  return out;
}

suite('timeline viewport', () => {
  test('zooming keeps the time under the pointer where it is', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e7, noNaN: true }), fc.double({ min: 0.1, max: 1e4, noNaN: true }), fc.integer({ min: 0, max: 1200 }), fc.double({ min: 0.2, max: 5, noNaN: true }), (start, msPerPx, x, factor) => {
        const view = { start, msPerPx, width: 1200 };
        const zoomed = zoomAt(view, x, factor, 1.44e7);
        assert.ok(Math.abs(timeAt(zoomed, x) - timeAt(view, x)) < 1e-6 * Math.max(1, Math.abs(timeAt(view, x))));
      }),
    );
  });

  test('zoom is bounded both ways', () => {
    const view = { start: 0, msPerPx: 1, width: 1000 };
    assert.equal(zoomAt(view, 0, 1e9, 1e6).msPerPx, MIN_MS_PER_PX);
    assert.ok(zoomAt(view, 0, 1e-9, 1e6).msPerPx <= 60_000);
  });

  test('pan, fit, clamp and keeping an item in view', () => {
    const view = { start: 1000, msPerPx: 10, width: 500 };
    assert.equal(panBy(view, 50).start, 500, 'dragging right shows earlier times');
    const f = fit(0, 14_400_000, 1000);
    assert.ok(f.start <= 0 && endOf(f) >= 14_400_000);
    assert.ok(f.msPerPx < 14_400_000 / 1000 * 1.1);
    const far = clampView({ start: 1e9, msPerPx: 10, width: 100 }, 0, 10_000);
    assert.ok(far.start <= 10_000 && endOf(far) > 10_000, 'some of the session stays in view');
    const shown = ensureVisible(view, 9000, 9100);
    assert.ok(xOf(shown, 9000) >= 0 && xOf(shown, 9100) <= 500);
    assert.equal(ensureVisible(view, 2000, 2100), view, 'already visible: no move');
  });
});

suite('timeline ticks', () => {
  test('a round step at least the minimum apart', () => {
    assert.equal(tickStep(1000 / 90), 1000);
    assert.equal(tickStep(60_000 / 100), 60_000);
    assert.equal(tickStep(10), 1000);
    assert.equal(tickPrecision(500), 'millis');
    assert.equal(tickPrecision(15_000), 'seconds');
    assert.equal(tickPrecision(3_600_000), 'minutes');
  });

  test('ticks fall on local multiples of the step', () => {
    const hour = 3_600_000;
    const offset = 5.5 * hour; // a half-hour time zone
    const times = tickTimes(Date.UTC(2025, 0, 1, 0, 10), Date.UTC(2025, 0, 1, 4, 0), hour, offset);
    assert.equal(times.length, 4);
    for (const t of times) {
      assert.equal((t + offset) % hour, 0);
    }
  });
});

suite('timeline level of detail', () => {
  test('ten thousand marks in 100 pixels: one bucket per pixel column, drawn as one run', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ start: i * 10 }));
    const { c, index } = scene(items);
    const view = { start: 0, msPerPx: 1000, width: 100 };
    const list = draw(c, index, view);
    assert.equal(list.items, 0);
    assert.equal(list.bucketed, 10_000);
    assert.equal(list.columns, 100);
    assert.equal(list.rectCount, 1, 'touching columns of one colour make one rectangle');
    const r = list.rects[Colour.Git];
    assert.deepEqual([r[0], r[2]], [-1, 100 + MARK_WIDTH - 1]);
    assert.equal(list.labelCount, 0);
  });

  test('columns apart, or of another colour, stay separate rectangles', () => {
    const { c, index } = scene([
      { start: 0 },
      { start: 10_000 },
      { start: 20_000, kind: ItemKind.Command, status: RunStatus.Failed },
    ]);
    const list = draw(c, index, { start: 0, msPerPx: 1000, width: 100 });
    assert.equal(list.columns, 3);
    assert.equal(list.counts[Colour.Git], 2);
    assert.equal(list.counts[Colour.Fail], 1);
  });

  test('a failure wins its pixel column', () => {
    const { c, index } = scene([
      { start: 100, kind: ItemKind.Command, status: RunStatus.Ok },
      { start: 150, kind: ItemKind.Command, status: RunStatus.Failed },
      { start: 180, kind: ItemKind.Command, status: RunStatus.Ok },
    ]);
    const list = draw(c, index, { start: 0, msPerPx: 1000, width: 50 });
    assert.equal(list.columns, 1);
    assert.equal(list.counts[Colour.Fail], 1);
    assert.equal(list.counts[Colour.Ok], 0);
  });

  test('wide items are rectangles; labels only where they fit', () => {
    const { c, index } = scene([
      { start: 0, duration: 1000, kind: ItemKind.Command, status: RunStatus.Ok },
      { start: 2000, duration: 100, kind: ItemKind.Command, status: RunStatus.Ok },
    ]);
    const list = draw(c, index, { start: 0, msPerPx: 10, width: 400 });
    assert.equal(list.items, 2);
    assert.equal(list.counts[Colour.Ok], 2);
    const widths = [list.rects[Colour.Ok][2], list.rects[Colour.Ok][6]];
    assert.deepEqual(widths, [100, 10]);
    assert.equal(list.labelCount, 1, `only the ${LABEL_MIN_WIDTH}px-or-wider one`);
    assert.equal(list.labelItems[0], 0);
  });

  test('rows out of view and items out of the time range are not drawn', () => {
    const { c, index } = scene([
      { start: 100, duration: 100, lane: 0 },
      { start: 100, duration: 100, lane: 1 },
      { start: 1e7, duration: 100, lane: 0 },
    ]);
    const list = draw(c, index, { start: 0, msPerPx: 1, width: 500 }, [0, 1], ROW_HEIGHT - 1);
    assert.equal(list.items + list.bucketed, 1, 'only lane 0 (row 0) is in view, and only its first item');
  });
});

suite('timeline hit-testing', () => {
  const input = (c: ItemColumns, index: SpatialIndex, view: Viewport, rows = [0, 1]) => ({ items: c, index, rows, view, rowHeight: ROW_HEIGHT, scrollTop: 0 });

  test('the item under the point, a mark within reach, nothing far away or outside the rows', () => {
    const { c, index } = scene([
      { start: 1000, duration: 2000, lane: 0, kind: ItemKind.Command },
      { start: 5000, duration: 0, lane: 1 },
    ]);
    const view = { start: 0, msPerPx: 10, width: 1000 };
    assert.equal(hitTest(input(c, index, view), 150, 5)?.item, 0);
    assert.equal(hitTest(input(c, index, view), 500 + MARK_WIDTH, ROW_HEIGHT + 5)?.item, 1);
    assert.equal(hitTest(input(c, index, view), 520, ROW_HEIGHT + 5), undefined);
    assert.equal(hitTest(input(c, index, view), 150, ROW_HEIGHT * 2 + 1), undefined);
    assert.equal(rowAt(-1, ROW_HEIGHT, 0, 2), -1);
  });

  test('overlapping items: the most specific (shortest) wins; the count says how many are there', () => {
    const { c, index } = scene([
      { start: 0, duration: 60_000, kind: ItemKind.Debug },
      { start: 30_000, duration: 0, kind: ItemKind.DebugStop },
    ]);
    const hit = hitTest(input(c, index, { start: 0, msPerPx: 100, width: 1000 }), 300, 5);
    assert.equal(hit?.item, 1);
    assert.equal(hit?.count, 2);
  });

  test('zoomed out, the items sharing a pixel column are counted', () => {
    const { c, index } = scene(Array.from({ length: 50 }, (_, i) => ({ start: 10_000 + i })));
    const hit = hitTest(input(c, index, { start: 0, msPerPx: 1000, width: 100 }), 10, 5);
    assert.ok(hit);
    assert.equal(hit.count, 50);
  });
});
