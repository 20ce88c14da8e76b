import * as assert from 'node:assert/strict';
import { Dwell } from '../../src/semantic/dwell';

suite('Dwell: what stayed on screen', () => {
  function setup() {
    let now = 0;
    const reported: [string, number][] = [];
    const dwell = new Dwell<number>(500, (a, b) => a === b, (k, v) => reported.push([k, v]), () => now);
    return { dwell, reported, advance: (ms: number) => (now += ms) };
  }

  test('scrolling reports only where it stopped; an unchanged value is not reported again', () => {
    const { dwell, reported, advance } = setup();
    for (let line = 1; line <= 50; line++) {
      dwell.update('a', line);
      advance(20);
    }
    assert.deepEqual(reported, []);
    advance(500);
    dwell.flush();
    assert.deepEqual(reported, [['a', 50]]);
    dwell.update('a', 50);
    dwell.flush();
    assert.deepEqual(reported, [['a', 50]], 'the same view twice is one event');
  });

  test('a value that comes back to the reported one before the dwell is not reported', () => {
    const { dwell, reported, advance } = setup();
    dwell.update('a', 1);
    advance(600);
    dwell.flush();
    dwell.update('a', 2);
    advance(100);
    dwell.update('a', 1);
    advance(600);
    dwell.flush();
    assert.deepEqual(reported, [['a', 1]], 'back where it was reported: nothing new');
  });

  test('the timer fires by itself and no timer stays armed when nothing is pending', async () => {
    let dwell: Dwell<number> | undefined;
    const reported = await new Promise<number>((resolve) => {
      dwell = new Dwell<number>(5, (a, b) => a === b, (_k, v) => resolve(v));
      dwell.update('a', 7);
    });
    assert.equal(reported, 7);
    assert.equal((dwell as unknown as { timer: unknown }).timer, undefined);
    dwell?.dispose();
  });

  test('forget drops what is pending', () => {
    const { dwell, reported, advance } = setup();
    dwell.update('a', 3);
    dwell.forget('a');
    advance(1000);
    dwell.flush();
    assert.deepEqual(reported, []);
  });
});
