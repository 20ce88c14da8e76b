/**
 * Benchmark of the timeline view, measured in a real browser (Debian's headless Chromium):
 * a generated 50,000-event session (a realistic mix over about four hours; and a worst case
 * where all 50,000 events are drawn items) goes through the real host side (the
 * TimelineController reading it from a MemoryLibrary: model + chunks), then the page, served
 * by bench/timelineHarness.ts with the same HTML and CSP as in VS Code, gets the messages as
 * the host would post them.
 *
 * Figures: host time (ready → last chunk), page open time (first message → first frame drawn
 * with every item), frame times while panning (Shift+wheel, all items in view), zooming
 * (wheel, in ×120 and out again, across every level of detail) and dragging (real mouse
 * input, zoomed in): requestAnimationFrame deltas and the page's own draw time per frame
 * (median, p95, max, share of frames within 16.7 ms), and memory (JS heap after GC, DOM nodes).
 *
 * `node out/bench/timeline.js [--screenshots DIR]` runs it alone; `runTimelineBenchmark()`
 * returns the figures for `npm run bench`. Needs `node scripts/build.mjs` (media/dist).
 */
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MemoryLogger } from '../src/common/logger';
import { TimelineController } from '../src/timeline/controller';
import { formatCount } from '../src/timeline/format';
import { MemoryLibrary } from '../src/timeline/library';
import { TimelineModel } from '../src/timeline/model';
import type { HostMessage } from '../src/timeline/protocol';
import type { TraceEvent } from '../src/trace/events';
import { percentile, printRow, type Row } from './stats';
import { bridge, CHROMIUM, encodeMessage, startHarness, type Harness, type HarnessTheme } from './timelineHarness';
import { allDrawnSession, generateSession, type GeneratedSession } from './timelineSession';

const ROOT = path.resolve(__dirname, '..', '..');
const VIEWPORT = { width: 1400, height: 900 };
const FRAME_BUDGET_MS = 1000 / 60;

export interface FrameStats {
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Share of frames within 16.7 ms (%). */
  within16Pct: number;
  drawMedianMs: number;
  drawP95Ms: number;
  drawMaxMs: number;
}

export interface TimelineBenchResult {
  name: string;
  events: number;
  items: number;
  lanes: number;
  hours: number;
  /** Host: ready → the last chunk posted (model, details tables, serialisation). */
  hostMs: number;
  messages: number;
  /** What the host posts: typed arrays plus the JSON of the rest. */
  payloadMB: number;
  /** Page: first message → first frame drawn with every item. */
  openMs: number;
  /** Page: first message → first frame with any item. */
  firstItemsMs: number;
  pan: FrameStats;
  zoom: FrameStats;
  drag: FrameStats;
  heapMB: number;
  domNodes: number;
}

/** The little of the browser the in-page functions use (this file compiles for Node). */
interface Canvas {
  dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  dispatchEvent(e: unknown): boolean;
  focus(): void;
}
interface W {
  document: { getElementById(id: string): Canvas };
  requestAnimationFrame(cb: (now: number) => void): number;
  WheelEvent: new (type: string, init: Record<string, unknown>) => unknown;
  __harness: {
    toHost: { type: string }[];
    firstPostAt: number;
    draws: { t: number; items: number; ms: number }[];
    preload(messages: unknown[]): void;
    start(): void;
    watchDraws(): void;
  };
  __recorder?: { deltas: number[]; draws: number[]; stop: boolean };
}

function stats(deltas: number[], draws: number[]): FrameStats {
  const d = Float64Array.from(deltas).sort();
  const w = Float64Array.from(draws).sort();
  return {
    frames: deltas.length,
    medianMs: percentile(d, 50),
    p95Ms: percentile(d, 95),
    maxMs: d[d.length - 1] ?? NaN,
    within16Pct: (100 * deltas.filter((x) => x <= FRAME_BUDGET_MS + 0.5).length) / Math.max(1, deltas.length),
    drawMedianMs: percentile(w, 50),
    drawP95Ms: percentile(w, 95),
    drawMaxMs: w[w.length - 1] ?? NaN,
  };
}

