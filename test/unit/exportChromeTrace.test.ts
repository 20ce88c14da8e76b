import * as assert from 'node:assert/strict';
import type { CommandStepData } from '../../src/episodes/episode';
import { chromeTraceFormat } from '../../src/export/chromeTrace';
import { T0, abandonedEpisode, fixtureEpisodes, invoiceEpisode, loginEpisode } from '../support/handBuiltEpisodes';
import { formatValidator, runExport } from '../support/formatSchemas';

const validate = formatValidator('chrome-trace', 'trace.schema.json');

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  s?: string;
  args?: Record<string, unknown>;
}
interface Trace {
  traceEvents: TraceEvent[];
  displayTimeUnit: string;
}

function trace(episodes = fixtureEpisodes()): Trace {
  return JSON.parse(runExport(chromeTraceFormat, episodes)) as Trace;
}

/**
 * What Perfetto's importer and chrome://tracing need beyond the shape: slices on one
 * thread nest (the slice tracker drops one that overlaps another without nesting), every
 * thread and process used is named, ids are one namespace (a tid is never another
 * process's pid or another process's thread).
 */
function viewerChecks(t: Trace): string[] {
  const problems: string[] = [];
  const threadNames = new Set<string>();
  const processNames = new Set<number>();
  const owner = new Map<number, number>();
  for (const e of t.traceEvents) {
    if (e.ph === 'M' && e.name === 'thread_name') threadNames.add(`${e.pid}/${e.tid}`);
    if (e.ph === 'M' && e.name === 'process_name') processNames.add(e.pid);
    const seen = owner.get(e.tid);
    if (seen !== undefined && seen !== e.pid) problems.push(`tid ${e.tid} is used by processes ${seen} and ${e.pid}`);
    owner.set(e.tid, e.pid);
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of t.traceEvents) {
    if (e.ph === 'M') continue;
    const key = `${e.pid}/${e.tid}`;
    if (!threadNames.has(key)) problems.push(`thread ${key} has no thread_name`);
    if (!processNames.has(e.pid)) problems.push(`process ${e.pid} has no process_name`);
    if (e.ph === 'X') byThread.set(key, [...(byThread.get(key) ?? []), e]);
  }
  for (const [key, slices] of byThread) {
    const sorted = [...slices].sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const open: number[] = [];
    for (const slice of sorted) {
      while (open.length > 0 && open[open.length - 1] <= slice.ts!) open.pop();
      const end = slice.ts! + slice.dur!;
      if (open.length > 0 && end > open[open.length - 1]) problems.push(`thread ${key}: "${slice.name}" overlaps its parent without nesting`);
      open.push(end);
    }
  }
  return problems;
}

function threadName(t: Trace, pid: number, tid: number): string {
  return t.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.tid === tid)!.args!.name as string;
}

function eventsOn(t: Trace, pid: number, name: string): TraceEvent[] {
  const tid = t.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args!.name === name)?.tid;
  return t.traceEvents.filter((e) => e.ph !== 'M' && e.pid === pid && e.tid === tid);
}

