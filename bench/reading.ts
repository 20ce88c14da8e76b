/**
 * Benchmark: what reading costs. The real ViewCollector and SelectionCollector handlers (with
 * bench/vscodeStub.ts for `vscode`): time per visible-ranges event (a wheel step that scrolled,
 * and a keystroke, which VS Code reports as a visible-ranges event too, unchanged) and per
 * selection event; and the trace volume of an hour of reading, next to crowd-code's design of
 * copying the viewport text ten times a second.
 */
import { listeners, stubWindow } from './vscodeStub'; // first: it stands in for `vscode`
import { SelectionCollector } from '../src/collectors/selections';
import { ViewCollector } from '../src/collectors/views';
import { MemoryLogger } from '../src/common/logger';
import { Dwell } from '../src/semantic/dwell';
import type { NewEvent } from '../src/trace/events';
import type { NavigationSignals } from '../src/vscode/navigationSignals';
import { TracePaths } from '../src/vscode/paths';
import { percentile, printRow, type Row } from './stats';

interface Pos {
  line: number;
  character: number;
}

function range(start: number, end: number): { start: Pos; end: Pos } {
  return { start: { line: start, character: 0 }, end: { line: end, character: 0 } };
}

function time(n: number, call: (i: number) => void): Float64Array {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    call(i);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  return samples.sort();
}

/** Serialised size of an event as the trace holds it (envelope of a real event included). */
function traceBytes(event: NewEvent, seq: number): number {
  return Buffer.byteLength(JSON.stringify({ schema: 'worktrace/1', id: 'V1StGXR8_Z5jdHi6B-myT', seq, ts: 1_764_662_400_000 + seq * 1000, session: 'a8Tt0mX2kQ9rW4bY7zC1d', workspace: '3f9a0c1b2d4e5f60', ...event })) + 1;
}

export function runReadingBenchmarks(): Row[] {
  const rows: Row[] = [];
  const emitted: NewEvent[] = [];
  const sink = { emit: (e: NewEvent) => void emitted.push(e) };
  const log = new MemoryLogger();
  const document = { uri: { scheme: 'file', path: '/ws/src/long.ts', toString: () => 'file:///ws/src/long.ts' }, offsetAt: (p: Pos) => p.line * 40 + p.character, languageId: 'typescript' };
  const editor = { document, viewColumn: 1, visibleRanges: [range(0, 40)], selection: { active: { line: 0, character: 0 } } };
  stubWindow.activeTextEditor = editor;
  const views = new ViewCollector(sink, new TracePaths('salt'), { dwellMs: 500 }, log);
  const selections = new SelectionCollector(sink, new TracePaths('salt'), { take: () => undefined } as unknown as NavigationSignals, { dwellMs: 500 }, log);
  const visible = listeners.get('visibleRanges');
  const selection = listeners.get('selection');
  if (!visible || !selection) {
    throw new Error('the reading collectors did not subscribe');
  }
  const n = 200_000;
  const scrolled = time(n, (i) => visible({ textEditor: editor, visibleRanges: [range(i % 5000, (i % 5000) + 40)] }));
  const unchanged = time(n, () => visible({ textEditor: editor, visibleRanges: [range(100, 140)] }));
  const moved = time(n, (i) => {
    const at = { line: i % 5000, character: i % 40 };
    selection({ textEditor: editor, selections: [{ anchor: at, active: at, start: at, end: at, isEmpty: true }], kind: 1 });
  });
  views.dispose();
  selections.dispose();
  for (const [name, samples] of [
    ['reading: a visible-ranges event that scrolled', scrolled],
    ['reading: a visible-ranges event that did not (a keystroke)', unchanged],
    ['reading: a selection event (cursor moved by typing)', moved],
  ] as const) {
    const row = { name, figures: { median_us: percentile(samples, 50) / 1000, p99_us: percentile(samples, 99) / 1000, n } };
    printRow(row);
    rows.push(row);
  }

  // An hour of reading a 5,000-line file: every 8 s a burst of 12 wheel steps (30 ms apart)
  // moves the view 36 lines, then it stays; a selection settles after every other burst.
  // The events are those the collectors' Dwell would report (500 ms); crowd-code's design
  // copies the visible text (40 lines of 40 characters) ten times a second.
  let now = 0;
  const out: NewEvent[] = [];
  const viewDwell = new Dwell<number>(500, (a, b) => a === b, (_k, top) => out.push({ kind: 'editor.view', path: 'src/long.ts', ranges: [{ start: top + 1, end: top + 41 }], active: true }), () => now);
  const selectionDwell = new Dwell<number>(500, (a, b) => a === b, (_k, line) => out.push({ kind: 'editor.selection', path: 'src/long.ts', trigger: 'mouse', selections: [{ start: { line, column: 1 }, end: { line, column: 1 } }], count: 1, chars: 0, lines: 0 }), () => now);
  let top = 0;
  for (let burst = 0; now < 3_600_000; burst++) {
    for (let step = 0; step < 12; step++) {
      top = (top + 3) % 4960;
      viewDwell.update('editor', top);
      now += 30;
    }
    if (burst % 2 === 0) selectionDwell.update('editor', top + 10);
    now += 8_000 - 12 * 30;
    viewDwell.flush();
    selectionDwell.flush();
  }
  viewDwell.dispose();
  selectionDwell.dispose();
  const ours = out.reduce((sum, e, i) => sum + traceBytes(e, i + 1), 0);
  const viewport = 'x'.repeat(40 * 41);
  const theirs = 36_000 * traceBytes({ kind: 'editor.view', path: 'src/long.ts', ranges: [{ start: 1, end: 41 }], active: true }, 1) + 36_000 * Buffer.byteLength(JSON.stringify({ text: viewport }));
  const volume = { name: 'reading: trace volume of one hour of reading', figures: { worktrace_events: out.length, worktrace_bytes_per_hour: ours, viewport_text_10Hz_bytes_per_hour: theirs, ratio: theirs / ours } };
  printRow(volume);
  rows.push(volume);
  return rows;
}
