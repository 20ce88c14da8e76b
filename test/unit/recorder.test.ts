import * as assert from 'node:assert/strict';
import { MemoryLogger } from '../../src/common/logger';
import type { NewEvent, TraceEvent } from '../../src/trace/events';
import { passThroughPrivacy, Recorder, type PrivacyStage } from '../../src/trace/recorder';
import { validateEvent } from '../support/schema';

/**
 * A Recorder with a turn budget, on a clock the test moves and a "later" the test runs by
 * hand: each recorded event costs `costMs` of the clock, and `turn()` runs what was
 * deferred to the next turn of the event loop.
 */
function setup(options: { budgetMs: number; costMs: number; privacy?: PrivacyStage }) {
  let clock = 0;
  let wall = 1_000_000;
  const deferred: (() => void)[] = [];
  const written: TraceEvent[] = [];
  const recorder = new Recorder(
    { session: 's', workspace: 'w' },
    options.privacy ?? passThroughPrivacy,
    {
      write: (e) => {
        clock += options.costMs;
        written.push(e);
      },
    },
    new MemoryLogger(),
    () => wall,
    { turnBudgetMs: options.budgetMs, clock: () => clock, later: (fn) => deferred.push(fn) },
  );
  return {
    recorder,
    written,
    paths: () => written.map((e) => ('path' in e ? e.path : e.kind)),
    tick: (ms: number) => (wall += ms),
    /** Runs the callbacks deferred so far, as the next turn would; returns how many ran. */
    turn: (): number => {
      const now = deferred.splice(0);
      now.forEach((fn) => fn());
      return now.length;
    },
  };
}

const save = (i: number): NewEvent => ({ kind: 'doc.save', path: `src/f${i}.ts`, version: 2 });

suite('Recorder: turn budget', () => {
  test('without a budget every event is recorded at once, however long it takes', () => {
    const written: TraceEvent[] = [];
    const recorder = new Recorder({ session: 's', workspace: 'w' }, passThroughPrivacy, { write: (e) => written.push(e) }, new MemoryLogger());
    for (let i = 0; i < 500; i++) recorder.emit(save(i));
    assert.equal(written.length, 500);
    assert.equal(recorder.backlog, 0);
  });

  test('past the budget the rest of the turn waits, and later turns record it a budget at a time, in order', () => {
    const t = setup({ budgetMs: 4, costMs: 1 });
    for (let i = 0; i < 10; i++) t.recorder.emit(save(i));
    assert.equal(t.written.length, 4, 'four events of 1 ms fill the 4 ms budget of this turn');
    assert.equal(t.recorder.backlog, 6);
    t.turn();
    assert.equal(t.written.length, 8, 'the next turn records another 4 ms worth');
    t.turn();
    assert.equal(t.written.length, 10);
    assert.equal(t.recorder.backlog, 0);
    assert.deepEqual(
      t.paths(),
      Array.from({ length: 10 }, (_, i) => `src/f${i}.ts`),
    );
    assert.deepEqual(
      t.written.map((e) => e.seq),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    t.written.forEach((e) => assert.deepEqual(validateEvent(e), []));
  });

  test('a waiting event keeps the time it was emitted, not the time it was recorded', () => {
    const t = setup({ budgetMs: 1, costMs: 1 });
    t.recorder.emit(save(0));
    t.recorder.emit(save(1)); // waits
    const emittedAt = t.tick(0);
    t.tick(250);
    t.turn();
    assert.equal(t.written[1].ts, emittedAt);
  });

  test('while events wait, a new one goes behind them even in a fresh turn', () => {
    const t = setup({ budgetMs: 2, costMs: 1 });
    for (let i = 0; i < 5; i++) t.recorder.emit(save(i));
    assert.equal(t.written.length, 2);
    t.recorder.emit(save(5)); // same turn: behind the three waiting
    t.turn();
    t.recorder.emit(save(6)); // after a slice, with one still waiting
    t.turn();
    t.turn();
    assert.deepEqual(t.paths(), ['src/f0.ts', 'src/f1.ts', 'src/f2.ts', 'src/f3.ts', 'src/f4.ts', 'src/f5.ts', 'src/f6.ts']);
  });

  test("an observer's derived events are recorded at once, right after the event they follow", () => {
    const t = setup({ budgetMs: 2, costMs: 1 });
    t.recorder.observe((e) => {
      if (e.kind === 'doc.save') t.recorder.emit({ kind: 'doc.close', path: e.path });
    });
    for (let i = 0; i < 3; i++) t.recorder.emit(save(i));
    while (t.turn() > 0) {
      /* run every later turn */
    }
    assert.deepEqual(
      t.written.map((e) => `${e.kind} ${'path' in e ? e.path : ''}`),
      ['doc.save src/f0.ts', 'doc.close src/f0.ts', 'doc.save src/f1.ts', 'doc.close src/f1.ts', 'doc.save src/f2.ts', 'doc.close src/f2.ts'],
    );
  });

  test('drain records everything waiting now, so what a flush or pause writes next comes after it', () => {
    const t = setup({ budgetMs: 1, costMs: 1 });
    for (let i = 0; i < 6; i++) t.recorder.emit(save(i));
    assert.equal(t.recorder.backlog, 5);
    t.recorder.drain();
    assert.equal(t.recorder.backlog, 0);
    t.recorder.emit({ kind: 'capture.pause', reason: 'paused', until: null });
    t.turn();
    t.turn();
    assert.deepEqual(t.paths(), ['src/f0.ts', 'src/f1.ts', 'src/f2.ts', 'src/f3.ts', 'src/f4.ts', 'src/f5.ts', 'capture.pause']);
  });

  test('dispose records what still waits, then nothing more', () => {
    const t = setup({ budgetMs: 1, costMs: 1 });
    for (let i = 0; i < 4; i++) t.recorder.emit(save(i));
    t.recorder.dispose();
    assert.equal(t.written.length, 4);
    t.recorder.emit(save(9));
    t.turn();
    assert.equal(t.written.length, 4);
  });

  test('the privacy stage sees waiting events in the order they were emitted', () => {
    const seen: string[] = [];
    const privacy: PrivacyStage = {
      process: (event) => {
        seen.push(event.kind === 'doc.save' ? event.path : event.kind);
        return [{ event }];
      },
    };
    const t = setup({ budgetMs: 1, costMs: 1, privacy });
    for (let i = 0; i < 4; i++) t.recorder.emit(save(i));
    assert.deepEqual(seen, ['src/f0.ts'], 'only the first fit the budget');
    while (t.turn() > 0) {
      /* run every later turn */
    }
    assert.deepEqual(seen, ['src/f0.ts', 'src/f1.ts', 'src/f2.ts', 'src/f3.ts']);
  });
});
