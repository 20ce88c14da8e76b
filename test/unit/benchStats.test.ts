import * as assert from 'node:assert/strict';
import { median, pairedRatio } from '../../bench/stats';

suite('bench/stats', () => {
  test('median: the middle value; of an even count, the mean of the two in the middle', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  test('pairedRatio: geometric mean of the pairs’ ratios with a 95 % t interval on their logarithms', () => {
    // ratios 1.1 and 0.9 → geometric mean √0.99; logs ±0.0953 and −0.1054: sd 0.1419, t(1) = 12.706
    const r = pairedRatio([110, 90], [100, 100]);
    assert.equal(r.pairs, 2);
    assert.ok(Math.abs(r.ratio - Math.sqrt(0.99)) < 1e-12);
    const half = 12.706 * (Math.abs(Math.log(1.1) - Math.log(0.9)) / Math.SQRT2 / Math.SQRT2);
    assert.ok(Math.abs(Math.log(r.high) - (Math.log(r.ratio) + half)) < 1e-9, `${r.high}`);
    assert.ok(Math.abs(Math.log(r.low) - (Math.log(r.ratio) - half)) < 1e-9, `${r.low}`);
  });

  test('pairedRatio: identical ratios give a zero-width interval; drift common to a pair cancels', () => {
    const r = pairedRatio([105, 210, 420], [100, 200, 400]);
    assert.ok(Math.abs(r.ratio - 1.05) < 1e-12);
    assert.ok(Math.abs(r.low - 1.05) < 1e-12 && Math.abs(r.high - 1.05) < 1e-12);
  });

  test('pairedRatio: pairs with a missing, zero or non-finite side are left out; one pair has no interval', () => {
    const r = pairedRatio([100, 0, NaN, 50], [100, 10, 10]);
    assert.equal(r.pairs, 1);
    assert.equal(r.ratio, 1);
    assert.ok(Number.isNaN(r.low) && Number.isNaN(r.high));
    assert.equal(pairedRatio([], []).pairs, 0);
  });
});
