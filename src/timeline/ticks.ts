/** Time-axis ticks: a round step for the scale, aligned to the local wall clock. */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H, 24 * H, 48 * H, 7 * 24 * H];

/** The smallest round step at least `minPx` apart at this scale. */
export function tickStep(msPerPx: number, minPx = 90): number {
  for (const step of STEPS) {
    if (step / msPerPx >= minPx) {
      return step;
    }
  }
  return STEPS[STEPS.length - 1];
}

/**
 * Tick times (epoch ms) from `from` to `to`, multiples of `step` in local time;
 * `utcOffsetMs` is local minus UTC (e.g. +3,600,000 in Paris in winter).
 */
export function tickTimes(from: number, to: number, step: number, utcOffsetMs: number): number[] {
  const out: number[] = [];
  let t = Math.ceil((from + utcOffsetMs) / step) * step - utcOffsetMs;
  for (let n = 0; t <= to && n < 10_000; n++, t += step) {
    out.push(t);
  }
  return out;
}

export function tickPrecision(step: number): 'millis' | 'seconds' | 'minutes' {
  return step < S ? 'millis' : step < M ? 'seconds' : 'minutes';
}