/** Runs the host side as in the extension, collecting what it posts. */
async function host(session: GeneratedSession): Promise<{ messages: HostMessage[]; ms: number; items: number; lanes: number }> {
  const messages: HostMessage[] = [];
  const controller = new TimelineController({ library: new MemoryLibrary([session]), log: new MemoryLogger(), post: (m) => messages.push(m), openLocation: () => Promise.resolve() });
  const t0 = performance.now();
  controller.handle({ type: 'ready', state: null });
  while (!messages.some((m) => m.type === 'status' && !m.loading)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const ms = performance.now() - t0;
  controller.dispose();
  let items = 0;
  let lanes = 0;
  for (const m of messages) {
    if (m.type === 'chunk') {
      items += m.start.length;
      lanes += m.lanes.length;
    }
  }
  return { messages, ms, items, lanes };
}

function payloadBytes(messages: HostMessage[]): number {
  let bytes = 0;
  for (const m of messages) {
    if (m.type === 'chunk') {
      bytes += m.start.byteLength + m.duration.byteLength + m.lane.byteLength + m.kind.byteLength + m.status.byteLength + m.flags.byteLength + m.intensity.byteLength;
      bytes += JSON.stringify({ ...m, start: 0, duration: 0, lane: 0, kind: 0, status: 0, flags: 0, intensity: 0 }).length;
    } else {
      bytes += JSON.stringify(m).length;
    }
  }
  return bytes;
}

async function waitFor(page: Page, predicate: () => boolean): Promise<void> {
  await page.waitForFunction(predicate, undefined, { timeout: 60_000 });
}

/** One input per animation frame (wheel events the page handles as from a mouse), timing every frame. */
async function wheelFrames(page: Page, kind: 'pan' | 'zoom', frames: number): Promise<FrameStats> {
  const r = await page.evaluate(
    async ([k, n]) => {
      const w = globalThis as unknown as W;
      const canvas = w.document.getElementById('timeline-canvas');
      const rect = canvas.getBoundingClientRect();
      const deltas: number[] = [];
      const draws: number[] = [];
      let last = 0;
      let i = 0;
      let lastFrame = canvas.dataset.frames;
      await new Promise<void>((resolve) => {
        const tick = (now: number): void => {
          if (i > 0) {
            deltas.push(now - last);
            if (canvas.dataset.frames !== lastFrame) {
              lastFrame = canvas.dataset.frames;
              draws.push(Number(canvas.dataset.drawMs));
            }
          }
          last = now;
          if (i++ >= n) {
            resolve();
            return;
          }
          const x = rect.left + rect.width * (0.25 + (0.5 * ((i * 37) % 100)) / 100);
          const init = k === 'pan' ? { deltaY: (Math.floor(i / 40) % 2 ? -1 : 1) * 30, shiftKey: true } : { deltaY: (Math.floor(i / 60) % 2 ? 1 : -1) * 40 };
          canvas.dispatchEvent(new w.WheelEvent('wheel', { ...init, clientX: x, clientY: rect.top + 40, bubbles: true, cancelable: true }));
          w.requestAnimationFrame(tick);
        };
        w.requestAnimationFrame(tick);
      });
      return { deltas, draws };
    },
    [kind, frames] as const,
  );
  return stats(r.deltas, r.draws);
}

/** A real mouse drag (Playwright input) while the page records every frame. */
async function dragFrames(page: Page, moves: number): Promise<FrameStats> {
  const box = await page.locator('#timeline-canvas').boundingBox();
  if (!box) {
    throw new Error('no canvas');
  }
  await page.evaluate(() => {
    const w = globalThis as unknown as W;
    const canvas = w.document.getElementById('timeline-canvas');
    const rec = { deltas: [] as number[], draws: [] as number[], stop: false };
    w.__recorder = rec;
    let last = 0;
    let lastFrame = canvas.dataset.frames;
    const tick = (now: number): void => {
      if (last) {
        rec.deltas.push(now - last);
        if (canvas.dataset.frames !== lastFrame) {
          lastFrame = canvas.dataset.frames;
          rec.draws.push(Number(canvas.dataset.drawMs));
        }
      }
      last = now;
      if (!rec.stop) {
        w.requestAnimationFrame(tick);
      }
    };
    w.requestAnimationFrame(tick);
  });
  const y = box.y + Math.min(box.height - 10, 150);
  await page.mouse.move(box.x + box.width * 0.8, y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    const phase = Math.floor(i / 30) % 2 ? 1 : -1;
    await page.mouse.move(box.x + box.width * 0.5 + phase * ((i % 30) * 10 - 150), y + (i % 7) - 3);
  }
  await page.mouse.up();
  const r = await page.evaluate(() => {
    const w = globalThis as unknown as W;
    const rec = w.__recorder ?? { deltas: [], draws: [], stop: true };
    rec.stop = true;
    return { deltas: rec.deltas, draws: rec.draws };
  });
  return stats(r.deltas, r.draws);
}

async function memory(page: Page): Promise<{ heapMB: number; domNodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
  await cdp.detach();
  return { heapMB: get('JSHeapUsedSize') / 1048576, domNodes: get('Nodes') };
}

async function benchOne(browser: Browser, harness: Harness, name: string, session: GeneratedSession): Promise<TimelineBenchResult> {
  // As the reader hands them on: parsed from JSON (flat strings, fresh objects).
  const parsed: GeneratedSession = { ...session, events: JSON.parse(JSON.stringify(session.events)) as TraceEvent[] };
  const h = await host(parsed);
  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harness.url('dark'));
  await waitFor(page, () => (globalThis as unknown as W).__harness.toHost.some((m) => m.type === 'ready'));
  await page.evaluate((messages) => (globalThis as unknown as W).__harness.preload(messages), h.messages.map(encodeMessage));
  await page.evaluate(() => {
    const w = globalThis as unknown as W;
    w.__harness.watchDraws();
    w.__harness.start();
  });
  await page.waitForFunction((items) => (globalThis as unknown as W).__harness.draws.some((d) => d.items === items), h.items, { timeout: 60_000 });
  const open = await page.evaluate((items) => {
    const hh = (globalThis as unknown as W).__harness;
    const full = hh.draws.find((d) => d.items === items);
    const first = hh.draws.find((d) => d.items > 0);
    return { openMs: (full?.t ?? NaN) - hh.firstPostAt, firstItemsMs: (first?.t ?? NaN) - hh.firstPostAt };
  }, h.items);
  const pan = await wheelFrames(page, 'pan', 240);
  const zoom = await wheelFrames(page, 'zoom', 240);
  // Zoomed in (about 1/20 of the session in view) for the drag.
  await page.locator('#timeline-canvas').focus();
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('+');
  }
  const drag = await dragFrames(page, 180);
  const mem = await memory(page);
  await page.close();
  if (errors.length) {
    throw new Error(`the page failed: ${errors.join('; ')}`);
  }
  return {
    name,
    events: session.events.length,
    items: h.items,
    lanes: h.lanes,
    hours: (session.lastTs - session.firstTs) / 3_600_000,
    hostMs: h.ms,
    messages: h.messages.length,
    payloadMB: payloadBytes(h.messages) / 1048576,
    openMs: open.openMs,
    firstItemsMs: open.firstItemsMs,
    pan,
    zoom,
    drag,
    heapMB: mem.heapMB,
    domNodes: mem.domNodes,
  };
}

