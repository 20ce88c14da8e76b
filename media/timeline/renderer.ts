/**
 * Paints the timeline: the plot canvas (row lines, time grid, pause shading, the level-of-
 * detail draw list, labels where they fit, the selected and hovered items) and the time
 * axis. What to draw comes from lod.ts; which item is where is hit-testing's business
 * (hitTest.ts), not the renderer's. Each frame records on the canvas how long it took and
 * what it showed (`data-draw-ms`, `data-frames`, `data-items`, `data-view-start`,
 * `data-ms-per-px`) for the benchmark and integration tests.
 */
import { Colour, colourOf, isBand, ItemKind, scalesWithIntensity } from '../../src/timeline/codes';
import { formatClock, truncate } from '../../src/timeline/format';
import { LaneGroup } from '../../src/timeline/lanes';
import { barHeight, Buckets, buildDrawList, DrawList, MARK_WIDTH } from '../../src/timeline/lod';
import { tickPrecision, tickStep, tickTimes } from '../../src/timeline/ticks';
import type { Viewport } from '../../src/timeline/viewport';
import type { PageData } from './data';
import type { Palette } from './theme';

export interface Frame {
  data: PageData;
  view: Viewport;
  scrollTop: number;
  rowHeight: number;
  selected: number;
  hovered: number;
  /** Shown in the middle when there is nothing to draw. */
  emptyText: string;
}

function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number, dpr: number): CanvasRenderingContext2D | undefined {
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d', { alpha: true });
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx ?? undefined;
}

export class Renderer {
  private readonly list = new DrawList();
  private readonly buckets = new Buckets();
  private frames = 0;
  /** Plot size in CSS px. */
  width = 1;
  height = 1;

  constructor(
    private readonly plot: HTMLCanvasElement,
    private readonly axis: HTMLCanvasElement,
    private readonly palette: Palette,
  ) {}

