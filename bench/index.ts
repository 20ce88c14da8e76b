/**
 * `npm run bench`: every performance figure of Worktrace, then one table of the budgets and
 * whether each holds, written to bench-results.json (git-ignored) as well.
 *
 * 1. The pure modules, timed in plain Node (per-event handler cost, pipeline, redaction,
 *    reading, changes on disk, export, the timeline page in headless Chromium).
 * 2. The whole extension in a real VS Code (code-server, the integration tests' harness),
 *    side by side with a window where it is installed but `worktrace.enabled` is false
 *    (bench/vscode/realVsCode.ts).
 * 3. The sizes users download.
 *
 *   --quick          a short run (fewer rounds, smaller inputs): under 3 minutes
 *   --compare FILE   print how each budgeted figure changed against an earlier results file
 *   --profile DIR    also write CPU profiles of the extension host (start-up and each scenario)
 *   --setting key=value   a workspace setting of the recording window (repeatable; JSON
 *                    values), to see what one part costs, e.g. worktrace.capture.diskChanges=false
 *   --only micro|vscode   one part only
 *
 * Machines are small and noisy: every figure is a median; compare ratios rather than
 * absolute numbers across machines.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import './vscodeStub'; // first: it stands in for `vscode` in the collectors
import { budgetTable, printBudgets, printComparison, realRows, type Budget } from './budgets';
import { runDiskBenchmarks } from './disk';
import { runEditBenchmarks } from './edits';
import { runExportBenchmarks } from './export';
import { runPipelineBenchmarks } from './pipeline';
import { runReadingBenchmarks } from './reading';
import { runRedactionBenchmarks } from './redaction';
import { measureSizes, type Sizes } from './sizes';
import { printRow, type Row } from './stats';
import { runTimelineBenchmark, timelineRows } from './timeline';
import { runRealVsCodeBenchmarks, type RealResults } from './vscode/realVsCode';

interface Args {
  quick: boolean;
  /** --setting key=value (JSON value), repeatable: workspace settings of the recording window. */
  settings: Record<string, unknown>;
  compare?: string;
  profile?: string;
  only?: 'micro' | 'vscode';
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, settings: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') args.quick = true;
    else if (a === '--compare' && argv[i + 1]) args.compare = argv[++i];
    else if (a === '--profile' && argv[i + 1]) args.profile = argv[++i];
    else if (a === '--setting' && argv[i + 1]?.includes('=')) {
      const [key, ...rest] = argv[++i].split('=');
      const text = rest.join('=');
      try {
        args.settings[key] = JSON.parse(text);
      } catch {
        args.settings[key] = text; // a plain string
      }
    } else if (a === '--only' && (argv[i + 1] === 'micro' || argv[i + 1] === 'vscode')) args.only = argv[++i] as 'micro' | 'vscode';
    else throw new Error(`unknown argument ${a}: use --quick, --compare FILE, --profile DIR, --setting key=value, --only micro|vscode`);
  }
  if (args.compare && !existsSync(args.compare)) throw new Error(`--compare: no such file ${args.compare}`);
  return args;
}

const benchStarted = Date.now();

/** A section's heading, with the time the run has taken so far (it must stay under 15 minutes). */
function section(title: string): void {
  const s = Math.round((Date.now() - benchStarted) / 1000);
  process.stdout.write(`\n## ${title}  (at ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')})\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
  process.stdout.write(`Worktrace benchmarks${args.quick ? ' (quick)' : ''} on ${machine}\n`);
  const rows: Row[] = [];
  if (args.only !== 'vscode') {
    section('Pure modules, plain Node: edits');
    rows.push(...(await runEditBenchmarks({ quick: args.quick })));
    section('Pure modules: delivery pipeline');
    rows.push(...(await runPipelineBenchmarks({ quick: args.quick })));
    section('Pure modules: redaction and reading');
    rows.push(...(await runRedactionBenchmarks()));
    rows.push(...runReadingBenchmarks());
    section('Pure modules: changes on disk');
    rows.push(...(await runDiskBenchmarks(args.quick ? 200 : 1000, 1)));
    if (args.quick) {
      process.stdout.write('(--quick: the export and timeline-page benchmarks are left out)\n');
    } else {
      section('Pure modules: export');
      // 1M events: WORKTRACE_BENCH_EXPORT_EVENTS=1000000 (the README's export figures).
      rows.push(...(await runExportBenchmarks(Number(process.env.WORKTRACE_BENCH_EXPORT_EVENTS ?? 100_000))));
      section('Timeline page, headless Chromium');
      const timeline = timelineRows(await runTimelineBenchmark({ events: 50_000 }));
      timeline.forEach(printRow);
      rows.push(...timeline);
    }
  }
  let real: RealResults | undefined;
  let sizes: Sizes | undefined;
  if (args.only !== 'micro') {
    section('The extension in a real VS Code (code-server 4.100.3), recording vs. installed but off');
    real = await runRealVsCodeBenchmarks({ quick: args.quick, recordingSettings: args.settings, ...(args.profile ? { profile: args.profile } : {}), log: (line) => process.stdout.write(`  ${line}\n`) });
    const r = realRows(real);
    r.forEach(printRow);
    rows.push(...r);
    if (args.profile) process.stdout.write(`  CPU profiles: ${args.profile} (node out/bench/vscode/profileSummary.js FILE says what Worktrace spent)\n`);
    section('Sizes');
    sizes = measureSizes();
    const sizeRow: Row = { name: 'release bundle and .vsix', figures: { 'start-up bundle KB': sizes.startupBundle / 1024, 'all bundles KB': sizes.allBundles / 1024, 'vsix KB': sizes.vsix / 1024 } };
    printRow(sizeRow);
    rows.push(sizeRow);
  }
  const budgets: Budget[] = budgetTable(rows, real, sizes);
  section('Budgets');
  printBudgets(budgets);
  const results = { date: new Date().toISOString(), machine, quick: args.quick, minutes: (Date.now() - started) / 60_000, budgets, rows, ...(real ? { real } : {}) };
  writeFileSync('bench-results.json', JSON.stringify(results, null, 2));
  process.stdout.write(`\nwritten to bench-results.json in ${results.minutes.toFixed(1)} min\n`);
  if (args.compare) {
    section(`Change against ${args.compare}`);
    printComparison(JSON.parse(readFileSync(args.compare, 'utf8')) as { budgets?: Budget[] }, budgets);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