suite('export: Chrome trace', () => {
  test('the file is one JSON object of the Trace Event Format that the viewers can lay out', () => {
    const text = runExport(chromeTraceFormat, fixtureEpisodes());
    assert.ok(text.startsWith('{"traceEvents":[\n'));
    assert.ok(text.endsWith('\n],"displayTimeUnit":"ms"}\n'));
    const t = JSON.parse(text) as Trace;
    assert.deepEqual(validate(t), []);
    assert.deepEqual(viewerChecks(t), []);
    assert.equal(t.displayTimeUnit, 'ms');
    assert.equal(new Set(t.traceEvents.map((e) => e.pid)).size, 3, 'one process per episode');
  });

  test('the schema and the checks reject what the viewers reject', () => {
    const broken = (change: (t: Trace) => void): Trace => {
      const t = trace();
      change(t);
      return t;
    };
    const firstX = (t: Trace): TraceEvent => t.traceEvents.find((e) => e.ph === 'X')!;
    assert.notDeepEqual(validate(broken((t) => delete firstX(t).dur)), [], 'a complete event needs dur');
    assert.notDeepEqual(validate(broken((t) => (t.traceEvents.find((e) => e.name === 'thread_name')!.args = {}))), [], 'thread_name needs args.name');
    assert.notDeepEqual(validate(broken((t) => ((firstX(t) as unknown as Record<string, unknown>).duration = 1))), [], 'no unknown fields');
    assert.notDeepEqual(validate(broken((t) => (t.traceEvents.find((e) => e.ph === 'i')!.s = 'x'))), []);
    assert.notDeepEqual(validate(broken((t) => (t.displayTimeUnit = 'us'))), []);
    const overlapping = broken((t) => {
      const edits = t.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'edit' && e.pid === 1);
      edits[1].tid = edits[0].tid; // the code's first edit moved onto the test file's thread, starting before that edit ends
      edits[1].ts = edits[0].ts! + edits[0].dur! - 1;
    });
    assert.notDeepEqual(viewerChecks(overlapping), []);
    assert.notDeepEqual(viewerChecks(broken((t) => (t.traceEvents.find((e) => e.ph === 'X' && e.pid === 8)!.tid = 2))), [], 'a tid of another process');
  });

  test('a process per episode named after the goal, an episode slice over it all, one track per file, terminal, tests, git and reading', () => {
    const episode = invoiceEpisode();
    const t = trace([episode]);
    const meta = t.traceEvents.filter((e) => e.ph === 'M');
    assert.deepEqual(meta[0], { name: 'process_name', ph: 'M', pid: 1, tid: 1, args: { name: episode.goal.text } });
    const names = meta.filter((e) => e.name === 'thread_name').map((e) => e.args!.name);
    assert.deepEqual(names, ['episode', 'reading', 'edit test/total.test.js', 'terminal bash', 'tests', 'edit src/total.js', 'git']);
    const order = meta
      .filter((e) => e.name === 'thread_sort_index')
      .sort((a, b) => (a.args!.sort_index as number) - (b.args!.sort_index as number))
      .map((e) => threadName(t, e.pid, e.tid));
    assert.deepEqual(order, ['episode', 'edit test/total.test.js', 'edit src/total.js', 'terminal bash', 'tests', 'git', 'reading']);
    const [slice] = eventsOn(t, 1, 'episode');
    assert.equal(slice.ts, T0 * 1000);
    assert.equal(slice.dur, 400_000 * 1000);
    assert.equal(slice.args!.status, 'done');
    assert.deepEqual(slice.args!.figures, episode.figures);
    const edits = eventsOn(t, 1, 'edit src/total.js');
    assert.deepEqual(
      edits.map((e) => [e.ph, e.ts, e.dur, e.args!.cause]),
      [
        ['X', (T0 + 90_000) * 1000, 2_000_000, 'paste'],
        ['X', (T0 + 95_000) * 1000, 400_000, 'typing'],
      ],
    );
    assert.deepEqual(
      eventsOn(t, 1, 'tests').map((e) => e.name),
      ['node --test: failed', 'node --test: passed (fixed)'],
    );
    assert.deepEqual(
      eventsOn(t, 1, 'terminal bash').map((e) => e.args!.exitCode),
      [1, 0],
    );
    const [commit] = eventsOn(t, 1, 'git');
    assert.deepEqual([commit.ph, commit.s, commit.name], ['i', 't', 'commit 4f1c2a9be0d7: Round invoice totals to cents']);
    assert.deepEqual(
      eventsOn(t, 1, 'reading').map((e) => [e.ph, e.name]),
      [
        ['X', 'view test/total.test.js:1-8'],
        ['i', 'definition -> src/total.js:3'],
      ],
    );
  });

  test('debug stops are instants inside the session; disk changes, checkouts and other events are instants on their tracks', () => {
    const t = trace([invoiceEpisode(), loginEpisode()]);
    const pid = t.traceEvents.find((e) => e.ph === 'M' && e.name === 'process_name' && e.args!.name === 'Work on branch fix-login ✨ 修正')!.pid;
    const [session, stop] = eventsOn(t, pid, 'debug');
    assert.equal(session.ph, 'X');
    assert.equal(stop.ph, 'i');
    assert.equal(stop.name, 'stopped: exception');
    assert.ok(stop.ts! >= session.ts! && stop.ts! <= session.ts! + session.dur!);
    assert.deepEqual(
      eventsOn(t, pid, 'disk changes').map((e) => [e.ph, e.name]),
      [
        ['i', 'changed src/app.ts'],
        ['i', '120 files changed'],
        ['i', 'changed config.json'],
      ],
    );
    assert.equal(eventsOn(t, pid, 'disk changes')[0].args!.byText, 'terminal command `AWS_ACCESS_KEY_ID=«redacted:aws-access-key» npx prettier --write src/app.ts`');
    assert.deepEqual(
      eventsOn(t, pid, 'events').map((e) => e.name),
      ['capture.pause'],
    );
    assert.deepEqual(
      eventsOn(t, pid, 'git').map((e) => e.name),
      ['checkout fix-login'],
    );
    assert.equal(eventsOn(t, pid, 'tasks')[0].args!.exitCode, 2);
    assert.ok(eventsOn(t, pid, 'edit src/login/例え.ts').length === 1);
  });

  test('steps of one track that overlap without nesting go to a second thread of that track', () => {
    const episode = abandonedEpisode();
    const command = (index: number, ts: number, durationMs: number): CommandStepData => ({
      index,
      type: 'command',
      ts,
      durationMs,
      session: 's',
      eventIds: [],
      action: { commandLine: `cmd ${index}`, cwd: '.', terminal: 'bash' },
      observation: { exitCode: 0 },
      after: [],
    });
    const start = episode.start.ts;
    episode.steps = [command(0, start + 1000, 5000), command(1, start + 2000, 10_000), command(2, start + 20_000, 1000)];
    const t = trace([episode]);
    assert.deepEqual(viewerChecks(t), []);
    assert.deepEqual(
      t.traceEvents.filter((e) => e.cat === 'terminal').map((e) => [e.name, threadName(t, e.pid, e.tid)]),
      [
        ['cmd 0', 'terminal bash'],
        ['cmd 1', 'terminal bash (2)'],
        ['cmd 2', 'terminal bash'],
      ],
    );
  });

  test('an export of no episode is a valid trace; the same episodes give the same bytes', () => {
    const empty = runExport(chromeTraceFormat, []);
    assert.deepEqual(JSON.parse(empty), { traceEvents: [], displayTimeUnit: 'ms' });
    assert.deepEqual(validate(JSON.parse(empty)), []);
    assert.equal(runExport(chromeTraceFormat, fixtureEpisodes()), runExport(chromeTraceFormat, fixtureEpisodes()));
    assert.equal(chromeTraceFormat.extension, '.json');
  });
});
