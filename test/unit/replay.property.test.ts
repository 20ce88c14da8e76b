import * as assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import * as fc from 'fast-check';
import { applyChanges, applyEdits } from '../../src/replay/apply';
import { Replayer, replayTrace } from '../../src/replay/replay';
import { EditStepper } from '../../src/semantic/editSteps';
import { EDIT_CAUSES, type ContentChange, type EditCause, type NewEventOf, type TraceEvent } from '../../src/trace/events';
import { FakeClock } from '../support/fakeClock';
import { TraceBuilder } from '../support/traceBuilder';

// Text made of the awkward parts: CRLF, lone CR/LF, tabs, emoji (surrogate pairs), CJK
// (BMP and non-BMP), accents, and characters that mean something in a unified diff.
const PIECES = ['a', 'b', 'Z', ' ', '\t', '\n', '\r\n', '\r', '😀', '👍🏽', '中', '文', '𠮷', 'é', '-', '+', '@@ ', '\\'];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => parts.join(''));

/**
 * Abstract operations; offsets are picked from the current text when the op runs
 * (n % (length + 1)), so every op fits whatever text the earlier ops produced.
 */
type Op =
  | { kind: 'edit'; at: number; span: number; text: string; cause: EditCause }
  | { kind: 'multi'; cuts: number[]; texts: string[]; cause: EditCause }
  | { kind: 'save' }
  | { kind: 'pause' }
  | { kind: 'focus-away' };

const causeArb = fc.constantFrom(...EDIT_CAUSES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), span: fc.nat(), text: textArb, cause: causeArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('multi' as const),
      cuts: fc.array(fc.nat(), { minLength: 2, maxLength: 8 }),
      texts: fc.array(textArb, { minLength: 4, maxLength: 4 }),
      cause: causeArb,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'save' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'pause' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'focus-away' as const }) },
);

/** The model: a document as an array of UTF-16 code units, edited with splice. */
class Model {
  units: string[];
  constructor(text: string) {
    this.units = text.split('');
  }
  get text(): string {
    return this.units.join('');
  }
  /** Replaces several disjoint ranges of the current text at once, given in ascending order. */
  replaceAll(ranges: readonly { start: number; end: number; text: string }[]): void {
    const out: string[] = [];
    let pos = 0;
    for (const r of ranges) {
      out.push(...this.units.slice(pos, r.start), ...r.text.split(''));
      pos = r.end;
    }
    out.push(...this.units.slice(pos));
    this.units = out;
  }
}

/** Turns an abstract edit into the ranges it replaces (ascending, disjoint) for the current length. */
function rangesOf(op: Extract<Op, { kind: 'edit' | 'multi' }>, length: number): { start: number; end: number; text: string }[] {
  if (op.kind === 'edit') {
    const start = op.at % (length + 1);
    return [{ start, end: start + (op.span % (length - start + 1)), text: op.text }];
  }
  const cuts = [...new Set(op.cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b);
  const ranges: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) {
    ranges.push({ start: cuts[i], end: cuts[i + 1], text: op.texts[ranges.length % op.texts.length] });
  }
  return ranges;
}

/** VS Code's form: changes ordered end-to-start, offsets in the text before the event. */
function toChanges(ranges: readonly { start: number; end: number; text: string }[]): ContentChange[] {
  return [...ranges].reverse().map((r) => ({ offset: r.start, length: r.end - r.start, text: r.text }));
}

interface Scenario {
  events: TraceEvent[];
  /** Model text after each event, by seq. */
  textAt: Map<number, string>;
  final: string;
}

const PAUSE = 500;
const PATH = 'src/doc.txt';

/** Hooks to drive an EditStepper alongside: `observe` sees every event, `advance` moves the fake clock. */
interface Driver {
  observe(e: TraceEvent, modelTextAfter: string): void;
  advance(ms: number): void;
}

