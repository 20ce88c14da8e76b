import * as assert from 'node:assert/strict';
import type { IDisposable } from '../../src/common/lifecycle';
import { MemoryLogger } from '../../src/common/logger';
import { TimelineController, type LiveSource } from '../../src/timeline/controller';
import { MemoryLibrary, type LibraryProblem, type SessionLibrary } from '../../src/timeline/library';
import { LiveBatcher, type Scheduler } from '../../src/timeline/liveBatcher';
import type { ChunkMessage, HostMessage } from '../../src/timeline/protocol';
import type { TraceEvent } from '../../src/trace/events';
import { story, T0, TraceBuilder } from './timelineStory';

class FakeScheduler implements Scheduler {
  private next = 1;
  readonly timers = new Map<number, { callback: () => void; ms: number }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  fire(): void {
    const due = [...this.timers.values()];
    this.timers.clear();
    for (const t of due) {
      t.callback();
    }
  }
}

class FakeLive implements LiveSource {
  private listeners: ((e: TraceEvent) => void)[] = [];
  constructor(public id: string | undefined) {}
  sessionId(): string | undefined {
    return this.id;
  }
  onDidRecord(listener: (e: TraceEvent) => void): IDisposable {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  }
  get subscribers(): number {
    return this.listeners.length;
  }
  record(e: TraceEvent): void {
    for (const l of this.listeners) {
      l(e);
    }
  }
}

