import * as assert from 'node:assert/strict';
import { TurnBudget } from '../../src/common/turnBudget';
import { TurnQueue } from '../../src/common/turnQueue';
import { MemoryLogger } from '../../src/common/logger';

/** A queue on a clock the test moves: each piece of work "takes" `costMs`. */
function harness(budgetMs?: number, costMs = 1) {
  let clock = 0;
  const deferred: (() => void)[] = [];
  const log = new MemoryLogger();
  const queue = new TurnQueue(log, { ...(budgetMs === undefined ? {} : { budgetMs }), clock: () => clock, later: (fn) => deferred.push(fn) });
  const done: string[] = [];
  const work = (name: string) => () => {
    clock += costMs;
    done.push(name);
  };
  return {
    queue,
    done,
    log,
    work,
    /** Runs the callbacks deferred so far, as the next turn would; returns how many ran. */
    turn: (): number => {
      const now = deferred.splice(0);
      now.forEach((fn) => fn());
      return now.length;
    },
  };
}

suite('TurnQueue', () => {
  test('without a budget all work runs at once', () => {
    const h = harness();
    for (let i = 0; i < 300; i++) h.queue.run('w', h.work(`w${i}`));
    assert.equal(h.done.length, 300);
    assert.equal(h.queue.backlog, 0);
  });

  test('work past the budget of a turn waits for later turns, a budget at a time, in order', () => {
    const h = harness(3);
    for (let i = 0; i < 10; i++) h.queue.run('w', h.work(`w${i}`));
    assert.deepEqual(h.done, ['w0', 'w1', 'w2'], 'three pieces of 1 ms fill a 3 ms budget');
    assert.equal(h.queue.backlog, 7);
    h.turn();
    assert.deepEqual(h.done, ['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    h.turn();
    h.turn();
    assert.deepEqual(h.done, Array.from({ length: 10 }, (_, i) => `w${i}`));
    assert.equal(h.queue.backlog, 0);
  });

  test('a new turn starts with the whole budget, unless work still waits (order is kept)', () => {
    const h = harness(2);
    h.queue.run('a', h.work('a'));
    h.queue.run('b', h.work('b'));
    h.queue.run('c', h.work('c')); // over budget: waits
    h.queue.run('d', h.work('d')); // something waits: queues behind it, whatever the budget
    assert.deepEqual(h.done, ['a', 'b']);
    h.turn(); // resets the budget and runs a slice: c, d (2 ms: this turn's budget)
    assert.deepEqual(h.done, ['a', 'b', 'c', 'd']);
    h.turn(); // the next turn
    h.queue.run('e', h.work('e'));
    assert.deepEqual(h.done, ['a', 'b', 'c', 'd', 'e'], 'nothing waits and the budget was reset: at once');
  });

  test('queues sharing a TurnBudget share one budget per turn; work nested in counted work counts once', () => {
    let clock = 0;
    const deferred: (() => void)[] = [];
    const later = (fn: () => void): void => void deferred.push(fn);
    const budget = new TurnBudget(3, () => clock, later);
    const log = new MemoryLogger();
    const collectors = new TurnQueue(log, { budget, later });
    const recorder = new TurnQueue(log, { budget, later });
    const done: string[] = [];
    const work = (name: string, ms: number) => () => {
      clock += ms;
      done.push(name);
    };
    const turn = (): void => deferred.splice(0).forEach((fn) => fn());
    // a collector's work that records at once: 1 ms of its own, 1 ms of recording, counted once (2 of 3 ms)
    collectors.run('c1', () => {
      work('c1', 1)();
      recorder.run('r1', work('r1', 1));
    });
    assert.deepEqual(done, ['c1', 'r1']);
    recorder.run('r2', work('r2', 1)); // 3 of 3 ms
    recorder.run('r3', work('r3', 1)); // the turn's budget is spent, whichever queue spent it
    collectors.run('c2', work('c2', 1));
    assert.deepEqual(done, ['c1', 'r1', 'r2']);
    assert.equal(recorder.backlog + collectors.backlog, 2);
    turn(); // the budget starts again; the recorder's slice (scheduled first) takes r3, the collectors' c2
    assert.deepEqual(done, ['c1', 'r1', 'r2', 'r3', 'c2']);
    // 2 ms pieces for both queues: a turn starts pieces while it spent less than 3 ms, so it
    // takes at most 4 ms in all (with a budget each, the two slices took up to 8)
    for (let i = 0; i < 6; i++) collectors.run('c', work(`c${i + 3}`, 2));
    for (let i = 0; i < 4; i++) recorder.run('r', work(`r${i + 4}`, 2));
    const turns: number[] = [];
    while (deferred.length > 0) {
      const started = clock;
      turn();
      turns.push(clock - started);
    }
    assert.ok(Math.max(...turns) <= 4, `each turn at most 4 ms: ${turns.join(', ')}`);
    assert.equal(recorder.backlog + collectors.backlog, 0);
    assert.deepEqual(
      done.filter((n) => n.startsWith('r')),
      ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'],
    );
  });

  test('work handed on by running work goes at once (it belongs to it)', () => {
    const h = harness(1);
    h.queue.run('first', h.work('first'));
    h.queue.run('outer', () => {
      h.done.push('outer');
      h.queue.run('inner', h.work('inner'));
    });
    assert.deepEqual(h.done, ['first']);
    h.turn();
    assert.deepEqual(h.done, ['first', 'outer', 'inner']);
  });

  test('drain runs everything waiting now; dispose drains and then takes nothing more', () => {
    const h = harness(1);
    for (let i = 0; i < 5; i++) h.queue.run('w', h.work(`w${i}`));
    assert.equal(h.queue.backlog, 4);
    h.queue.drain();
    assert.equal(h.done.length, 5);
    h.queue.run('late', h.work('late'));
    h.queue.run('later', h.work('later'));
    h.queue.dispose();
    assert.deepEqual(h.done.slice(5), ['late', 'later']);
    h.queue.run('after', h.work('after'));
    h.turn();
    assert.equal(h.done.includes('after'), false);
  });

  test('work that throws is logged with its name and the queue goes on', () => {
    const h = harness(1);
    h.queue.run('w0', h.work('w0'));
    h.queue.run('doc.open', () => {
      throw new Error('boom');
    });
    h.queue.run('w1', h.work('w1'));
    h.turn();
    assert.deepEqual(h.done, ['w0', 'w1']);
    assert.match(h.log.lines.join('\n'), /doc\.open failed: Error: boom/);
  });
});
