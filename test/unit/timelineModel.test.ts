import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { Colour, colourOf, Flag, ItemKind, kindName, RunStatus, TestStatus } from '../../src/timeline/codes';
import { displayOrder, LaneGroup } from '../../src/timeline/lanes';
import { TimelineModel } from '../../src/timeline/model';
import { EDIT_CAUSES } from '../../src/trace/events';
import { story, T0, TraceBuilder } from './timelineStory';

function load(events = story()): TimelineModel {
  const model = new TimelineModel();
  model.append(events);
  return model;
}

/** The item made from the event with this id (or the first of this kind). */
function itemOf(model: TimelineModel, idOrKind: string): number {
  const byId = model.itemOf(idOrKind);
  if (byId !== undefined) {
    return byId;
  }
  for (let i = 0; i < model.count; i++) {
    if (kindName(model.items.kind[i]) === idOrKind) {
      return i;
    }
  }
  throw new Error(`no item ${idOrKind}`);
}

function snapshot(model: TimelineModel): unknown[] {
  return Array.from({ length: model.count }, (_, i) => ({ ...model.items.get(i), summary: model.summaries[i] }));
}

suite('timeline model', () => {
  test('one lane per file and one per activity, groups before files', () => {
    const model = load();
    const labels = model.lanes.lanes.map((l) => l.label);
    assert.ok(labels.includes('src/app.ts') && labels.includes('src/login.ts'));
    for (const group of ['Task', 'Capture', 'Tests', 'Terminal & tasks', 'Debug', 'Commits', 'Changes on disk', 'Reading', 'Problems', 'Redactions']) {
      assert.ok(labels.includes(group), `lane ${group}`);
    }
    const order = displayOrder(model.lanes.lanes).map((i) => model.lanes.lanes[i]);
    const firstFile = order.findIndex((l) => l?.group === LaneGroup.Files);
    assert.ok(order.slice(firstFile).every((l) => l?.group === LaneGroup.Files), 'files come last');
    assert.equal(order[0]?.label, 'Task');
  });

  test('an edit step: start and duration from the step, intensity = lines changed, colour by cause', () => {
    const model = load();
    const i = itemOf(model, 'step1');
    assert.equal(model.origin, T0);
    assert.equal(model.items.start[i], 3000);
    assert.equal(model.items.duration[i], 1500);
    assert.equal(model.items.intensity[i], 3);
    assert.equal(model.items.kind[i], ItemKind.EditStep);
    assert.equal(EDIT_CAUSES[model.items.status[i]], 'typing');
    assert.equal(colourOf(model.items.kind[i], model.items.status[i], model.items.flags[i]), Colour.Typed);
    assert.equal(model.lanes.lanes[model.items.lane[i]]?.label, 'src/app.ts');
    const pasted = itemOf(model, 'step2');
    assert.equal(colourOf(model.items.kind[pasted], model.items.status[pasted], 0), Colour.Pasted);
    assert.match(model.summaries[i] ?? '', /^\+2 −1 · typing · 2 edits/);
  });

  test('commands and test runs: exit codes, outcomes, fixed, aligned with the command that ran them', () => {
    const model = load();
    const cmd1 = itemOf(model, 'cmd1');
    const run1 = itemOf(model, 'run1');
    const run2 = itemOf(model, 'run2');
    assert.equal(model.items.status[cmd1], RunStatus.Failed);
    assert.equal(model.items.status[itemOf(model, 'cmd2')], RunStatus.Ok);
    assert.equal(model.items.status[run1], TestStatus.Failed);
    assert.equal(model.items.intensity[run1], 1, 'failed count');
    assert.equal(model.items.status[run2], TestStatus.Passed);
    assert.equal(model.items.flags[run2] & Flag.Fixed, Flag.Fixed);
    assert.equal(model.items.flags[run1] & Flag.Fixed, 0);
    assert.equal(model.items.start[run1], model.items.start[cmd1]);
    assert.equal(model.items.duration[run1], 10_000);
    assert.equal(colourOf(model.items.kind[run1], model.items.status[run1], 0), Colour.Fail);
  });

  test('the links of the story: runs that tested a step, runs recognised in a command, the run a fix made pass', () => {
    const model = load();
    const step1 = itemOf(model, 'step1');
    const step2 = itemOf(model, 'step2');
    assert.deepEqual([...model.testedBy(step1)].sort(), [itemOf(model, 'cmd1'), itemOf(model, 'run1')].sort());
    assert.deepEqual([...model.testedBy(step2)].sort(), [itemOf(model, 'dbg1'), itemOf(model, 'cmd2'), itemOf(model, 'run2')].sort());
    assert.deepEqual(model.derivedFrom(itemOf(model, 'cmd1')), [itemOf(model, 'run1')]);
    assert.deepEqual(model.laterRuns(itemOf(model, 'run1')), [itemOf(model, 'run2')]);
  });

  test('a debug session is one item from start to end, marked with its exception', () => {
    const model = load();
    const dbg = itemOf(model, 'dbg1');
    assert.equal(model.items.start[dbg], 45_000);
    assert.equal(model.items.duration[dbg], 40_000);
    assert.equal(model.items.flags[dbg] & Flag.Open, 0);
    assert.equal(model.items.flags[dbg] & Flag.Exception, Flag.Exception);
    assert.equal(model.items.status[dbg], RunStatus.Failed);
    assert.equal(model.stopsOf(dbg).length, 1);
    assert.equal(model.endOf(dbg)?.kind, 'debug.session');
    assert.equal(colourOf(ItemKind.Debug, model.items.status[dbg], model.items.flags[dbg]), Colour.Fail);
  });

  test('pause and task are bands; a band still open grows with every later event', () => {
    const model = load();
    const pause = itemOf(model, 'capture.pause');
    assert.equal(model.items.start[pause], 50_000);
    assert.equal(model.items.duration[pause], 30_000);
    const goal = itemOf(model, 'goal');
    assert.equal(model.items.duration[goal], 124_000);
    assert.match(model.summaries[goal] ?? '', /Fix the login bug \(#42\) · done/);

    const b = new TraceBuilder();
    b.add('session.start', 0, { vscodeVersion: '1', extensionVersion: '1', platform: 'linux', folders: [], repos: [] });
    b.add('capture.pause', 10, { reason: 'paused', until: null });
    const live = new TimelineModel();
    live.append(b.events.slice());
    const band = itemOf(live, 'capture.pause');
    assert.equal(live.items.flags[band] & Flag.Open, Flag.Open);
    assert.equal(live.items.duration[band], 0);
    const e = b.add('editor.focus', 25, { path: null });
    const delta = live.append([e]);
    assert.equal(live.items.duration[band], 15_000);
    assert.deepEqual(delta.updated, [band]);
    const resume = b.add('capture.resume', 30, {});
    const closed = live.append([resume]);
    assert.equal(live.items.duration[band], 20_000);
    assert.equal(live.items.flags[band] & Flag.Open, 0);
    assert.deepEqual(closed.updated, [band]);
    assert.equal(closed.to - closed.from, 0, 'the resume adds no item of its own');
  });

  test('a task resumed from an earlier session starts at this session and is marked continued', () => {
    const b = new TraceBuilder();
    b.add('goal.start', 5, { goal: 'Carry on', goalId: 'g', resumed: true, startTs: T0 - 3_600_000 });
    const model = load(b.events);
    const goal = itemOf(model, 'goal');
    assert.equal(model.items.start[goal], 0);
    assert.equal(model.items.flags[goal] & Flag.Continued, Flag.Continued);
  });

  test('duplicates (at-least-once delivery) are read once', () => {
    const events = story();
    const model = load(events);
    const before = snapshot(model);
    const delta = model.append(events);
    assert.equal(delta.to - delta.from, 0);
    assert.deepEqual(snapshot(model), before);
    assert.equal(model.events.length, events.length);
  });

  test('events without a usable seq are deduplicated by id', () => {
    const b = new TraceBuilder();
    const e = b.add('doc.save', 1, { path: 'a.ts', version: 2 });
    const noSeq = { ...e, seq: undefined } as unknown as typeof e;
    const model = new TimelineModel();
    model.append([noSeq, noSeq, { ...noSeq, id: 'other' }]);
    assert.equal(model.count, 2);
  });

  test('appending in batches gives the same items as appending at once (any split)', () => {
    const events = story();
    const whole = snapshot(load(events));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: events.length - 1 }), { maxLength: 6 }), (cuts) => {
        const model = new TimelineModel();
        const points = [0, ...cuts.sort((a, b) => a - b), events.length];
        for (let k = 0; k + 1 < points.length; k++) {
          model.append(events.slice(points[k], points[k + 1]));
        }
        assert.deepEqual(snapshot(model), whole);
      }),
      { numRuns: 60 },
    );
  });

  test('counts what it does not draw', () => {
    const model = load();
    const notDrawn = new Map(model.notDrawn().map((n) => [n.kind, n.count]));
    assert.equal(notDrawn.get('doc.edit'), 2);
    assert.equal(notDrawn.get('doc.open'), 1);
    assert.equal(notDrawn.get('editor.selection'), 1);
    assert.equal(notDrawn.has('capture.resume'), false, 'a resume ends the pause band');
    assert.equal(notDrawn.has('edit.step'), false);
    assert.equal(model.kindCounts().get('doc.edit'), 2);
  });

  test('knows the paths of its session (what the page may ask to open) and the task and folders', () => {
    const model = load();
    for (const p of ['src/app.ts', 'src/login.ts', 'src/auth.ts', 'package-lock.json']) {
      assert.ok(model.hasPath(p), p);
    }
    assert.equal(model.hasPath('/etc/passwd'), false);
    assert.deepEqual(model.folders, ['app']);
    assert.equal(model.goal, 'Fix the login bug');
  });

  test('an uncaptured terminal is a warning mark; a captured one is not drawn', () => {
    const b = new TraceBuilder();
    b.add('terminal.open', 1, { terminal: 'zsh', captured: false });
    b.add('terminal.open', 2, { terminal: 'bash', captured: true });
    const model = load(b.events);
    assert.equal(model.count, 1);
    assert.equal(model.items.kind[0], ItemKind.TerminalUncaptured);
    assert.equal(colourOf(ItemKind.TerminalUncaptured, 0, 0), Colour.Warning);
  });
});
