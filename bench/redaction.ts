/**
 * Benchmark of the secret redaction engine (src/privacy/redact.ts) on its measured corpus
 * (test/fixtures/redaction): recall on the positives, false positives per 10,000 lines of the
 * negatives, and the scan cost in µs per KB — per negative file (median over the files), on 1 MB
 * single lines (ordinary and adversarial) and on a 10 MB ordinary file. Each cost is the median
 * of several runs.
 */
import { loadCorpus, measureFalsePositives, measureRecall } from '../src/privacy/corpus';
import { Redactor } from '../src/privacy/redact';
import { percentile, printRow, type Row } from './stats';

const MB = 1 << 20;

/** Median µs per KB of redacting `text`, over `runs` runs. */
function costUsPerKb(redactor: Redactor, text: string, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    redactor.redact(text);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / (text.length / 1024));
  }
  return percentile(samples.sort((a, b) => a - b), 50);
}

/** A reproducible pseudo-random string (xorshift32). */
function seeded(n: number, alphabet: string): string {
  let x = 0x2545f491;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.push(alphabet[(x >>> 0) % alphabet.length]);
  }
  return out.join('');
}

const fill = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** Lets the event loop run (output, garbage collection) between two measurements. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function runRedactionBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const add = async (row: Row): Promise<void> => {
    rows.push(row);
    printRow(row);
    await breathe();
  };
  const redactor = new Redactor();
  const corpus = loadCorpus();

  const recall = measureRecall(redactor, corpus.positives);
  await add({
    name: 'redaction: recall on the positives',
    figures: { recall_pct: recall.recall * 100, detected: recall.detected, positives: recall.total, families: Object.keys(recall.byFamily).length },
  });
  const fp = measureFalsePositives(redactor, corpus.negatives);
  await add({
    name: 'redaction: false positives on the negatives',
    figures: { fp: fp.falsePositives.length, fp_per_10k_lines: fp.perTenThousandLines, lines: fp.lines, files: fp.files },
  });

  const perFile = corpus.negatives.map((f) => costUsPerKb(redactor, f.text, 7)).sort((a, b) => a - b);
  await add({
    name: 'redaction: scan cost, negative files',
    figures: { median_us_per_kb: percentile(perFile, 50), p90_us_per_kb: percentile(perFile, 90), max_us_per_kb: percentile(perFile, 100), files: perFile.length },
  });

  const minified = corpus.negatives.find((f) => f.name.endsWith('.min.js'))?.text.replace(/\n/g, ' ') ?? '';
  const lines: Array<[string, string]> = [
    ['minified JS', fill(minified, MB)],
    ['base64', seeded(MB, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')],
  ];
  for (const [what, line] of lines) {
    await add({ name: `redaction: scan cost, 1 MB single line (${what})`, figures: { median_us_per_kb: costUsPerKb(redactor, line, 5) } });
  }
  // inputs aimed at each scanner: the worst of them
  const adversarial = ['key=', 'aws_secret_access_key=', 'password: "', 'eyJabcdefghijkl.', '-----BEGIN RSA PRIVATE KEY-----\n', 'http://a:b', 'curl -u a:', 'Authorization: Bearer ', 'xoxb-1234567890-'];
  let worst = 0;
  let worstUnit = '';
  for (const unit of adversarial) {
    const cost = costUsPerKb(redactor, fill(unit, MB), 3);
    if (cost > worst) {
      worst = cost;
      worstUnit = unit;
    }
  }
  await add({ name: 'redaction: scan cost, 1 MB adversarial line (worst)', figures: { median_us_per_kb: worst, unit: JSON.stringify(worstUnit.trim()) } });

  const all = corpus.negatives.map((f) => f.text).join('\n');
  const big = fill(all, 10 * MB);
  const bigCost = costUsPerKb(redactor, big, 3);
  await add({ name: 'redaction: scan cost, 10 MB ordinary file', figures: { median_us_per_kb: bigCost, ms: (bigCost * big.length) / 1024 / 1000 } });
  return rows;
}
