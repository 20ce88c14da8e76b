/**
 * Level of detail: what to draw for the visible lanes and time range. Items at least a pixel
 * wide become rectangles (with a label when there is room); items narrower than a pixel,
 * marks included, are bucketed per lane per pixel column, and each column is drawn once in
 * the colour of its most notable item (a failure wins). The result is a draw list of
 * rectangles grouped by colour, so the renderer sets each fill style once per frame; the
 * buffers are reused from frame to frame. No DOM here: the page's renderer paints the list.
 */
import { COLOUR_COUNT, COLOUR_PRIORITY, colourOf, isBand, ItemKind, scalesWithIntensity } from './codes';
import type { ItemColumns } from './columns';
import type { SpatialIndex } from './spatialIndex';
import type { Viewport } from './viewport';

export const ROW_HEIGHT = 24;
/** Space above and below a bar inside its row. */
export const BAR_PAD = 4;
/** Width of a mark or of a pixel column of bucketed items. */
export const MARK_WIDTH = 3;
/** Narrowest bar that gets a label. */
export const LABEL_MIN_WIDTH = 40;
/** Lines changed that make a full-height bar. */
const FULL_INTENSITY = 64;

export interface LodInput {
  items: ItemColumns;
  index: SpatialIndex;
  /** Lane index of each display row. */
  rows: readonly number[];
  view: Viewport;
  rowHeight: number;
  /** Vertical scroll of the rows, px. */
  scrollTop: number;
  /** Height of the plot, px. */
  height: number;
}

/** Height of an item's bar in a row. */
export function barHeight(kind: number, intensity: number, rowHeight: number): number {
  if (isBand(kind)) {
    return rowHeight - 2;
  }
  const inner = rowHeight - 2 * BAR_PAD;
  if (kind === ItemKind.Save) {
    return Math.max(3, Math.round(inner * 0.4)); // a save is a small tick beside the edits
  }
  if (!scalesWithIntensity(kind)) {
    return inner;
  }
  const f = Math.min(1, Math.log2(1 + Math.max(0, intensity)) / Math.log2(1 + FULL_INTENSITY));
  return Math.max(3, Math.round(inner * (0.35 + 0.65 * f)));
}

