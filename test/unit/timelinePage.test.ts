/**
 * The timeline page in headless Chromium (Debian's), served by the benchmark's harness with
 * the real TimelineController behind it: VS Code is the only thing replaced. Needs the built
 * page (`node scripts/build.mjs`). Waits are on conditions in the page, never on the clock.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bridge, CHROMIUM, startHarness, type Harness, type HarnessTheme } from '../../bench/timelineHarness';
import { MemoryLogger } from '../../src/common/logger';
import { ItemKind } from '../../src/timeline/codes';
import { TimelineController, type LiveSource } from '../../src/timeline/controller';
import { MemoryLibrary, type LibraryProblem, type SessionLibrary } from '../../src/timeline/library';
import { TimelineModel } from '../../src/timeline/model';
import type { HostMessage } from '../../src/timeline/protocol';
import type { TraceEvent } from '../../src/trace/events';
import { story } from './timelineStory';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The little of the browser the functions run in the page use (the tests compile for Node, without DOM types). */
interface El {
  id: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
}
interface W {
  document: {
    getElementById(id: string): El | null;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): { length: number };
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
    activeElement: El | null;
    body: El;
  };
  sessionStorage: { getItem(key: string): string | null };
  getComputedStyle(el: El): { color: string };
  console: { error(message: string): void };
}

interface Opened {
  path: string;
  line: number;
}

interface Session {
  page: Page;
  controller: TimelineController;
  /** The next openLocation the host receives. */
  nextOpen: Promise<Opened>;
  log: MemoryLogger;
  violations: string[];
}

function sessionOf(id: string, events: TraceEvent[]) {
  return { id, workspace: 'ws-1', firstTs: events[0]?.ts ?? 0, lastTs: events[events.length - 1]?.ts ?? 0, events };
}

