import * as assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import fc from 'fast-check';
import { EditStepper, dominantCause, estimateLineCounts, stepDiff } from '../../src/semantic/editSteps';
import { changeEnvelope } from '../../src/trace/changeEnvelope';
import type { ContentChange, NewEventOf } from '../../src/trace/events';
import { textAndEdits } from '../support/textAndEdits';
import { FakeClock } from '../support/fakeClock';
import { validateEvent } from '../support/schema';
import { TraceBuilder } from '../support/traceBuilder';

const PAUSE = 1000;

function setup(): { clock: FakeClock; steps: NewEventOf<'edit.step'>[]; stepper: EditStepper; b: TraceBuilder } {
  const clock = new FakeClock();
  const steps: NewEventOf<'edit.step'>[] = [];
  const stepper = new EditStepper((e) => steps.push(e), { pauseMs: PAUSE }, clock);
  return { clock, steps, stepper, b: new TraceBuilder() };
}

/** Wraps a step in an envelope and checks it against the schema. */
function assertValidStep(b: TraceBuilder, step: NewEventOf<'edit.step'>): void {
  assert.deepEqual(validateEvent(b.stamp(step)), []);
}

const ins = (offset: number, text: string): ContentChange[] => [{ offset, length: 0, text }];

suite('EditStepper', () => {
  test('groups consecutive edits of one file and closes on a pause', () => {
    const { clock, steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', 'hello\n', 1));
    const e1 = b.edit('a.txt', 2, ins(5, ' '), 'typing', 100);
    const e2 = b.edit('a.txt', 3, ins(6, 'w'), 'typing', 150);
    const e3 = b.edit('a.txt', 4, ins(7, 'orld'), 'paste', 200);
    for (const e of [e1, e2, e3]) {
      stepper.observe(e);
      clock.advance(400); // less than the pause between edits
    }
    assert.equal(steps.length, 0);
    clock.advance(PAUSE);
    assert.equal(steps.length, 1);
    const step = steps[0];
    assert.deepEqual(
      { ...step, diff: undefined },
      {
        kind: 'edit.step',
        path: 'a.txt',
        fromVersion: 1,
        toVersion: 4,
        diff: undefined,
        added: 1,
        removed: 1,
        edits: 3,
        startTs: e1.ts,
        durationMs: e3.ts - e1.ts,
        cause: 'typing',
        closedBy: 'pause',
        editIds: [e1.id, e2.id, e3.id],
      },
    );
    assert.equal(applyPatch('hello\n', step.diff), 'hello world\n');
    assertValidStep(b, step);
  });

  test('the typing path does not read change text, build strings or touch timers per edit', () => {
    const { clock, steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', '', 1));
    let textReads = 0;
    const counted = (offset: number, text: string): ContentChange => {
      const change = { offset, length: 0 } as ContentChange;
      Object.defineProperty(change, 'text', {
        enumerable: true,
        get: () => {
          textReads++;
          return text;
        },
      });
      return change;
    };
    for (let i = 0; i < 90; i++) {
      stepper.observe(b.edit('a.txt', i + 2, [counted(i, 'x')]));
      clock.advance(10);
    }
    assert.equal(clock.setCalls, 1, 'one timer for a burst shorter than the pause');
    // Keep typing past the first timer: it re-arms once per pause window, not per edit.
    for (let i = 90; i < 200; i++) {
      stepper.observe(b.edit('a.txt', i + 2, [counted(i, 'x')]));
      clock.advance(10);
    }
    assert.equal(textReads, 0, 'change text must not be read while typing');
    assert.equal(clock.setCalls, 3, 'one timer per pause window (armed at 0 ms, re-armed at 1000 and 1990 ms), not one per edit');
    assert.equal(clock.clearCalls, 0);
    assert.equal(steps.length, 0);
    clock.advance(PAUSE);
    assert.equal(steps.length, 1);
    assert.ok(textReads > 0, 'the text is read when the step closes');
    assert.equal(steps[0].edits, 200);
    assert.equal(applyPatch('', steps[0].diff), 'x'.repeat(200));
  });

  test('the timer re-arms for the remaining time when edits continued', () => {
    const { clock, steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', '', 1));
    stepper.observe(b.edit('a.txt', 2, ins(0, 'a')));
    clock.advance(900);
    stepper.observe(b.edit('a.txt', 3, ins(1, 'b')));
    clock.advance(200); // the first timer fires at 1000: only 100 ms idle, re-arms for 900
    assert.equal(steps.length, 0);
    assert.equal(clock.pending, 1);
    clock.advance(799); // 1899: 999 ms idle
    assert.equal(steps.length, 0);
    clock.advance(1); // 1900: the re-armed timer fires a full pause after the last edit
    assert.equal(steps.length, 1);
    assert.equal(steps[0].closedBy, 'pause');
    assert.equal(clock.pending, 0);
  });

  test('closes with switch on an edit of another file, and on a focus change', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', 'A', 1));
    stepper.observe(b.open('b.txt', 'B', 7));
    stepper.observe(b.edit('a.txt', 2, ins(1, '1')));
    stepper.observe(b.edit('b.txt', 8, ins(1, '2')));
    assert.equal(steps.length, 1);
    assert.equal(steps[0].closedBy, 'switch');
    assert.equal(steps[0].path, 'a.txt');
    stepper.observe(b.focus('b.txt')); // same path: stays open
    assert.equal(steps.length, 1);
    stepper.observe(b.focus(null)); // no editor: another path
    assert.equal(steps.length, 2);
    assert.deepEqual([steps[1].path, steps[1].closedBy, steps[1].fromVersion, steps[1].toVersion], ['b.txt', 'switch', 7, 8]);
    assert.equal(applyPatch('B', steps[1].diff), 'B2');
  });

  test('closes with save and close on its own path only, and forgets the shadow on close', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', 'A', 1));
    stepper.observe(b.open('b.txt', 'B', 1));
    stepper.observe(b.edit('a.txt', 2, ins(1, 'x')));
    stepper.observe(b.save('b.txt', 1));
    stepper.observe(b.close('b.txt'));
    assert.equal(steps.length, 0);
    assert.equal(stepper.shadowCount, 1);
    stepper.observe(b.save('a.txt', 2));
    assert.equal(steps.at(-1)?.closedBy, 'save');
    stepper.observe(b.edit('a.txt', 3, ins(2, 'y')));
    stepper.observe(b.close('a.txt'));
    assert.equal(steps.at(-1)?.closedBy, 'close');
    assert.equal(steps.at(-1)?.fromVersion, 2);
    assert.equal(applyPatch('Ax', steps.at(-1)?.diff ?? ''), 'Axy');
    assert.equal(stepper.shadowCount, 0);
  });

  test('closes with reopen when its path is snapshotted again, using the old shadow', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', 'one', 1));
    stepper.observe(b.edit('a.txt', 2, ins(3, '!')));
    stepper.observe(b.open('a.txt', 'two', 5));
    assert.equal(steps.length, 1);
    assert.equal(steps[0].closedBy, 'reopen');
    assert.equal(applyPatch('one', steps[0].diff), 'one!');
    stepper.observe(b.edit('a.txt', 6, ins(0, '>')));
    stepper.closeAll('flush');
    assert.equal(steps[1].fromVersion, 5);
    assert.equal(applyPatch('two', steps[1].diff), '>two');
  });

  test('closeAll closes the open step with the given reason, and does nothing without one', () => {
    const { clock, steps, stepper, b } = setup();
    stepper.closeAll('run');
    assert.equal(steps.length, 0);
    stepper.observe(b.open('a.txt', '', 1));
    stepper.observe(b.edit('a.txt', 2, ins(0, 'x')));
    stepper.closeAll('run');
    assert.deepEqual(steps.map((s) => s.closedBy), ['run']);
    assert.equal(clock.pending, 0, 'closing cancels the timer');
    stepper.observe(b.edit('a.txt', 3, ins(1, 'y')));
    stepper.closeAll('flush');
    assert.deepEqual(steps.map((s) => s.closedBy), ['run', 'flush']);
    for (const s of steps) assertValidStep(b, s);
  });

  test('a rename of the step path closes it with switch and moves the shadow', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('src/old.ts', 'x', 1));
    stepper.observe(b.edit('src/old.ts', 2, ins(1, 'y')));
    stepper.observe(b.rename('src/old.ts', 'src/new.ts'));
    assert.deepEqual([steps[0].closedBy, steps[0].path], ['switch', 'src/old.ts']);
    stepper.observe(b.edit('src/new.ts', 3, ins(2, 'z')));
    stepper.closeAll('flush');
    assert.equal(steps[1].fromVersion, 2);
    assert.equal(applyPatch('xy', steps[1].diff), 'xyz');
    // A rename of another file leaves an open step alone.
    stepper.observe(b.edit('src/new.ts', 4, ins(3, '!')));
    stepper.observe(b.rename('other.ts', 'other2.ts'));
    assert.equal(steps.length, 2);
  });

  test('a folder rename moves the shadows below it', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('src/a.ts', 'a', 1));
    stepper.observe(b.rename('src', 'lib'));
    stepper.observe(b.edit('lib/a.ts', 2, ins(1, 'b')));
    stepper.closeAll('flush');
    assert.equal(applyPatch('a', steps[0].diff), 'ab');
  });

  test('a document that is not replayable gives steps with an empty diff and zero counts', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('huge.log', 'x'.repeat(50), 3, { replayable: false }));
    stepper.observe(b.edit('huge.log', 4, ins(0, 'line\n')));
    stepper.closeAll('flush');
    assert.deepEqual([steps[0].diff, steps[0].added, steps[0].removed, steps[0].fromVersion, steps[0].toVersion], ['', 0, 0, 3, 4]);
    assertValidStep(b, steps[0]);
    // Edits of a document never opened: same, with fromVersion = first version - 1.
    stepper.observe(b.edit('unseen.txt', 10, ins(0, 'x')));
    stepper.closeAll('flush');
    assert.deepEqual([steps[1].diff, steps[1].fromVersion, steps[1].toVersion], ['', 9, 10]);
  });

  test('edits that do not fit the shadow give an empty diff and stop diffing until the next snapshot', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', 'abc', 1));
    stepper.observe(b.edit('a.txt', 2, [{ offset: 10, length: 1, text: '' }]));
    stepper.closeAll('flush');
    stepper.observe(b.edit('a.txt', 3, ins(0, 'x')));
    stepper.closeAll('flush');
    assert.deepEqual(steps.map((s) => s.diff), ['', '']);
    stepper.observe(b.open('a.txt', 'fresh', 4));
    stepper.observe(b.edit('a.txt', 5, ins(0, 'x')));
    stepper.closeAll('flush');
    assert.equal(applyPatch('fresh', steps[2].diff), 'xfresh');
  });

  test('caps the edits of one step (maxEdits) with a flush', () => {
    const clock = new FakeClock();
    const steps: NewEventOf<'edit.step'>[] = [];
    const stepper = new EditStepper((e) => steps.push(e), { pauseMs: PAUSE, maxEdits: 3 }, clock);
    const b = new TraceBuilder();
    stepper.observe(b.open('a.txt', '', 1));
    for (let i = 0; i < 7; i++) stepper.observe(b.edit('a.txt', i + 2, ins(i, 'x')));
    assert.deepEqual(steps.map((s) => [s.edits, s.closedBy]), [[3, 'flush'], [3, 'flush']]);
    stepper.closeAll('flush');
    assert.equal(steps[2].edits, 1);
  });

  test('dispose stops the timer without emitting and ignores later events', () => {
    const { clock, steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', '', 1));
    stepper.observe(b.edit('a.txt', 2, ins(0, 'x')));
    stepper.dispose();
    assert.equal(clock.pending, 0);
    clock.advance(PAUSE * 5);
    stepper.observe(b.edit('a.txt', 3, ins(1, 'x')));
    stepper.closeAll('flush');
    assert.equal(steps.length, 0);
  });

  test('ignores its own edit.step events and other kinds', () => {
    const { steps, stepper, b } = setup();
    stepper.observe(b.open('a.txt', '', 1));
    stepper.observe(b.edit('a.txt', 2, ins(0, 'x')));
    stepper.observe(b.stamp({ kind: 'file.create', path: 'z.txt' }));
    stepper.closeAll('flush');
    stepper.observe(b.stamp(steps[0]));
    assert.equal(steps.length, 1);
    assert.equal(stepper.openPath, undefined);
  });
});