function growF(a: Float32Array<ArrayBuffer>, size: number): Float32Array<ArrayBuffer> {
  if (size <= a.length) {
    return a;
  }
  const b = new Float32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

function growI(a: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  if (size <= a.length) {
    return a;
  }
  const b = new Int32Array(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

export class DrawList {
  /** Per colour: x, y, w, h of each rectangle. */
  readonly rects: Float32Array<ArrayBuffer>[] = Array.from({ length: COLOUR_COUNT }, () => new Float32Array(256));
  readonly counts = new Int32Array(COLOUR_COUNT);
  /** Items to label, and x, y (row top), w of each. */
  labelItems = new Int32Array(64);
  labelGeom = new Float32Array(192);
  labelCount = 0;
  /** Items drawn as their own rectangle. */
  items = 0;
  /** Items merged into pixel columns. */
  bucketed = 0;
  /** Pixel columns of bucketed items (runs of them are drawn as one rectangle). */
  columns = 0;

  reset(): void {
    this.counts.fill(0);
    this.labelCount = 0;
    this.items = 0;
    this.bucketed = 0;
    this.columns = 0;
  }

  pushRect(colour: number, x: number, y: number, w: number, h: number): void {
    const n = this.counts[colour];
    const a = growF(this.rects[colour], (n + 1) * 4);
    this.rects[colour] = a;
    a[n * 4] = x;
    a[n * 4 + 1] = y;
    a[n * 4 + 2] = w;
    a[n * 4 + 3] = h;
    this.counts[colour] = n + 1;
  }

  pushLabel(item: number, x: number, y: number, w: number): void {
    const n = this.labelCount;
    this.labelItems = growI(this.labelItems, n + 1);
    this.labelGeom = growF(this.labelGeom, (n + 1) * 3);
    this.labelItems[n] = item;
    this.labelGeom[n * 3] = x;
    this.labelGeom[n * 3 + 1] = y;
    this.labelGeom[n * 3 + 2] = w;
    this.labelCount = n + 1;
  }

  /** Rectangles of all colours. */
  get rectCount(): number {
    let n = 0;
    for (const c of this.counts) {
      n += c;
    }
    return n;
  }
}

/** Reusable per-lane pixel-column buckets. */
export class Buckets {
  colour = new Int32Array(0);
  priority = new Int32Array(0);
  /** The tallest bar of the column's items. */
  height = new Float32Array(0);
  count = new Int32Array(0);
  touched = new Int32Array(0);
  touchedCount = 0;

  ensure(width: number): void {
    const size = Math.ceil(width) + 8;
    if (this.count.length >= size) {
      return;
    }
    this.colour = new Int32Array(size);
    this.priority = new Int32Array(size);
    this.height = new Float32Array(size);
    this.count = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.touchedCount = 0;
  }
}

/** Fills `out` with what to draw now. */
export function buildDrawList(input: LodInput, out: DrawList, buckets: Buckets): void {
  out.reset();
  const { items, index, rows, view, rowHeight, scrollTop, height } = input;
  const width = view.width;
  buckets.ensure(width);
  const mpp = view.msPerPx;
  const vs = view.start;
  const pad = MARK_WIDTH * mpp;
  const t0 = vs - pad;
  const t1 = vs + width * mpp + pad;
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight));
  const lastRow = Math.min(rows.length - 1, Math.floor((scrollTop + height) / rowHeight));
  const start = items.start;
  const duration = items.duration;
  const kindCol = items.kind;
  const statusCol = items.status;
  const flagsCol = items.flags;
  const intensityCol = items.intensity;
  const maxCol = Math.ceil(width) + 3; // bucket slots: columns -2 … width+2, shifted by 2

  for (let row = firstRow; row <= lastRow; row++) {
    const lane = rows[row];
    const order = index.range(lane, t0, t1);
    if (!order) {
      continue;
    }
    const rowTop = row * rowHeight - scrollTop;
    const lo = index.lo;
    const hi = index.hi;
    const ord = order.order;
    for (let k = lo; k < hi; k++) {
      const i = ord[k];
      const s = start[i];
      const e = s + (duration[i]);
      if (e < t0) {
        continue;
      }
      const kind = kindCol[i];
      const colour = colourOf(kind, statusCol[i], flagsCol[i]);
      const x0 = (s - vs) / mpp;
      const x1 = (e - vs) / mpp;
      if (x1 - x0 < 1) {
        const slot = Math.min(maxCol, Math.max(0, Math.floor(x0) + 2));
        const p = COLOUR_PRIORITY[colour];
        const h = barHeight(kind, intensityCol[i], rowHeight);
        if (buckets.count[slot] === 0) {
          buckets.touched[buckets.touchedCount++] = slot;
          buckets.colour[slot] = colour;
          buckets.priority[slot] = p;
          buckets.height[slot] = h;
        } else {
          if (p > (buckets.priority[slot])) {
            buckets.colour[slot] = colour;
            buckets.priority[slot] = p;
          }
          if (h > (buckets.height[slot])) {
            buckets.height[slot] = h;
          }
        }
        buckets.count[slot] = (buckets.count[slot]) + 1;
        out.bucketed++;
        continue;
      }
      const cx0 = Math.max(-2, x0);
      const cx1 = Math.min(width + 2, x1);
      const h = barHeight(kind, intensityCol[i], rowHeight);
      out.pushRect(colour, cx0, rowTop + (rowHeight - h) / 2, cx1 - cx0, h);
      out.items++;
      if (cx1 - cx0 >= LABEL_MIN_WIDTH) {
        out.pushLabel(i, cx0, rowTop, cx1 - cx0);
      }
    }
    // Columns in x order (items come by start): runs of touching columns of one colour and
    // height become one rectangle.
    let runColour = -1;
    let runX0 = 0;
    let runX1 = 0;
    let runH = 0;
    for (let t = 0; t < buckets.touchedCount; t++) {
      const slot = buckets.touched[t];
      const colour = buckets.colour[slot];
      const h = buckets.height[slot];
      const x = slot - 2 - 1;
      if (colour === runColour && h === runH && x <= runX1) {
        runX1 = x + MARK_WIDTH;
      } else {
        if (runColour >= 0) {
          out.pushRect(runColour, runX0, rowTop + (rowHeight - runH) / 2, runX1 - runX0, runH);
        }
        runColour = colour;
        runX0 = x;
        runX1 = x + MARK_WIDTH;
        runH = h;
      }
      out.columns++;
      buckets.count[slot] = 0;
    }
    if (runColour >= 0) {
      out.pushRect(runColour, runX0, rowTop + (rowHeight - runH) / 2, runX1 - runX0, runH);
    }
    buckets.touchedCount = 0;
  }
}