suite('timeline page (headless Chromium, real controller)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let harness: Harness;
  const events = story();
  const model = new TimelineModel();
  model.append(events);
  const other = story()
    .slice(0, 20)
    .map((e) => ({ ...e, session: 'sess-2', id: `x-${e.id}`, ts: e.ts - 86_400_000 }));
  const otherModel = new TimelineModel();
  otherModel.append(other);

  suiteSetup(async () => {
    harness = await startHarness(ROOT);
    browser = await chromium.launch(CHROMIUM);
  });

  suiteTeardown(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function open(o: { theme?: HarnessTheme; problems?: Map<string, { problems: LibraryProblem[]; summary: string }>; library?: SessionLibrary; live?: LiveSource; ready?: string } = {}): Promise<Session> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 860 } });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') {
        violations.push(m.text());
      }
    });
    page.on('pageerror', (e) => violations.push(e.message));
    const log = new MemoryLogger();
    let opened: (o: Opened) => void = () => undefined;
    const nextOpen = new Promise<Opened>((resolve) => (opened = resolve));
    let post: (m: HostMessage) => Promise<boolean> = () => Promise.resolve(false);
    const controller = new TimelineController({
      library: o.library ?? new MemoryLibrary([sessionOf('sess-1', events), sessionOf('sess-2', other)], o.problems),
      live: o.live,
      log,
      post: (m) => post(m),
      openLocation: (p, line) => {
        opened({ path: p, line });
        return Promise.resolve();
      },
    });
    post = await bridge(page, () => controller);
    await page.goto(harness.url(o.theme));
    await page.waitForFunction((text) => ((globalThis as unknown as W).document.getElementById('status')?.textContent ?? '').includes(text), o.ready ?? 'drawn');
    await page.evaluate(() => {
      const w = globalThis as unknown as W;
      w.document.addEventListener('securitypolicyviolation', (e) => w.console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`));
    });
    return { page, controller, nextOpen, log, violations };
  }

  const rowOf = (page: Page, id: string) => page.locator(`#events [role="option"][data-index="${model.itemOf(id)}"]`);

  test('draws every item, lists one row per item with kind and summary, one label per lane', async () => {
    const { page, violations } = await open();
    await page.waitForFunction((n) => (globalThis as unknown as W).document.getElementById('timeline-canvas')?.dataset.items === String(n), model.count);
    const rows = page.locator('#events [role="option"]');
    assert.equal(await rows.count(), model.count);
    const texts = await rows.allTextContents();
    for (let i = 0; i < model.count; i++) {
      assert.ok(
        texts.some((t) => t.includes(model.summaries[i] ?? '\u0000')),
        `a row for ${model.summaries[i]}`,
      );
    }
    assert.ok(texts.some((t) => t.includes('test.run') && t.includes('failed: 1 failed, 3 passed')));
    assert.equal(await page.locator('#lanes li').count(), model.lanes.count);
    assert.match((await page.locator('#not-drawn').textContent()) ?? '', /doc\.edit 2/);
    assert.deepEqual(violations, [], 'no CSP violation, no error');
    await page.close();
  });

  test('selecting a failing test run shows its counts and failing tests; its link selects the run that fixed it', async () => {
    const { page } = await open();
    await rowOf(page, 'run1').click();
    const details = page.locator('#details');
    await details.getByText('login works').waitFor();
    assert.match((await details.textContent()) ?? '', /Failed\s*1/);
    await details.locator('.item-link', { hasText: 'test.run' }).filter({ hasText: 'passed' }).click();
    await page.locator('#details').getByText('fixed: the previous run of this command failed').waitFor();
    assert.equal(await rowOf(page, 'run2').getAttribute('aria-selected'), 'true');
    assert.equal(await rowOf(page, 'run1').getAttribute('aria-selected'), 'false');
    await page.close();
  });

  test('an edit step shows its diff coloured; "Open file at line N" asks the host to open it there', async () => {
    const { page, nextOpen } = await open();
    await rowOf(page, 'step1').click();
    const link = page.locator('#open-file');
    await link.waitFor();
    assert.equal((await link.textContent())?.trim(), 'Open file at line 13');
    assert.equal(await page.locator('#details .diff-add').count(), 2);
    assert.equal(await page.locator('#details .diff-del').count(), 1);
    await link.click();
    assert.deepEqual(await nextOpen, { path: 'src/app.ts', line: 13 });
    await page.close();
  });

  test('keyboard: Tab to the drawing, arrows move between items and lanes, Enter opens the details, Escape comes back', async () => {
    const { page } = await open();
    // Tab order: picker, zoom out, zoom in, fit (follow is disabled for a past session), the drawing.
    await page.locator('#session-picker').focus();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => (globalThis as unknown as W).document.activeElement?.id), 'timeline-canvas');
    const selected = () => page.locator('#events').getAttribute('aria-activedescendant');
    await page.keyboard.press('ArrowDown'); // the first lane: the task
    const goal = Array.from({ length: model.count }, (_, i) => i).find((i) => model.items.kind[i] === ItemKind.Goal);
    assert.equal(await selected(), `ev-${goal}`);
    await page.keyboard.press('ArrowDown'); // the capture lane: session start, pause, end
    const capture = await selected();
    await page.keyboard.press('ArrowRight');
    const next = await selected();
    assert.ok(next && next !== capture, 'the next item of the lane');
    assert.match((await page.locator('#announce').textContent()) ?? '', /Capture · capture\.pause/);
    await page.keyboard.press('ArrowDown');
    const below = await selected();
    assert.ok(below && below !== next, 'an item of the lane below');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as W).document.activeElement?.id === 'details-title');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => (globalThis as unknown as W).document.activeElement?.id), 'timeline-canvas', 'Escape goes back to the drawing');
    // The events list: arrows move, Enter opens.
    await page.locator('#events').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const listed = await page.locator('#events').getAttribute('aria-activedescendant');
    assert.equal(listed, `ev-${await page.locator('#events [role="option"]').nth(1).getAttribute('data-index')}`);
    await page.close();
  });

  test('a click in the drawing selects what is under the pointer (hit-testing), hover shows a summary', async () => {
    const { page } = await open();
    const canvas = page.locator('#timeline-canvas');
    const box = await canvas.boundingBox();
    assert.ok(box);
    // Row 0 is the Task lane; its band spans most of the session.
    await page.mouse.move(box.x + box.width / 2, box.y + 12);
    await page.locator('#tooltip:not([hidden])').waitFor();
    assert.match((await page.locator('#tooltip').textContent()) ?? '', /Task · goal · Fix the login bug/);
    await page.mouse.click(box.x + box.width / 2, box.y + 12);
    await page.locator('#details').getByText('Fix the login bug', { exact: true }).first().waitFor();
    assert.equal(await page.locator('#events [aria-selected="true"] .ev-kind').textContent(), 'goal');
    await page.close();
  });

  test('zoom and scroll are kept across a reload of the page, with the selection', async () => {
    const { page } = await open();
    await rowOf(page, 'cmd2').click();
    await page.locator('#timeline-canvas').focus();
    const unzoomed = await page.locator('#timeline-canvas').getAttribute('data-ms-per-px');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    // Saved once the view settles: the canvas shows the zoom, and the state holds what it shows.
    await page.waitForFunction((fit) => {
      const w = globalThis as unknown as W;
      const s = JSON.parse(w.sessionStorage.getItem('worktrace-harness-state') ?? 'null') as { msPerPx?: number; start?: number; selected?: number | null } | null;
      const c = w.document.getElementById('timeline-canvas');
      // Both the zoom and the scroll: the state saved with the zoom may lag the scroll that follows it.
      return c?.dataset.msPerPx !== fit && typeof s?.selected === 'number' && String(s.msPerPx) === c?.dataset.msPerPx && String(s.start) === c?.dataset.viewStart;
    }, unzoomed);
    const before = await page.evaluate(() => JSON.parse((globalThis as unknown as W).sessionStorage.getItem('worktrace-harness-state') ?? 'null') as { msPerPx: number; start: number; selected: number });
    const fitted = model.lastTs - model.firstTs;
    assert.ok(before.msPerPx < fitted / 1000, 'zoomed in from the fit');
    await page.reload();
    await page.waitForFunction((index) => (globalThis as unknown as W).document.querySelector(`#events [data-index="${index}"]`)?.getAttribute('aria-selected') === 'true', before.selected);
    const view = await page.locator('#timeline-canvas').evaluate((c: unknown) => ({ msPerPx: Number((c as El).dataset.msPerPx), start: Number((c as El).dataset.viewStart) }));
    assert.deepEqual(view, { msPerPx: before.msPerPx, start: before.start });
    await page.close();
  });

  test('the picker lists both sessions; choosing the other one shows it', async () => {
    const { page } = await open();
    const options = page.locator('#session-picker option');
    assert.equal(await options.count(), 2);
    assert.match((await options.first().textContent()) ?? '', /app · 2 min 10 s · 26 events · task: Fix the login bug/);
    await page.locator('#session-picker').selectOption('sess-2');
    assert.notEqual(otherModel.count, model.count);
    await page.waitForFunction((n) => (globalThis as unknown as W).document.querySelectorAll('#events [role="option"]:not([hidden])').length === n, otherModel.count);
    assert.equal(await page.locator('#session-picker').inputValue(), 'sess-2');
    await page.close();
  });

  test('the live session grows while recording and follows its end', async () => {
    const listeners: ((e: TraceEvent) => void)[] = [];
    const live: LiveSource = {
      sessionId: () => 'sess-1',
      onDidRecord: (l) => {
        listeners.push(l);
        return { dispose: () => listeners.splice(listeners.indexOf(l), 1) };
      },
    };
    const first = events.slice(0, 10);
    const { page } = await open({ library: new MemoryLibrary([sessionOf('sess-1', first)]), live });
    const partial = new TimelineModel();
    partial.append(first);
    await page.waitForFunction((n) => (globalThis as unknown as W).document.querySelectorAll('#events [role="option"]:not([hidden])').length === n, partial.count);
    assert.match((await page.locator('#session-picker option').first().textContent()) ?? '', /recording now/);
    assert.equal(await page.locator('#follow-live').isChecked(), true);
    assert.equal(listeners.length, 1);
    for (const e of events.slice(10)) {
      listeners[0]?.(e);
    }
    await page.waitForFunction((n) => (globalThis as unknown as W).document.querySelectorAll('#events [role="option"]:not([hidden])').length === n, model.count);
    await page.waitForFunction((n) => (globalThis as unknown as W).document.getElementById('timeline-canvas')?.dataset.items === String(n), model.count);
    // Following: the live end is in view.
    const view = await page.locator('#timeline-canvas').evaluate((c: unknown) => ({ start: Number((c as El).dataset.viewStart), msPerPx: Number((c as El).dataset.msPerPx) }));
    const box = await page.locator('#timeline-canvas').boundingBox();
    const end = view.start + (box?.width ?? 0) * view.msPerPx;
    assert.ok(end >= model.lastTs - (model.origin ?? 0), 'the last event is in view');
    await page.close();
  });

  test('a trace without sessions says so', async () => {
    const { page } = await open({ library: new MemoryLibrary([]), ready: 'No sessions' });
    assert.equal(await page.locator('#session-picker').isDisabled(), true);
    assert.equal(await page.locator('#session-picker option').textContent(), 'No sessions recorded yet');
    assert.equal(await page.locator('#events [role="option"]').count(), 0);
    await page.close();
  });

  test('a damaged trace: a banner says what could not be read, the rest is drawn', async () => {
    const problems = new Map([['sess-1', { problems: [{ message: 'not JSON', file: 'trace.ndjson', line: 7 }], summary: '1 line could not be read (not JSON)' }]]);
    const { page } = await open({ problems });
    const banner = page.locator('#banner');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /1 line could not be read \(not JSON\).*trace\.ndjson:7: not JSON/s);
    assert.equal(await page.locator('#events [role="option"]').count(), model.count);
    await page.close();
  });

  test('light and high-contrast themes: the page reads the theme variables and draws without errors', async () => {
    for (const theme of ['light', 'high-contrast'] as const) {
      const { page, violations } = await open({ theme });
      const colours = await page.evaluate(() => {
        const w = globalThis as unknown as W;
        return w.getComputedStyle(w.document.body).color;
      });
      assert.equal(colours, theme === 'light' ? 'rgb(59, 59, 59)' : 'rgb(255, 255, 255)');
      await page.waitForFunction(() => Number((globalThis as unknown as W).document.getElementById('timeline-canvas')?.dataset.frames) > 0);
      assert.deepEqual(violations, []);
      await page.close();
    }
  });
});