suite('dominantCause', () => {
  test('takes the cause with most edits; a tie goes to the cause used last', () => {
    assert.equal(dominantCause(['typing', 'paste', 'typing']), 'typing');
    assert.equal(dominantCause(['typing', 'paste']), 'paste');
    assert.equal(dominantCause(['paste', 'typing', 'undo', 'undo', 'typing']), 'typing');
    assert.equal(dominantCause(['undo']), 'undo');
  });
});

suite('stepDiff', () => {
  test('counts added and removed lines and is applicable with applyPatch', () => {
    const before = 'a\r\nb\r\nc\r\n';
    const after = 'a\r\nB\r\nc\r\nd\r\n';
    const d = stepDiff('f.txt', before, after);
    assert.deepEqual([d.added, d.removed, d.estimated], [2, 1, false]);
    assert.match(d.diff, /^--- f\.txt\n\+\+\+ f\.txt\n@@/);
    assert.equal(applyPatch(before, d.diff, { autoConvertLineEndings: false }), after);
  });

  test('falls back to an empty diff and estimated counts beyond the limits', () => {
    const before = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace(/line/g, 'LINE');
    const byEditLength = stepDiff('f', before, after, { maxChars: 1e9, maxEditLength: 10, timeoutMs: 10_000 });
    assert.deepEqual(byEditLength, { diff: '', added: 100, removed: 100, estimated: true });
    const bySize = stepDiff('f', 'a\nb\nc\n', 'a\nX\nc\n', { maxChars: 5, maxEditLength: 1000, timeoutMs: 10_000 });
    assert.deepEqual(bySize, { diff: '', added: 1, removed: 1, estimated: true });
  });

  test('estimateLineCounts spans whole lines between the common prefix and suffix', () => {
    assert.deepEqual(estimateLineCounts('same', 'same'), { added: 0, removed: 0 });
    assert.deepEqual(estimateLineCounts('a\nb\nc\n', 'a\nX\nY\nc\n'), { added: 2, removed: 1 });
    assert.deepEqual(estimateLineCounts('a\nb\n', 'a\nb\nc\n'), { added: 1, removed: 0 });
    assert.deepEqual(estimateLineCounts('a\nb\nc\n', 'a\nc\n'), { added: 0, removed: 1 });
  });
});