/** Lets pending promise callbacks and immediates run (no timers, no waiting on the clock). */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (predicate()) {
      return;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  assert.fail(`never happened: ${what}`);
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function session(id: string, events: TraceEvent[]) {
  return { id, workspace: 'ws-1', firstTs: Math.min(...events.map((e) => e.ts)), lastTs: Math.max(...events.map((e) => e.ts)), events };
}

function setup(library: SessionLibrary, o: { live?: FakeLive; chunkSize?: number } = {}) {
  const posted: HostMessage[] = [];
  const opened: [string, number][] = [];
  const log = new MemoryLogger();
  const scheduler = new FakeScheduler();
  let openFails = false;
  const controller = new TimelineController({
    library,
    live: o.live,
    log,
    post: (m) => {
      posted.push(m);
      return Promise.resolve(true);
    },
    openLocation: (path, line) => {
      if (openFails) {
        return Promise.reject(new Error('no such file'));
      }
      opened.push([path, line]);
      return Promise.resolve();
    },
    scheduler,
    chunkSize: o.chunkSize,
  });
  const of = <T extends HostMessage['type']>(type: T) => posted.filter((m): m is Extract<HostMessage, { type: T }> => m.type === type);
  const loaded = () => of('status').some((s) => !s.loading);
  return {
    controller,
    posted,
    opened,
    log,
    scheduler,
    of,
    failOpen: () => (openFails = true),
    loaded,
    items: () => of('chunk').reduce((n, c) => n + c.start.length, 0),
    ready: async (state: unknown = null) => {
      const before = of('status').filter((s) => !s.loading).length;
      controller.handle({ type: 'ready', state });
      await until(() => of('status').filter((s) => !s.loading).length > before, 'the session loaded');
    },
  };
}

suite('timeline controller', () => {
  test('ready: init, the sessions, then the newest session in chunks, then its status', async () => {
    const older = session('old', new TraceBuilder('old').events.concat(story().map((e) => ({ ...e, session: 'old', id: `o-${e.id}`, ts: e.ts - 86_400_000 }))));
    const newer = session('new', story());
    const t = setup(new MemoryLibrary([older, newer], undefined, 7), { chunkSize: 4 });
    await t.ready();
    const types = t.posted.map((m) => m.type);
    assert.deepEqual(types.slice(0, 3), ['init', 'sessions', 'session']);
    assert.ok(types.lastIndexOf('chunk') < types.lastIndexOf('status'), 'the final status comes after every chunk');
    assert.deepEqual(
      t.of('sessions')[0]?.sessions.map((s) => s.id),
      ['new', 'old'],
      'newest first',
    );
    assert.equal(t.of('session')[0]?.summary.id, 'new');
    const chunks = t.of('chunk');
    assert.ok(chunks.every((c) => c.start.length <= 4));
    assert.deepEqual(
      chunks.map((c) => c.base),
      chunks.map((_, k) => chunks.slice(0, k).reduce((n, c) => n + c.start.length, 0)),
      'contiguous',
    );
    const status = t.of('status').at(-1);
    assert.equal(status?.loading, false);
    assert.equal(status?.events, newer.events.length);
    assert.equal(t.items(), status?.items);
    assert.equal(t.controller.sessionId, 'new');
    // Learned the folders and the task: the picker gets them.
    const last = t.of('sessions').at(-1)?.sessions.find((s) => s.id === 'new');
    assert.deepEqual(last?.folders, ['app']);
    assert.equal(last?.goal, 'Fix the login bug');
  });

  test('ready with a saved state shows that session again', async () => {
    const a = session('a', story());
    const b = session('b', story().map((e) => ({ ...e, id: `b${e.id}`, session: 'b', ts: e.ts + 1000 })));
    const t = setup(new MemoryLibrary([a, b]));
    await t.ready({ sessionId: 'a', start: 0, msPerPx: 10 });
    assert.equal(t.of('session')[0]?.summary.id, 'a');
    assert.equal(t.of('sessions')[0]?.selected, 'a');
  });

  test('details for the current load only; links point at items', async () => {
    const t = setup(new MemoryLibrary([session('s', story())]));
    await t.ready();
    const generation = t.of('session')[0]?.generation ?? -1;
    t.controller.handle({ type: 'requestDetails', generation: generation + 1, index: 0 });
    assert.equal(t.of('details').length, 0, 'a stale request gets no answer');
    t.controller.handle({ type: 'requestDetails', generation, index: 1 });
    const d = t.of('details')[0];
    assert.equal(d?.index, 1);
    assert.equal(d?.details?.kind, 'goal');
    t.controller.handle({ type: 'requestDetails', generation, index: 99_999 });
    assert.equal(t.of('details')[1]?.details, null);
  });

  test('picking another session starts a new load; the old one sends nothing more', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: SessionLibrary = {
      list: () => Promise.resolve([{ id: 'slow', workspace: 'w', firstTs: T0, lastTs: T0 + 9e6, events: 26 }, { id: 'fast', workspace: 'w', firstTs: T0 - 1, lastTs: T0, events: 26 }]),
      load: async (id, onChunk) => {
        if (id === 'slow') {
          await gate;
        }
        onChunk(story());
      },
    };
    const t = setup(slow);
    t.controller.handle({ type: 'ready', state: null });
    await until(() => t.of('session').length === 1, 'the slow session started');
    t.controller.handle({ type: 'pickSession', id: 'fast' });
    await until(() => t.loaded(), 'the fast session loaded');
    const fast = t.of('session')[1];
    assert.equal(fast?.summary.id, 'fast');
    release();
    await turns(10);
    assert.ok(
      t.of('chunk').every((c) => c.generation === fast?.generation),
      'no chunk of the superseded load',
    );
    assert.equal(t.controller.sessionId, 'fast');
  });

  test('the live session: recorded events are batched; one timer per batch, none while nothing arrives', async () => {
    const events = story();
    const live = new FakeLive('live');
    const t = setup(new MemoryLibrary([session('live', events.slice(0, 10))]), { live });
    await t.ready();
    assert.equal(t.of('session')[0]?.live, true);
    assert.equal(live.subscribers, 1);
    assert.equal(t.scheduler.timers.size, 0, 'no timer while nothing arrives');
    const itemsBefore = t.items();
    const chunksBefore = t.of('chunk').length;
    for (const e of events.slice(10)) {
      live.record(e);
    }
    assert.equal(t.scheduler.timers.size, 1, 'one timer for the whole batch');
    assert.equal([...t.scheduler.timers.values()][0]?.ms, 250);
    assert.equal(t.of('chunk').length, chunksBefore, 'nothing sent before the timer fires');
    t.scheduler.fire();
    const sent = t.of('chunk').slice(chunksBefore);
    assert.ok(sent.length >= 1);
    const total = new MemoryLibrary([session('x', events)]);
    const all = setup(total);
    await all.ready();
    assert.equal(t.items(), all.items(), 'the live session ends up with every item');
    assert.ok(t.items() > itemsBefore);
    assert.equal(t.scheduler.timers.size, 0);
    // A debug session that started before this batch and ended in it is sent as an update.
    assert.ok(sent.some((c) => c.updates.length > 0 || c.start.length > 0));
  });

  test('events recorded while the live session is read are appended after it, duplicates dropped', async () => {
    const events = story();
    const live = new FakeLive('live');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const library: SessionLibrary = {
      list: () => Promise.resolve([{ id: 'live', workspace: 'w', firstTs: T0, lastTs: T0 + 130_000, events: 20 }]),
      load: async (_id, onChunk) => {
        await gate;
        onChunk(events.slice(0, 20));
      },
    };
    const t = setup(library, { live });
    t.controller.handle({ type: 'ready', state: null });
    await until(() => live.subscribers === 1, 'subscribed before reading');
    for (const e of events.slice(15)) {
      live.record(e); // 15-19 are also in the file
    }
    release();
    await until(() => t.loaded(), 'loaded');
    assert.equal(t.of('status').at(-1)?.events, events.length);
    assert.equal(t.scheduler.timers.size, 0, 'the early events went with the load, not through a timer');
  });

  test('another session shown: the live subscription ends', async () => {
    const live = new FakeLive('live');
    const t = setup(new MemoryLibrary([session('live', story()), session('other', story().map((e) => ({ ...e, id: `x${e.id}`, session: 'other' })))]), { live });
    await t.ready();
    assert.equal(live.subscribers, 1);
    t.controller.handle({ type: 'pickSession', id: 'other' });
    await until(() => t.of('session').length === 2 && t.of('status').filter((s) => !s.loading).length === 2, 'other loaded');
    assert.equal(live.subscribers, 0);
    live.record(new TraceBuilder('live').add('editor.focus', 1, { path: null }, 'z'));
    assert.equal(t.scheduler.timers.size, 0);
  });

  test('a live session not yet written is offered and fills from recorded events', async () => {
    const live = new FakeLive('fresh');
    const t = setup(new MemoryLibrary([]), { live });
    await t.ready();
    assert.deepEqual(
      t.of('sessions')[0]?.sessions.map((s) => [s.id, s.live]),
      [['fresh', true]],
    );
    const b = new TraceBuilder('fresh');
    live.record(b.add('session.start', 1, { vscodeVersion: '1', extensionVersion: '1', platform: 'linux', folders: ['w'], repos: [] }));
    t.scheduler.fire();
    assert.equal(t.items(), 1);
  });

  test('a damaged trace: what could be read is shown, and a banner says what could not', async () => {
    const problems = new Map<string, { problems: LibraryProblem[]; summary: string }>([
      ['s', { problems: [{ message: 'not JSON', file: 'trace.ndjson', line: 7 }, { message: 'truncated gzip', file: 'b.ndjson.gz' }], summary: '2 lines could not be read (1 not JSON, 1 truncated gzip)' }],
    ]);
    const t = setup(new MemoryLibrary([session('s', story())], problems));
    await t.ready();
    const problem = t.of('problem')[0];
    assert.equal(problem?.severity, 'warning');
    assert.equal(problem?.message, '2 lines could not be read (1 not JSON, 1 truncated gzip)');
    assert.deepEqual(problem?.detail, ['trace.ndjson:7: not JSON', 'b.ndjson.gz: truncated gzip']);
    assert.equal(problem?.generation, t.of('session')[0]?.generation);
    assert.ok(t.items() > 0);
  });

  test('a library that fails part-way: the events read before are shown, with an error banner', async () => {
    const library: SessionLibrary = {
      list: () => Promise.resolve([{ id: 's', workspace: 'w', firstTs: T0, lastTs: T0 + 1, events: 26 }]),
      load: (_id, onChunk) => {
        onChunk(story().slice(0, 8));
        return Promise.reject(new Error('EIO: read failed'));
      },
    };
    const t = setup(library);
    await t.ready();
    const problem = t.of('problem')[0];
    assert.equal(problem?.severity, 'error');
    assert.match(problem?.message ?? '', /EIO: read failed.*8 event/);
    assert.ok(t.items() > 0);
  });

  test('listing fails: a banner, no throw', async () => {
    const t = setup({ list: () => Promise.reject(new Error('EACCES')), load: () => Promise.resolve() });
    await t.ready();
    assert.match(t.of('problem')[0]?.message ?? '', /EACCES/);
    assert.deepEqual(t.of('sessions')[0]?.sessions, []);
  });

  test('open location: only paths of the session shown; failures become a banner', async () => {
    const t = setup(new MemoryLibrary([session('s', story())]));
    await t.ready();
    t.controller.handle({ type: 'openLocation', path: 'src/app.ts', line: 13 });
    t.controller.handle({ type: 'openLocation', path: '/etc/passwd', line: 1 });
    await until(() => t.opened.length === 1, 'opened');
    assert.deepEqual(t.opened, [['src/app.ts', 13]]);
    assert.ok(t.log.lines.some((l) => l.includes('/etc/passwd')));
    t.failOpen();
    t.controller.handle({ type: 'openLocation', path: 'src/login.ts', line: 1 });
    await until(() => t.of('problem').length === 1, 'a banner');
    assert.match(t.of('problem')[0]?.message ?? '', /src\/login\.ts could not be opened: no such file/);
  });

  test('malformed messages are logged and ignored', () => {
    const t = setup(new MemoryLibrary([]));
    assert.doesNotThrow(() => {
      t.controller.handle(undefined);
      t.controller.handle({ type: 'requestDetails', generation: 'x', index: 0 });
      t.controller.handle({ type: 'openLocation', path: 'a', line: -1 });
    });
    assert.equal(t.posted.length, 0);
    assert.equal(t.log.lines.filter((l) => l.includes('malformed')).length, 3);
  });

  test('hidden then shown again: the page reloads and gets the session from memory, not from the trace', async () => {
    let loads = 0;
    const inner = new MemoryLibrary([session('s', story())]);
    const library: SessionLibrary = { list: () => inner.list(), load: (...args) => (loads++, inner.load(...args)) };
    const t = setup(library);
    await t.ready();
    const firstItems = t.items();
    t.controller.setVisible(false);
    t.controller.handle({ type: 'requestDetails', generation: 1, index: 0 });
    t.controller.setVisible(true);
    await t.ready({ sessionId: 's' });
    assert.equal(loads, 1);
    const second = t.of('session')[1];
    const resent = t.of('chunk').filter((c) => c.generation === second?.generation);
    assert.equal(
      resent.reduce((n, c: ChunkMessage) => n + c.start.length, 0),
      firstItems,
    );
    assert.equal(resent[0]?.base, 0);
  });

  test('theme changes reach the page once it is there', async () => {
    const t = setup(new MemoryLibrary([]));
    t.controller.theme('light');
    assert.equal(t.of('theme').length, 0);
    await t.ready();
    t.controller.theme('high-contrast');
    assert.deepEqual(t.of('theme'), [{ type: 'theme', kind: 'high-contrast' }]);
  });

  test('disposed: nothing more is posted, live listener removed', async () => {
    const live = new FakeLive('live');
    const t = setup(new MemoryLibrary([session('live', story())]), { live });
    await t.ready();
    t.controller.dispose();
    assert.equal(live.subscribers, 0);
    const n = t.posted.length;
    t.controller.handle({ type: 'ready', state: null });
    assert.equal(t.posted.length, n);
  });
});

suite('live batcher', () => {
  test('gathers until its timer fires; flush sends at once; clear drops', () => {
    const scheduler = new FakeScheduler();
    const batches: number[][] = [];
    const batcher = new LiveBatcher<number>((b) => batches.push(b), 250, scheduler);
    assert.equal(batcher.scheduled, false);
    batcher.push(1);
    batcher.push(2);
    assert.equal(scheduler.timers.size, 1);
    scheduler.fire();
    assert.deepEqual(batches, [[1, 2]]);
    assert.equal(batcher.scheduled, false);
    batcher.push(3);
    batcher.flush();
    assert.deepEqual(batches, [[1, 2], [3]]);
    assert.equal(scheduler.timers.size, 0);
    batcher.push(4);
    batcher.clear();
    assert.equal(scheduler.timers.size, 0);
    batcher.flush();
    assert.deepEqual(batches, [[1, 2], [3]]);
    batcher.dispose();
    batcher.push(5);
    assert.equal(scheduler.timers.size, 0);
  });
});
