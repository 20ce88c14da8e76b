/**
 * Hit-testing, apart from drawing: which item is under a point of the plot, from the
 * spatial index (one lane, a few pixels of time around the point), never from pixels.
 */
import type { ItemColumns } from './columns';
import { MARK_WIDTH } from './lod';
import type { SpatialIndex } from './spatialIndex';
import { timeAt, type Viewport } from './viewport';

export interface Hit {
  item: number;
  /** Items within reach of the point (several when they share pixels at this zoom). */
  count: number;
}

export interface HitInput {
  items: ItemColumns;
  index: SpatialIndex;
  rows: readonly number[];
  view: Viewport;
  rowHeight: number;
  scrollTop: number;
}

/** The row under y (px from the plot's top), or -1. */
export function rowAt(y: number, rowHeight: number, scrollTop: number, rowCount: number): number {
  const row = Math.floor((y + scrollTop) / rowHeight);
  return row >= 0 && row < rowCount ? row : -1;
}

/**
 * The item under (x, y), within `tolerancePx`: one whose span covers the point, else the
 * nearest; among equals the shortest (the most specific), then the latest.
 */
export function hitTest(input: HitInput, x: number, y: number, tolerancePx = 3): Hit | undefined {
  const { items, index, rows, view, rowHeight, scrollTop } = input;
  const row = rowAt(y, rowHeight, scrollTop, rows.length);
  if (row < 0) {
    return undefined;
  }
  const lane = rows[row];
  const t = timeAt(view, x);
  // A mark or bucketed item is drawn MARK_WIDTH wide: it reaches that far beyond its time.
  const reachPx = tolerancePx + MARK_WIDTH / 2;
  const reach = reachPx * view.msPerPx;
  const order = index.range(lane, t - reach, t + reach);
  if (!order) {
    return undefined;
  }
  let best = -1;
  let bestDistance = Infinity;
  let bestDuration = Infinity;
  let count = 0;
  for (let k = index.lo; k < index.hi; k++) {
    const i = order.order[k];
    const s = items.start[i];
    const d = items.duration[i];
    const e = s + d;
    const narrow = d / view.msPerPx < 1;
    const distancePx = t >= s && t <= e ? 0 : Math.min(Math.abs(t - s), Math.abs(t - e)) / view.msPerPx;
    const allowed = narrow ? reachPx : tolerancePx;
    if (distancePx > allowed) {
      continue;
    }
    count++;
    if (distancePx < bestDistance || (distancePx === bestDistance && (d < bestDuration || (d === bestDuration && i > best)))) {
      best = i;
      bestDistance = distancePx;
      bestDuration = d;
    }
  }
  return best < 0 ? undefined : { item: best, count };
}