  resize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
  }

  draw(f: Frame): void {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const ctx = sizeCanvas(this.plot, this.width, this.height, dpr);
    if (ctx) {
      this.drawPlot(ctx, f);
    }
    const axisCtx = sizeCanvas(this.axis, this.width, this.axis.clientHeight || 26, dpr);
    if (axisCtx) {
      this.drawAxis(axisCtx, f);
    }
    const ms = performance.now() - t0;
    this.frames++;
    this.plot.dataset.drawMs = ms.toFixed(2);
    this.plot.dataset.frames = String(this.frames);
    this.plot.dataset.items = String(f.data.count);
    this.plot.dataset.viewStart = String(f.view.start);
    this.plot.dataset.msPerPx = String(f.view.msPerPx);
  }

  private drawPlot(ctx: CanvasRenderingContext2D, f: Frame): void {
    const p = this.palette;
    const { data, view, scrollTop, rowHeight } = f;
    const width = this.width;
    const height = this.height;
    ctx.clearRect(0, 0, width, height);

    // Rows: the selected item's lane highlighted, a line under each.
    const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight));
    const lastRow = Math.min(data.rows.length - 1, Math.floor((scrollTop + height) / rowHeight));
    const selectedRow = f.selected >= 0 ? (data.rowOfLane[data.items.lane[f.selected] ?? 0] ?? -1) : -1;
    if (selectedRow >= firstRow && selectedRow <= lastRow) {
      ctx.fillStyle = p.selectionRow;
      ctx.fillRect(0, selectedRow * rowHeight - scrollTop, width, rowHeight);
    }
    ctx.fillStyle = p.rowLine;
    for (let row = firstRow; row <= lastRow; row++) {
      ctx.fillRect(0, (row + 1) * rowHeight - scrollTop - 1, width, 1);
    }

    // Time grid.
    const step = tickStep(view.msPerPx);
    const utcOffset = -new Date(data.origin + view.start).getTimezoneOffset() * 60_000;
    ctx.fillStyle = p.grid;
    for (const t of tickTimes(data.origin + view.start, data.origin + view.start + width * view.msPerPx, step, utcOffset)) {
      ctx.fillRect(Math.round((t - data.origin - view.start) / view.msPerPx), 0, 1, height);
    }

    // Pauses shade every lane.
    this.shadePauses(ctx, f);

    if (data.count === 0) {
      ctx.fillStyle = p.muted;
      ctx.font = p.font;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(f.emptyText, width / 2, Math.min(height / 2, 60));
      ctx.textAlign = 'left';
      return;
    }

    buildDrawList({ items: data.items, index: data.index, rows: data.rows, view, rowHeight, scrollTop, height }, this.list, this.buckets);
    const list = this.list;
    for (let c = 0; c < list.counts.length; c++) {
      const n = list.counts[c];
      if (n === 0) {
        continue;
      }
      ctx.fillStyle = c === Colour.Goal || c === Colour.Pause ? (p.bandFills[c] ?? p.muted) : (p.fills[c] ?? p.muted);
      const r = list.rects[c] as Float32Array;
      for (let k = 0; k < n; k++) {
        ctx.fillRect(r[k * 4], r[k * 4 + 1], r[k * 4 + 2], r[k * 4 + 3]);
      }
      if (p.highContrast) {
        ctx.strokeStyle = p.foreground;
        ctx.lineWidth = 1;
        for (let k = 0; k < Math.min(n, 2000); k++) {
          ctx.strokeRect((r[k * 4]) + 0.5, (r[k * 4 + 1]) + 0.5, Math.max(0, (r[k * 4 + 2]) - 1), Math.max(0, (r[k * 4 + 3]) - 1));
        }
      }
    }

    // Labels where they fit.
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    for (let k = 0; k < list.labelCount; k++) {
      const i = list.labelItems[k];
      const x = Math.max(0, list.labelGeom[k * 3]);
      const right = (list.labelGeom[k * 3]) + (list.labelGeom[k * 3 + 2]);
      const w = Math.min(width, right) - x;
      const chars = Math.floor((w - 8) / p.charWidth);
      if (chars < 4) {
        continue;
      }
      const kind = data.items.kind[i] ?? 0;
      const colour = colourOf(kind, data.items.status[i] ?? 0, data.items.flags[i] ?? 0);
      ctx.fillStyle = isBand(kind) || scalesWithIntensity(kind) ? p.foreground : (p.labelOn[colour] ?? p.foreground);
      ctx.fillText(truncate(data.summaries[i] ?? '', chars), x + 4, (list.labelGeom[k * 3 + 1]) + rowHeight / 2 + 0.5);
    }

    // The live end.
    if (data.live) {
      const x = Math.round((data.extent.last - data.origin - view.start) / view.msPerPx) + 0.5;
      if (x >= 0 && x <= width) {
        ctx.strokeStyle = p.muted;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, 0);
        ctx.lineTo(x, height);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }

    this.outline(ctx, f, f.hovered, p.foreground, 1);
    this.outline(ctx, f, f.selected, p.focus, 2);
  }

  private shadePauses(ctx: CanvasRenderingContext2D, f: Frame): void {
    const { data, view } = f;
    const lane = data.lanes.find((l) => l?.group === LaneGroup.Capture);
    if (!lane) {
      return;
    }
    const order = data.index.range(lane.index, view.start, view.start + this.width * view.msPerPx);
    if (!order) {
      return;
    }
    ctx.fillStyle = this.palette.pauseShade;
    for (let k = data.index.lo; k < data.index.hi; k++) {
      const i = order.order[k];
      if (data.items.kind[i] !== ItemKind.Pause) {
        continue;
      }
      const x0 = Math.max(0, ((data.items.start[i] ?? 0) - view.start) / view.msPerPx);
      const x1 = Math.min(this.width, (data.items.end(i) - view.start) / view.msPerPx);
      if (x1 > x0) {
        ctx.fillRect(x0, 0, x1 - x0, this.height);
      }
    }
  }

  /** Outlines an item where it is drawn (a narrow one as a mark). */
  private outline(ctx: CanvasRenderingContext2D, f: Frame, item: number, colour: string, lineWidth: number): void {
    const { data, view, rowHeight, scrollTop } = f;
    if (item < 0 || item >= data.count) {
      return;
    }
    const row = data.rowOfLane[data.items.lane[item] ?? 0];
    if (row === undefined) {
      return;
    }
    const kind = data.items.kind[item] ?? 0;
    let x0 = ((data.items.start[item] ?? 0) - view.start) / view.msPerPx;
    let x1 = (data.items.end(item) - view.start) / view.msPerPx;
    if (x1 - x0 < 1) {
      const x = Math.floor(x0);
      x0 = x - 1;
      x1 = x - 1 + MARK_WIDTH;
    }
    x0 = Math.max(-4, x0);
    x1 = Math.min(this.width + 4, x1);
    if (x1 < -2 || x0 > this.width + 2) {
      return;
    }
    const h = Math.max(barHeight(kind, data.items.intensity[item] ?? 0, rowHeight), rowHeight - 6);
    const y = row * rowHeight - scrollTop + (rowHeight - h) / 2;
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.strokeRect(x0 - lineWidth / 2 - 1, y - lineWidth / 2, x1 - x0 + lineWidth + 2, h + lineWidth);
  }

  private drawAxis(ctx: CanvasRenderingContext2D, f: Frame): void {
    const p = this.palette;
    const { data, view } = f;
    const height = this.axis.clientHeight || 26;
    ctx.clearRect(0, 0, this.width, height);
    if (data.generation < 0) {
      return;
    }
    const step = tickStep(view.msPerPx);
    const from = data.origin + view.start;
    const utcOffset = -new Date(from).getTimezoneOffset() * 60_000;
    ctx.font = p.font;
    ctx.textBaseline = 'middle';
    const precision = tickPrecision(step);
    for (const t of tickTimes(from, from + this.width * view.msPerPx, step, utcOffset)) {
      const x = Math.round((t - from) / view.msPerPx);
      ctx.fillStyle = p.grid;
      ctx.fillRect(x, height - 6, 1, 6);
      ctx.fillStyle = p.muted;
      ctx.fillText(formatClock(t, precision), x + 3, height / 2 - 2);
    }
  }
}
