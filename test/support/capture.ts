/**
 * A capture session as the extension wires it (Recorder → Linker → EditStepper), driven by a
 * fake clock, for tests that need a realistic trace: edit steps with real diffs, `after`
 * links, derived test runs with transitions, commits with their test runs.
 */
import { MemoryLogger } from '../../src/common/logger';
import { applyChanges } from '../../src/replay/apply';
import { EditStepper } from '../../src/semantic/editSteps';
import { Linker } from '../../src/semantic/linker';
import type { ContentChange, EditCause, EventOf, NewEvent, NewEventOf, TraceEvent } from '../../src/trace/events';
import { sha256 } from '../../src/trace/identity';
import { passThroughPrivacy, Recorder } from '../../src/trace/recorder';
import { FakeClock } from './fakeClock';

export const NODE_FAIL = 'ℹ tests 2\nℹ suites 0\nℹ pass 1\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 80.1\n';
export const NODE_PASS = 'ℹ tests 2\nℹ suites 0\nℹ pass 2\nℹ fail 0\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 70.3\n';

export class Capture {
  readonly events: TraceEvent[] = [];
  readonly clock = new FakeClock();
  private readonly recorder: Recorder;
  private readonly stepper: EditStepper;
  private readonly docs = new Map<string, { text: string; version: number }>();

  constructor(
    readonly session: string,
    readonly workspace = 'ws-test',
    startTs = 1_700_000_000_000,
    pauseMs = 2_000,
  ) {
    this.clock.time = startTs;
    this.recorder = new Recorder({ session, workspace }, passThroughPrivacy, { write: (e) => this.events.push(e) }, new MemoryLogger(), () => this.clock.now());
    this.stepper = new EditStepper((e) => this.recorder.emit(e), { pauseMs }, this.clock);
    const linker = new Linker((e) => this.recorder.emit(e), () => this.stepper.closeAll('run'), { tests: () => true });
    this.recorder.setEnricher((e) => linker.enrich(e));
    this.recorder.observe((e) => this.stepper.observe(e));
    this.recorder.observe((e) => linker.observe(e));
  }

  /** Lets time pass (edit steps close on their pause). */
  wait(ms: number): this {
    this.clock.advance(ms);
    return this;
  }

  emit(event: NewEvent): TraceEvent {
    this.recorder.emit(event);
    return this.events[this.events.length - 1];
  }

  last<K extends TraceEvent['kind']>(kind: K): EventOf<K> {
    const found = this.events.filter((e): e is EventOf<K> => e.kind === kind).at(-1);
    if (!found) throw new Error(`no ${kind} event yet`);
    return found;
  }

  all<K extends TraceEvent['kind']>(kind: K): EventOf<K>[] {
    return this.events.filter((e): e is EventOf<K> => e.kind === kind);
  }

  start(options: { branch?: string | null; head?: string | null; folders?: string[] } = {}): this {
    this.emit({
      kind: 'session.start',
      vscodeVersion: '1.100.3',
      extensionVersion: '0.1.0',
      platform: 'linux',
      folders: options.folders ?? ['app'],
      repos: [{ root: '.', head: options.head === undefined ? 'a'.repeat(40) : options.head, branch: options.branch === undefined ? 'main' : options.branch, dirty: false }],
      revision: 2,
    });
    return this;
  }

  end(): this {
    this.stepper.closeAll('flush');
    this.emit({ kind: 'session.end', reason: 'deactivate' });
    return this;
  }

  open(path: string, text: string, options: { existing?: boolean } = {}): this {
    const version = (this.docs.get(path)?.version ?? 0) + 1;
    this.docs.set(path, { text, version });
    this.emit({ kind: 'doc.open', path, languageId: 'javascript', eol: text.includes('\r\n') ? '\r\n' : '\n', version, replayable: true, text, length: text.length, sha256: sha256(text), ...(options.existing ? { existing: true } : {}) });
    return this;
  }

  /** One doc.edit (the step closes on the next pause, run or switch). */
  edit(path: string, changes: ContentChange[], cause: EditCause = 'typing'): this {
    const doc = this.docs.get(path) ?? { text: '', version: 0 };
    doc.text = applyChanges(doc.text, changes);
    doc.version++;
    this.docs.set(path, doc);
    this.emit({ kind: 'doc.edit', path, version: doc.version, changes, cause });
    this.wait(100);
    return this;
  }

  /** Replaces the first occurrence of `from` with `to` in `path`. */
  replace(path: string, from: string, to: string, cause: EditCause = 'typing'): this {
    const text = this.docs.get(path)?.text ?? '';
    const offset = text.indexOf(from);
    if (offset < 0) throw new Error(`${from} not in ${path}`);
    return this.edit(path, [{ offset, length: from.length, text: to }], cause);
  }

  save(path: string): this {
    this.emit({ kind: 'doc.save', path, version: this.docs.get(path)?.version ?? 1 });
    return this;
  }

  text(path: string): string | undefined {
    return this.docs.get(path)?.text;
  }

  /** A terminal command (a test command gives a derived test.run). */
  run(commandLine: string, exitCode: number | null, output?: string, durationMs = 1_000): this {
    const startTs = this.clock.now();
    this.wait(durationMs);
    this.emit({ kind: 'terminal.command', commandLine, confidence: 'high', cwd: '.', exitCode, startTs, durationMs, terminal: 'bash', shell: 'bash', ...(output !== undefined ? { output, outputLength: output.length, outputTruncated: false } : {}), after: [] });
    return this;
  }

  commit(message: string, sha: string, files: string[] = []): this {
    this.emit({
      kind: 'git.commit',
      repo: '.',
      sha,
      parents: ['a'.repeat(40)],
      branch: 'main',
      message,
      files: files.map((path) => ({ path, added: 1, removed: 1 })),
      amend: false,
      origin: 'scm',
      tests: [],
      lastTestPassed: null,
    });
    return this;
  }

  checkout(from: string | null, to: string | null, sha: string | null = 'b'.repeat(40)): this {
    this.emit({ kind: 'git.checkout', repo: '.', from, to, sha });
    return this;
  }

  goalStart(goal: string, goalId: string, extra: Partial<NewEventOf<'goal.start'>> = {}): this {
    this.emit({ kind: 'goal.start', goal, goalId, startTs: this.clock.now(), ...extra });
    return this;
  }

  goalEnd(goalId: string, outcome: 'done' | 'abandoned' | 'handed-off', note?: string): this {
    this.emit({ kind: 'goal.end', goalId, outcome, ...(note !== undefined ? { note } : {}), durationMs: 0 });
    return this;
  }
}