function runScenario(initial: string, ops: readonly Op[], driver?: Driver): Scenario {
  const b = new TraceBuilder('prop-session');
  const model = new Model(initial);
  const events: TraceEvent[] = [];
  const textAt = new Map<number, string>();
  const push = (e: TraceEvent): void => {
    events.push(e);
    textAt.set(e.seq, model.text);
    driver?.observe(e, model.text);
  };
  let version = 1;
  push(b.open(PATH, initial, version));
  for (const op of ops) {
    if (op.kind === 'save') {
      push(b.save(PATH, version));
    } else if (op.kind === 'pause') {
      driver?.advance(PAUSE);
    } else if (op.kind === 'focus-away') {
      push(b.focus('other.txt'));
    } else {
      const ranges = rangesOf(op, model.units.length);
      if (ranges.length === 0) continue;
      model.replaceAll(ranges);
      push(b.edit(PATH, ++version, toChanges(ranges), op.cause));
      driver?.advance(PAUSE / 5);
    }
  }
  return { events, textAt, final: model.text };
}

suite('replay properties (fast-check)', () => {
  test('applyEdits (chunked) equals applying each edit with applyChanges, and the model', () => {
    fc.assert(
      fc.property(textArb, fc.array(opArb, { maxLength: 30 }), fc.integer({ min: 1, max: 9 }), (initial, ops, chunkSize) => {
        const { events, final } = runScenario(initial, ops);
        const edits = events.flatMap((e) => (e.kind === 'doc.edit' ? [e.changes] : []));
        const sequential = edits.reduce((t, c) => applyChanges(t, c), initial);
        assert.equal(sequential, final);
        assert.equal(applyEdits(initial, edits, chunkSize), final);
        assert.equal(applyEdits(initial, edits), final);
      }),
      { numRuns: 300 },
    );
  });

  test('replaying doc.open + doc.edit events rebuilds the model text, also at any --at', () => {
    fc.assert(
      fc.property(textArb, fc.array(opArb, { maxLength: 30 }), fc.nat(), (initial, ops, atPick) => {
        const { events, textAt, final } = runScenario(initial, ops);
        const replayer = new Replayer();
        for (const e of events) replayer.apply(e);
        assert.equal(replayer.get(PATH)?.text, final);
        assert.deepEqual(replayer.warnings, []);
        const at = (atPick % events.length) + 1;
        assert.equal(replayTrace(events, { atSeq: at }).documents.get(PATH)?.text, textAt.get(at));
      }),
      { numRuns: 300 },
    );
  });

  test("EditStepper's steps chain: each step's diff applied to the previous text gives the next", () => {
    fc.assert(
      fc.property(textArb, fc.array(opArb, { maxLength: 30 }), (initial, ops) => {
        const clock = new FakeClock();
        const steps: { step: NewEventOf<'edit.step'>; textAfter: string }[] = [];
        let current = initial; // the model text as of the latest event the stepper saw
        const stepper = new EditStepper((step) => steps.push({ step, textAfter: current }), { pauseMs: PAUSE }, clock);
        const { events, final } = runScenario(initial, ops, {
          observe: (e, modelTextAfter) => {
            stepper.observe(e); // one path only, so an event never closes a step that excludes itself
            current = modelTextAfter;
          },
          advance: (ms) => clock.advance(ms),
        });
        stepper.closeAll('flush');
        const editCount = events.filter((e) => e.kind === 'doc.edit').length;
        assert.equal(steps.reduce((n, s) => n + s.step.edits, 0), editCount);
        let text = initial;
        let version = 1;
        for (const { step, textAfter } of steps) {
          assert.equal(step.fromVersion, version);
          const next = applyPatch(text, step.diff, { autoConvertLineEndings: false });
          assert.equal(next, textAfter, `step ${step.fromVersion}->${step.toVersion}: ${JSON.stringify(step.diff)}`);
          text = next;
          version = step.toVersion;
        }
        assert.equal(text, final);
      }),
      { numRuns: 300 },
    );
  });
});