/** Screenshots of the page with the real controller behind it: a failing test run selected (dark), an edit step with its diff (light). */
async function screenshots(browser: Browser, harness: Harness, session: GeneratedSession, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const theme of ['dark', 'light'] as HarnessTheme[]) {
    const page = await browser.newPage({ viewport: VIEWPORT });
    let post: (m: HostMessage) => Promise<boolean> = () => Promise.resolve(false);
    const controller = new TimelineController({ library: new MemoryLibrary([session]), log: new MemoryLogger(), post: (m) => post(m), openLocation: () => Promise.resolve() });
    post = await bridge(page, () => controller);
    await page.goto(harness.url(theme));
    await page.waitForFunction(() => /drawn/.test((globalThis as unknown as { document: { getElementById(id: string): { textContent: string | null } | null } }).document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 60_000 });
    // An item about an hour in: a failing test run (dark) or an edit step with a diff (light).
    const model = new TimelineModel();
    model.append(session.events);
    const event = session.events.find((e) => e.ts > session.firstTs + 3_600_000 && (theme === 'dark' ? e.kind === 'test.run' && e.outcome === 'failed' : e.kind === 'edit.step' && e.added > 4));
    const item = event ? model.itemOf(event.id) : undefined;
    if (item !== undefined) {
      // Scroll the (virtual) events list to the item's row and click it, as an engineer would.
      const byStart = Array.from({ length: model.count }, (_, i) => i).sort((a, b) => (model.items.start[a] ?? 0) - (model.items.start[b] ?? 0) || a - b);
      const position = byStart.indexOf(item);
      await page.locator('#events').evaluate((el: unknown, top: number) => ((el as { scrollTop: number }).scrollTop = top), Math.max(0, position * 22 - 150));
      await page.locator(`#events [data-index="${item}"]`).click();
      await page.locator('#details-body .fields').waitFor();
      await page.locator('#timeline-canvas').focus();
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('+');
      }
    }
    await page.mouse.move(5, VIEWPORT.height - 5);
    const file = path.join(dir, `worktrace-timeline-${theme}.png`);
    await page.screenshot({ path: file });
    files.push(file);
    controller.dispose();
    await page.close();
  }
  return files;
}