suite('stepDiff: only the changed window is diffed', () => {
  test('a keystroke in a 5,000-line file: one hunk at the right lines, with three lines of context', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${i + 1}\n`);
    const before = lines.join('');
    const after = [...lines.slice(0, 2_499), 'line 2500!\n', ...lines.slice(2_500)].join('');
    const d = stepDiff('big.ts', before, after);
    assert.equal(d.diff, '--- big.ts\n+++ big.ts\n@@ -2497,7 +2497,7 @@\n line 2497\n line 2498\n line 2499\n-line 2500\n+line 2500!\n line 2501\n line 2502\n line 2503\n');
    assert.deepEqual([d.added, d.removed, d.estimated], [1, 1, false]);
  });

  test('whatever the change, the diff applies to the old text and gives the new one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd', '\n', 'x\n'), { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(40), fc.nat(3), fc.array(fc.constantFrom('a\n', 'b\n', 'z\n', 'q'), { maxLength: 4 })), { maxLength: 3 }),
        (lines, edits) => {
          const changed: string[] = [...lines];
          for (const [at, remove, insert] of edits) changed.splice(Math.min(at, changed.length), remove, ...insert);
          const before = lines.join('');
          const after = changed.join('');
          const d = stepDiff('f', before, after);
          if (before === after) assert.deepEqual([d.added, d.removed], [0, 0]);
          else assert.equal(applyPatch(before, d.diff), after);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('where the changes were spares comparing the texts: the same diff with and without it (property)', () => {
    fc.assert(
      fc.property(textAndEdits, ({ text, edits, after }) => {
        const e = changeEnvelope(edits);
        const hinted = stepDiff('f', text, after, undefined, e ? { prefix: e.lo, suffix: after.length - e.hi } : undefined);
        assert.deepEqual(hinted, stepDiff('f', text, after));
      }),
      { numRuns: 3_000 },
    );
  });
});
