/**
 * Benchmark: the cost of handling one single-character onDidChangeTextDocument event,
 * through the real DocumentCollector handler, Recorder (the real privacy stage, which holds
 * keystrokes; their release and scan happen between rounds, off the measured path, + envelope),
 * EditStepper and the delivery pipeline's queue, with VS Code replaced by
 * bench/vscodeStub.ts. Spool writes happen between rounds, as the event loop would run them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeners, stubWindow } from './vscodeStub'; // first: it stands in for `vscode`
import { DocumentCollector } from '../src/collectors/documents';
import { MemoryLogger } from '../src/common/logger';
import { Pipeline } from '../src/pipeline/pipeline';
import { EditStepper } from '../src/semantic/editSteps';
import { Redactor } from '../src/privacy/redact';
import { RedactingPrivacyStage } from '../src/privacy/stage';
import { Recorder } from '../src/trace/recorder';
import { TracePaths } from '../src/vscode/paths';
import { percentile, printRow, type Row } from './stats';

interface FakeDoc {
  uri: { scheme: string; path: string; toString(): string };
  languageId: string;
  version: number;
  eol: number;
  isDirty: boolean;
  getText(): string;
}

export async function benchKeystroke(docChars: number, events = 200_000): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'worktrace-bench-'));
  const log = new MemoryLogger();
  const writer = new Pipeline({ directory: dir, maxSpoolBytes: 1e12, maxBatchEvents: 500, flushIntervalMs: 15_000 }, log); // no destination: events stay in the spool
  await writer.start();
  const redactor = new Redactor();
  const privacy = new RedactingPrivacyStage(() => redactor); // the real stage: keystrokes are held, then released and scanned
  const recorder = new Recorder({ session: 'bench', workspace: 'ws-bench' }, privacy, writer, log);
  const stepper = new EditStepper((e) => recorder.emit(e), { pauseMs: 2000 });
  recorder.observe((e) => stepper.observe(e));
  const collector = new DocumentCollector(recorder, new TracePaths('salt'), { maxDocumentBytes: 64 * 1024 * 1024 }, log);

  // Lines of 40 characters, like source code (one line of 100,000 characters would make every
  // step's line diff compare the whole document).
  const base = `${'x'.repeat(39)}\n`.repeat(Math.ceil(docChars / 40)).slice(0, docChars);
  const doc: FakeDoc = {
    uri: { scheme: 'file', path: '/ws/src/a.ts', toString: () => 'file:///ws/src/a.ts' },
    languageId: 'typescript',
    version: 1,
    eol: 1,
    isDirty: true,
    getText: () => base,
  };
  stubWindow.activeTextEditor = { document: doc, selections: [{}] };
  listeners.get('open')?.(doc);
  const change = listeners.get('change');
  if (!change) {
    throw new Error('the collector did not subscribe to document changes');
  }

  const samples = new Float64Array(events);
  const round = 50; // a burst of typing between two pauses
  const releases: number[] = [];
  let offset = docChars;
  let busyNs = 0;
  for (let done = 0; done < events; done += round) {
    for (let i = done; i < Math.min(events, done + round); i++) {
      doc.version++;
      // A new line every 40 characters, like code (one line that grows forever would be scanned and diffed whole).
      const e = { document: doc, contentChanges: [{ rangeOffset: offset++, rangeLength: 0, text: i % 40 === 39 ? '\n' : 'a' }], reason: undefined };
      const t0 = process.hrtime.bigint();
      change(e);
      const dt = Number(process.hrtime.bigint() - t0);
      samples[i] = dt;
      busyNs += dt;
    }
    // A pause in typing: the held keystrokes are scanned and released, the step closes
    // (its diff is built). Timed apart from the keystrokes: it runs off the typing path.
    const r0 = process.hrtime.bigint();
    privacy.releaseAll();
    stepper.closeAll('flush');
    releases.push(Number(process.hrtime.bigint() - r0) / 1000);
    if ((done / round) % 200 === 199) {
      await writer.persist();
    }
  }
  await writer.persist();
  collector.dispose();
  privacy.dispose();
  await writer.shutdown();
  stepper.dispose();
  rmSync(dir, { recursive: true, force: true });
  samples.sort();
  return {
    name: `keystroke → trace (document of ${docChars.toLocaleString('en-US')} chars)`,
    figures: {
      median_us: percentile(samples, 50) / 1000,
      p99_us: percentile(samples, 99) / 1000,
      events_per_s: events / (busyNs / 1e9),
      burst_release_median_us: [...releases].sort((a, b) => a - b)[Math.floor(releases.length / 2)],
      n: events,
    },
  };
}

export async function runEditBenchmarks({ quick = false } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000]) {
    // The 1,000,000-character document releases each burst in ~20 ms: fewer events keep the
    // full run's plain-Node part short (its median per event is as steady at 50,000).
    const row = await benchKeystroke(size, quick ? 20_000 : size >= 1_000_000 ? 50_000 : 200_000);
    printRow(row);
    rows.push(row);
  }
  return rows;
}
