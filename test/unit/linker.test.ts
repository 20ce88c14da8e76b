import * as assert from 'node:assert/strict';
import { MemoryLogger } from '../../src/common/logger';
import { Linker } from '../../src/semantic/linker';
import type { EventOf, NewEvent, TraceEvent } from '../../src/trace/events';
import { passThroughPrivacy, Recorder } from '../../src/trace/recorder';

/** A Recorder wired with a Linker as in the extension; written events kept in memory. */
function setup(tests = true) {
  const written: TraceEvent[] = [];
  const recorder = new Recorder({ session: 's', workspace: 'w' }, passThroughPrivacy, { write: (e) => written.push(e) }, new MemoryLogger());
  let closes = 0;
  let openStep = false;
  const linker = new Linker(
    (e) => recorder.emit(e),
    () => {
      closes++;
      if (openStep) {
        openStep = false;
        recorder.emit(step());
      }
    },
    { tests: () => tests },
  );
  recorder.setEnricher((e) => linker.enrich(e));
  recorder.observe((e) => linker.observe(e));
  const step = (): NewEvent => ({ kind: 'edit.step', path: 'a.js', fromVersion: 1, toVersion: 2, diff: '', added: 1, removed: 0, edits: 1, startTs: 0, durationMs: 0, cause: 'typing', closedBy: 'run', editIds: [] });
  return {
    written,
    recorder,
    closes: () => closes,
    /** An edit step that is still open: the next run must close it first. */
    openStep: () => (openStep = true),
    closedStep: () => recorder.emit({ ...step(), closedBy: 'save' } as NewEvent),
    of: <K extends TraceEvent['kind']>(kind: K) => written.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind),
  };
}

function command(commandLine: string, exitCode: number | null, output?: string): NewEvent {
  return { kind: 'terminal.command', commandLine, confidence: 'high', cwd: '.', exitCode, startTs: 0, durationMs: 10, terminal: 'bash', ...(output !== undefined ? { output } : {}), after: [] };
}

const NODE_FAIL = 'ℹ tests 2\nℹ suites 0\nℹ pass 1\nℹ fail 1\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 80.1\n';
const NODE_PASS = 'ℹ tests 2\nℹ suites 0\nℹ pass 2\nℹ fail 0\nℹ cancelled 0\nℹ skipped 0\nℹ todo 0\nℹ duration_ms 70.3\n';

suite('linker (semantic layer)', () => {
  test('a run closes the open edit step first and lists the steps since the previous run of its kind', () => {
    const t = setup();
    t.closedStep();
    t.openStep();
    t.recorder.emit(command('ls', 0));
    const [first] = t.of('terminal.command');
    const steps = t.of('edit.step');
    assert.equal(steps.length, 2);
    assert.deepEqual(first.after, steps.map((s) => s.id));
    assert.ok(steps[1].seq < first.seq, 'the step closed by the run comes before it');
    t.recorder.emit(command('pwd', 0));
    assert.deepEqual(t.of('terminal.command')[1].after, [], 'nothing new since the previous command');
    t.recorder.emit({ kind: 'task.run', name: 'build', source: 'Workspace', exitCode: 0, startTs: 0, durationMs: 1, after: [] });
    assert.deepEqual(t.of('task.run')[0].after, steps.map((s) => s.id), 'tasks keep their own tally');
  });

  test('a test command gives a test.run with counts; the next outcome change is a transition to the previous run', () => {
    const t = setup();
    t.closedStep();
    t.recorder.emit(command('node --test test/', 1, NODE_FAIL));
    const [run1] = t.of('test.run');
    assert.equal(run1.outcome, 'failed');
    assert.equal(run1.passed, 1);
    assert.equal(run1.failed, 1);
    assert.equal(run1.source, t.of('terminal.command')[0].id);
    assert.deepEqual(run1.after, [t.of('edit.step')[0].id]);
    assert.equal(run1.transition, undefined);
    t.closedStep();
    t.recorder.emit(command('node   --test test/', 0, NODE_PASS));
    const run2 = t.of('test.run')[1];
    assert.equal(run2.outcome, 'passed');
    assert.equal(run2.transition, 'fixed');
    assert.equal(run2.previous, run1.id);
    assert.deepEqual(run2.after, [t.of('edit.step')[1].id]);
    t.recorder.emit(command('node --test test/', 1, NODE_FAIL));
    const run3 = t.of('test.run')[2];
    assert.equal(run3.transition, 'broke');
    assert.equal(run3.previous, run2.id);
    t.recorder.emit(command('npm test', 1, NODE_FAIL));
    assert.equal(t.of('test.run')[3].transition, undefined, 'another command has its own history');
  });

  test('commits carry the test runs since the previous commit; a git commit typed just before makes the origin terminal', () => {
    const t = setup();
    const commit = (origin: 'scm' | 'external'): NewEvent => ({ kind: 'git.commit', repo: '.', sha: 'a'.repeat(40), parents: [], branch: 'main', message: 'm', files: [], amend: false, origin, tests: [], lastTestPassed: null });
    t.recorder.emit(command('node --test', 1, NODE_FAIL));
    t.recorder.emit(command('node --test', 0, NODE_PASS));
    t.recorder.emit(command('git commit -m "fix"', 0));
    t.recorder.emit(commit('external'));
    const c1 = t.of('git.commit')[0];
    assert.deepEqual(c1.tests, t.of('test.run').map((r) => r.id));
    assert.equal(c1.lastTestPassed, true);
    assert.equal(c1.origin, 'terminal');
    t.recorder.emit(commit('external'));
    const c2: EventOf<'git.commit'> = t.of('git.commit')[1];
    assert.deepEqual(c2.tests, []);
    assert.equal(c2.lastTestPassed, null);
    assert.equal(c2.origin, 'external', 'the terminal command explained only one commit');
    t.recorder.emit(commit('scm'));
    assert.equal(t.of('git.commit')[2].origin, 'scm');
  });

  test('tasks and debug sessions recognised as tests give test runs; with tests off, none', () => {
    const t = setup();
    t.recorder.emit({ kind: 'task.run', name: 'npm: test', source: 'npm', group: 'test', exitCode: 1, startTs: 0, durationMs: 5, after: [] });
    assert.equal(t.of('test.run')[0]?.origin, 'task');
    assert.equal(t.of('test.run')[0]?.outcome, 'failed');
    t.recorder.emit({ kind: 'debug.session', phase: 'end', sessionId: 'd', type: 'pwa-node', request: 'launch', name: 'Mocha', configuration: { program: '/w/node_modules/mocha/bin/_mocha', args: ['test'] }, exitCode: 0, output: '  3 passing (20ms)\n' });
    const debugRun = t.of('test.run')[1];
    assert.equal(debugRun?.origin, 'debug');
    assert.equal(debugRun?.passed, 3);
    const off = setup(false);
    off.recorder.emit(command('node --test', 1, NODE_FAIL));
    assert.equal(off.of('test.run').length, 0);
  });
});
