/**
 * The horizontal view of the timeline: the time at the left edge (ms after the session's
 * origin) and the scale (ms per CSS pixel). Pure functions, so pan, zoom and fit are tested
 * without a browser.
 */

export interface Viewport {
  /** Time at the left edge, ms after the origin. */
  start: number;
  msPerPx: number;
  /** Width of the plot, CSS px. */
  width: number;
}

/** Closest zoom: 0.05 ms per pixel. */
export const MIN_MS_PER_PX = 0.05;
/** Farthest zoom: the extent over a tenth of the width, and at least this. */
const FLOOR_MAX_MS_PER_PX = 60_000;

export function xOf(view: Viewport, t: number): number {
  return (t - view.start) / view.msPerPx;
}

export function timeAt(view: Viewport, x: number): number {
  return view.start + x * view.msPerPx;
}

export function endOf(view: Viewport): number {
  return view.start + view.width * view.msPerPx;
}

export function maxMsPerPx(span: number, width: number): number {
  return Math.max(FLOOR_MAX_MS_PER_PX, (10 * Math.max(span, 1)) / Math.max(width, 1));
}

/** Zooms by `factor` (> 1 zooms in) keeping the time under x where it is. */
export function zoomAt(view: Viewport, x: number, factor: number, span: number): Viewport {
  const t = timeAt(view, x);
  const msPerPx = Math.min(maxMsPerPx(span, view.width), Math.max(MIN_MS_PER_PX, view.msPerPx / factor));
  return { ...view, msPerPx, start: t - x * msPerPx };
}

/** Moves the content by dx pixels (positive: content moves right, earlier times come into view). */
export function panBy(view: Viewport, dx: number): Viewport {
  return { ...view, start: view.start - dx * view.msPerPx };
}

/** Shows [first, last] (ms after the origin) across the width, with a small margin. */
export function fit(first: number, last: number, width: number, margin = 0.02): Viewport {
  const span = Math.max(last - first, 1000);
  const w = Math.max(width, 1);
  const msPerPx = (span * (1 + 2 * margin)) / w;
  return { start: first - span * margin, msPerPx, width: w };
}

/** Keeps at least a tenth of the view over [first, last]. */
export function clampView(view: Viewport, first: number, last: number): Viewport {
  const visible = view.width * view.msPerPx;
  const min = first - visible * 0.9;
  const max = Math.max(min, last - visible * 0.1);
  const start = Math.min(max, Math.max(min, view.start));
  return start === view.start ? view : { ...view, start };
}

/** Pans the least so that [t0, t1] is in view with a margin (px), zooming out if it cannot fit. */
export function ensureVisible(view: Viewport, t0: number, t1: number, marginPx = 24): Viewport {
  const margin = marginPx * view.msPerPx;
  const span = t1 - t0 + 2 * margin;
  if (span > view.width * view.msPerPx) {
    return { ...view, start: t0 - margin };
  }
  if (t0 - margin < view.start) {
    return { ...view, start: t0 - margin };
  }
  const end = endOf(view);
  if (t1 + margin > end) {
    return { ...view, start: view.start + (t1 + margin - end) };
  }
  return view;
}
