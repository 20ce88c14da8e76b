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
