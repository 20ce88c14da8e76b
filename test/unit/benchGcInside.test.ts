import * as assert from 'node:assert/strict';
import { setAgainstGc } from '../../bench/vscode/gcInside';
import type { CallbackLog } from '../../bench/vscode/turns';

/** Callbacks as [start, end, block, turn]. */
function log(callbacks: [number, number, number, number][]): CallbackLog {
  return {
    start: callbacks.map((c) => c[0]),
    end: callbacks.map((c) => c[1]),
    block: callbacks.map((c) => c[2]),
    turn: callbacks.map((c) => c[3]),
    what: callbacks.map((_, i) => `callback ${i}`),
  };
}

suite('bench: the garbage collector set against Worktrace\'s callbacks', () => {
  test('takes out of each callback the pauses that overlap it, and only that part', () => {
    const result = setAgainstGc(
      log([
        [0, 10, 10, 0], // a pause of 6 ms inside
        [20, 24, 4, 0], // a pause that starts 2 ms before its end
        [30, 31, 1, 1], // none
      ]),
      [
        [2, 8],
        [22, 40], // also covers the third callback
      ],
    );
    assert.equal(result.insideMs, 6 + 2 + 1);
    assert.equal(result.callbacks, 3);
    assert.equal(result.ownMs, 4 + 2 + 0);
    assert.equal(result.longestBlockMs, 4);
    assert.equal(result.longestBlockWhat, 'callback 0');
    assert.equal(result.longestTurnMs, 6);
    assert.equal(result.longestTurnCalls, 2);
  });

  test('a callback that ran without any pause keeps its block; pauses may come in any order', () => {
    const result = setAgainstGc(
      log([
        [0, 5, 3, 0],
        [100, 112, 12, 1],
        [113, 114, 1, 1],
      ]),
      [
        [50, 60],
        [6, 7],
      ],
    );
    assert.equal(result.insideMs, 0);
    assert.equal(result.ownMs, 16);
    assert.equal(result.longestBlockMs, 12);
    assert.equal(result.longestTurnMs, 13);
    assert.equal(result.longestTurnCalls, 2);
  });

  test('never takes a block below zero (its block is min(wall, CPU), the pause wall time)', () => {
    const result = setAgainstGc(log([[0, 10, 3, 0]]), [[0, 10]]);
    assert.equal(result.ownMs, 0);
    assert.equal(result.insideMs, 10);
  });
});