function frameRow(name: string, s: FrameStats): Row {
  return {
    name,
    figures: { frames: s.frames, 'median ms': s.medianMs, 'p95 ms': s.p95Ms, 'max ms': s.maxMs, '≤16.7ms %': s.within16Pct, 'draw median ms': s.drawMedianMs, 'draw p95 ms': s.drawP95Ms, 'draw max ms': s.drawMaxMs },
  };
}

/** Rows for `npm run bench` (and the figures as objects). */
export function timelineRows(results: TimelineBenchResult[]): Row[] {
  return results.flatMap((r) => [
    { name: `timeline ${r.name}: session`, figures: { events: r.events, items: r.items, lanes: r.lanes, hours: r.hours } },
    { name: `timeline ${r.name}: host (model + chunks)`, figures: { ms: r.hostMs, messages: r.messages, MB: r.payloadMB } },
    { name: `timeline ${r.name}: open (1st message → full frame)`, figures: { ms: r.openMs, 'first items ms': r.firstItemsMs } },
    frameRow(`timeline ${r.name}: pan (Shift+wheel, all in view)`, r.pan),
    frameRow(`timeline ${r.name}: zoom (wheel, ×120 in and out)`, r.zoom),
    frameRow(`timeline ${r.name}: drag (mouse, zoomed in)`, r.drag),
    { name: `timeline ${r.name}: memory after GC`, figures: { 'JS heap MB': r.heapMB, 'DOM nodes': r.domNodes } },
  ]);
}

export async function runTimelineBenchmark(o: { screenshots?: string; events?: number } = {}): Promise<TimelineBenchResult[]> {
  const events = o.events ?? 50_000;
  const harness = await startHarness(ROOT);
  const browser = await chromium.launch(CHROMIUM);
  try {
    const realistic = generateSession({ events });
    const results = [await benchOne(browser, harness, `${formatCount(events)} events, realistic mix`, realistic)];
    results.push(await benchOne(browser, harness, `${formatCount(events)} events, all drawn`, allDrawnSession(events)));
    if (o.screenshots) {
      for (const f of await screenshots(browser, harness, realistic, o.screenshots)) {
        process.stdout.write(`screenshot: ${f}\n`);
      }
    }
    return results;
  } finally {
    await browser.close();
    await harness.close();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const shots = args.includes('--screenshots') ? args[args.indexOf('--screenshots') + 1] : undefined;
  runTimelineBenchmark({ screenshots: shots })
    .then((results) => {
      for (const row of timelineRows(results)) {
        printRow(row);
      }
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}
