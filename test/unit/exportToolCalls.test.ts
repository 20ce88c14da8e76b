import * as assert from 'node:assert/strict';
import type { EditStepData, EpisodeStep, FileBulkStepData, FileChangeStepData, TestStepData } from '../../src/episodes/episode';
import { TOOL_DEFINITIONS, planTurns, textsAtViews, type ActionTurn } from '../../src/export/toolCalls';
import { TEXTS, fixtureEpisodes, invoiceEpisode, loginEpisode } from '../support/handBuiltEpisodes';
import { schemaValidator } from '../support/formatSchemas';

const validators = new Map(TOOL_DEFINITIONS.map((d) => [d.function.name, schemaValidator(d.function.parameters)]));

/** The login episode with its steps replaced (indices renumbered). */
function withSteps(steps: EpisodeStep[]): ReturnType<typeof loginEpisode> {
  const episode = loginEpisode();
  episode.steps = steps.map((step, index) => ({ ...step, index }));
  return episode;
}

suite('export: steps as tool calls', () => {
  const login = loginEpisode();
  const step = <T extends EpisodeStep['type']>(type: T, n = 0): Extract<EpisodeStep, { type: T }> => login.steps.filter((s) => s.type === type)[n] as Extract<EpisodeStep, { type: T }>;

  test('every tool has a distinct name and parameters that are a JSON Schema; every exported call fits them', () => {
    const names = TOOL_DEFINITIONS.map((d) => d.function.name);
    assert.equal(new Set(names).size, names.length);
    for (const episode of fixtureEpisodes()) {
      for (const turn of planTurns(episode)) {
        if (turn.kind === 'action') assert.deepEqual(validators.get(turn.name)!(turn.arguments), [], `${episode.id} step ${turn.step.index}`);
      }
    }
  });

  test('a change on disk folds into the action just before it only when that action made it', () => {
    const command = step('command');
    const change = step('file-change');
    const folded = planTurns(withSteps([command, change]));
    assert.equal(folded.length, 1);
    assert.equal((folded[0] as ActionTurn).folded[0].step.type, 'file-change');
    const view = step('view');
    const apart = planTurns(withSteps([command, view, change]));
    assert.deepEqual(
      apart.map((t) => t.kind),
      ['action', 'action', 'environment'],
      'another action in between: the change is the environment’s',
    );
    const otherTerminal: FileChangeStepData = { ...change, action: { by: { ...change.action.by, terminal: 'other' } } };
    assert.equal(planTurns(withSteps([command, otherTerminal]))[1].kind, 'environment');
  });

  test('a bulk change by a checkout folds into the checkout; a test run folds into the debug session that ran it', () => {
    const checkout = step('checkout');
    const bulk: FileBulkStepData = { ...step('file-bulk'), action: { by: { by: 'git', operation: 'checkout', confidence: 'high' } } };
    const turns = planTurns(withSteps([checkout, bulk]));
    assert.equal(turns.length, 1);
    assert.match((turns[0] as ActionTurn).folded[0].content, /^120 files changed on disk by git checkout/);
    const debug = step('debug');
    const run: TestStepData = { index: 1, type: 'test', ts: debug.ts, durationMs: debug.durationMs, session: 's', eventIds: [], action: { runner: 'mocha', command: 'Launch login', origin: 'debug' }, observation: { outcome: 'failed', failed: 1, failing: ['logs in'] }, source: 0, after: [] };
    const [turn] = planTurns(withSteps([debug, run])) as ActionTurn[];
    assert.equal(turn.name, 'debug');
    assert.deepEqual(turn.folded.map((f) => f.content), ['Tests failed: 1 failed.\nFailing: logs in']);
    const alone = planTurns(withSteps([{ ...run, source: undefined }])) as ActionTurn[];
    assert.equal(alone[0].name, 'run_tests', 'a test run with nothing behind it is an action of its own');
  });

  test('a view shows the text the file had then, rebuilt from its base and the edits before it; unknown once the chain breaks', () => {
    const invoice = invoiceEpisode();
    const [typo, fix] = invoice.steps.filter((s): s is EditStepData => s.type === 'edit' && s.action.path === 'src/total.js');
    const view: EpisodeStep = { index: 0, type: 'view', ts: fix.ts + 1000, durationMs: 5000, session: 's', eventIds: [], action: { path: 'src/total.js' }, observation: { ranges: [{ start: 6, end: 99 }, { start: 1, end: 3 }] } };
    const episode = { ...invoice, steps: [typo, fix, view].map((s, index) => ({ ...s, index })) };
    const lines = TEXTS.TOTAL_V1.split('\n');
    assert.equal(textsAtViews(episode).get(2), TEXTS.TOTAL_V1);
    const [, , read] = planTurns(episode) as ActionTurn[];
    assert.deepEqual(read.arguments, { path: 'src/total.js', start_line: 1, end_line: 99 });
    assert.equal(
      read.result,
      ['src/total.js lines 1-99:', `     1\t${lines[0]}`, `     2\t${lines[1]}`, `     3\t${lines[2]}`, '[lines 4-5 folded]', `     6\t${lines[5]}`, `     7\t${lines[6]}`, `     8\t${lines[7]}`].join('\n'),
    );
    const unrecorded: EditStepData = { ...typo, action: { ...typo.action, diff: '' } };
    const broken = { ...invoice, steps: [unrecorded, fix, view].map((s, index) => ({ ...s, index })) };
    assert.equal(textsAtViews(broken).get(2), undefined);
    assert.match((planTurns(broken)[2] as ActionTurn).result, /^Viewed src\/total\.js lines 1-99\. \(The text on screen is not known here/);
  });
});
