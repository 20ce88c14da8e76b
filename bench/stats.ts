/** Small statistics helpers for `npm run bench`. */

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** The median; of an even number of values, the mean of the two in the middle (of two rounds, their mean, not the lower). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) {
    return NaN;
  }
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Two-sided 97.5 % quantiles of Student's t for 1…30 degrees of freedom (a 95 % interval). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** A ratio of paired measurements with its 95 % confidence interval. */
export interface PairedRatio {
  /** Geometric mean of the pairs' ratios. */
  ratio: number;
  /** 95 % confidence interval of it (NaN with fewer than two pairs). */
  low: number;
  high: number;
  /** Pairs with a finite, positive value on both sides. */
  pairs: number;
}

/**
 * The ratio `a / b` of paired measurements (pair i: `a[i]` and `b[i]`, measured next to each
 * other): the geometric mean of the pairs' ratios, with a t interval on their logarithms. Pairs
 * taken close in time cancel the machine's drift, which on shared cores is larger than the
 * effect measured; the interval says how far the figure can be trusted.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): PairedRatio {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] > 0 && b[i] > 0 && Number.isFinite(a[i]) && Number.isFinite(b[i])) logs.push(Math.log(a[i] / b[i]));
  }
  const n = logs.length;
  if (n === 0) return { ratio: NaN, low: NaN, high: NaN, pairs: 0 };
  const mean = logs.reduce((x, y) => x + y, 0) / n;
  if (n === 1) return { ratio: Math.exp(mean), low: NaN, high: NaN, pairs: 1 };
  const sd = Math.sqrt(logs.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1));
  const half = T975[Math.min(n - 1, T975.length) - 1] * (sd / Math.sqrt(n));
  return { ratio: Math.exp(mean), low: Math.exp(mean - half), high: Math.exp(mean + half), pairs: n };
}

export interface Row {
  name: string;
  figures: Record<string, string | number>;
}

export function printRow(row: Row): void {
  const parts = Object.entries(row.figures).map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : v}`);
  process.stdout.write(`${row.name.padEnd(52)} ${parts.join('  ')}\n`);
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (Math.abs(v) >= 1000) {
    return Math.round(v).toLocaleString('en-US');
  }
  return v.toFixed(v >= 10 ? 1 : 2);
}
