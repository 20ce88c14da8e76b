import * as assert from 'node:assert/strict';
import { parseFlags } from '../../src/common/cliArgs';
import type { Episode, EpisodeStep } from '../../src/episodes/episode';
import { parseExportArgs, usage, type ExportOptions } from '../../src/export/args';
import { parseDay, parseFilters } from '../../src/export/filter';
import { FORMATS } from '../../src/export/formats';
import { invoiceEpisode as handBuiltEpisode } from '../support/handBuiltEpisodes';

function run(argv: string[]): ExportOptions {
  const parsed = parseExportArgs(argv);
  assert.equal(parsed.kind, 'run', parsed.kind === 'error' ? parsed.message : argv.join(' '));
  return (parsed as { options: ExportOptions }).options;
}

suite('export CLI: arguments', () => {
  test('paths, --out, --format, repeated and comma-separated --filter, --idle-minutes, --verbose', () => {
    const o = run(['traces/', 'events.db', '--out', 'out/data.jsonl', '--format=atif', '--filter', 'outcome=done,min-steps=3', '--filter=fixed', '--idle-minutes', '45', '--verbose']);
    assert.deepEqual(o.paths, ['traces/', 'events.db']);
    assert.equal(o.mode.kind, 'export');
    assert.equal(o.mode.kind === 'export' ? o.mode.out : '', 'out/data.jsonl');
    assert.equal(o.mode.kind === 'export' ? o.mode.format.name : '', 'atif');
    assert.equal(o.filter.description, 'outcome=done, min-steps=3, fixed');
    assert.equal(o.idleGapMs, 45 * 60_000);
    assert.equal(o.verbose, true);
    const stats = run(['t', '--stats', '--filter', 'explicit']);
    assert.deepEqual(stats.mode, { kind: 'stats' });
    assert.equal(stats.idleGapMs, 30 * 60_000, 'the default, as the setting');
    assert.equal(stats.verbose, false);
    const stdout = run(['t', '--out', '-', '--format', 'messages']);
    assert.equal(stdout.mode.kind === 'export' ? stdout.mode.out : '', '-');
    assert.deepEqual(run(['--stats', '--', '--odd-name', '--stats']).paths, ['--odd-name', '--stats'], 'after --, everything is a path');
    assert.deepEqual(parseExportArgs(['t', '--help']), { kind: 'help' });
  });

  test('bad flags and values: a message that says what is expected', () => {
    const cases: [string[], RegExp][] = [
      [[], /at least one trace/],
      [['t', '--format', 'worktrace'], /give --out/],
      [['t', '--out', 'o'], /give --format <name>: worktrace, atif, openhands, messages, chrome-trace, agent-trace/],
      [['t', '--out', 'o', '--format', 'csv'], /unknown format "csv" \(known: worktrace, /],
      [['t', '--stats', '--out', 'o'], /--stats .* does not go with --out or --format/],
      [['t', '--stats', '--format', 'atif'], /does not go with/],
      [['t', '--stats=yes'], /--stats takes no value/],
      [['t', '--stats', '--idle-minutes', '0'], /--idle-minutes needs a number of minutes from 1 to 1440, got 0/],
      [['t', '--stats', '--idle-minutes', '2000'], /from 1 to 1440/],
      [['t', '--stats', '--idle-minutes', 'ten'], /got ten/],
      [['t', '--stats', '--filter', 'colour=blue'], /--filter: unknown filter "colour" \(known: outcome, min-steps, fixed, from, to, repo, explicit\)/],
      [['t', '--stats', '--filter', 'outcome=finished'], /outcome=finished: the outcome is one of done, abandoned, handed-off, unknown/],
      [['t', '--stats', '--filter', 'min-steps=-1'], /min-steps=-1: needs a whole number/],
      [['t', '--stats', '--filter', 'min-steps=2.5'], /whole number/],
      [['t', '--stats', '--filter', 'min-steps=1,min-steps=2'], /min-steps given twice/],
      [['t', '--stats', '--filter', 'from=2026-02-30'], /from=2026-02-30: needs a date as YYYY-MM-DD/],
      [['t', '--stats', '--filter', 'to=26-1-5'], /to=26-1-5: needs a date/],
      [['t', '--stats', '--filter', 'from=2026-02-01,to=2026-01-31'], /from= is after to=/],
      [['t', '--stats', '--filter', 'fixed=yes'], /the filter fixed takes no value/],
      [['t', '--stats', '--filter', 'repo='], /the filter repo needs a value/],
      [['t', '--stats', '--filter', 'outcome'], /the filter outcome needs a value/],
      [['t', '--stats', '--filter', 'outcome=done,,fixed'], /empty --filter/],
      [['t', '--stats', '--filter'], /--filter needs a value/],
      [['t', '--out', 'o', '--out', 'p', '--format', 'atif'], /--out given twice/],
      [['t', '--stats', '--bogus'], /unknown option --bogus/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseExportArgs(argv);
      assert.equal(parsed.kind, 'error', argv.join(' '));
      assert.match(parsed.kind === 'error' ? parsed.message : '', message, argv.join(' '));
    }
  });

  test('the usage names every format with its description, every filter and the exit codes', () => {
    const text = usage();
    for (const format of FORMATS) {
      assert.ok(text.includes(format.name) && text.includes(format.description), format.name);
    }
    for (const key of ['outcome=', 'min-steps=', 'fixed', 'from=', 'to=', 'repo=', 'explicit']) {
      assert.ok(text.includes(key), key);
    }
    assert.match(text, /Exit codes: 0 done; 1 nothing could be read, or the output could not be written; 2 bad arguments/);
  });

  test('shared flag parsing: switches and repeatable flags, without changing the others', () => {
    const parsed = parseFlags(['a', '--x', '1', '--x=2', '--on', '--y', 'v'], ['--x', '--y'] as const, true, { repeatable: ['--x'], switches: ['--on'] as const });
    assert.equal(parsed.kind, 'ok');
    if (parsed.kind === 'ok') {
      assert.deepEqual(parsed.lists.get('--x'), ['1', '2']);
      assert.equal(parsed.values.get('--y'), 'v');
      assert.equal(parsed.values.has('--x'), false);
      assert.deepEqual([...parsed.switches], ['--on']);
      assert.deepEqual(parsed.positional, ['a']);
    }
    assert.deepEqual(parseFlags(['--y', '1', '--y', '2'], ['--y'], false), { kind: 'error', message: '--y given twice' });
  });
});

/** An episode to filter, from the hand-built one, with the fields the filters read. */
function episode(over: { status?: Episode['outcome']['status']; source?: 'explicit' | 'inferred'; steps?: number; fixed?: number; startTs?: number; repos?: Episode['start']['repos']; extraSteps?: EpisodeStep[] }): Episode {
  const base = handBuiltEpisode();
  const steps = [...base.steps.slice(0, over.steps ?? base.steps.length), ...(over.extraSteps ?? [])].map((s, index) => ({ ...s, index }));
  return {
    ...base,
    goal: { ...base.goal, source: over.source ?? base.goal.source },
    start: { ...base.start, ts: over.startTs ?? base.start.ts, repos: over.repos ?? base.start.repos },
    steps,
    outcome: { ...base.outcome, status: over.status ?? base.outcome.status },
    figures: { ...base.figures, fixed: over.fixed ?? base.figures.fixed },
  };
}

suite('export CLI: filters', () => {
  function filter(...specs: string[]): (e: Episode) => boolean {
    const parsed = parseFilters(specs);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
    return (e) => parsed.filter.matches(e);
  }

  test('no filter keeps everything; one key with several values keeps any; different keys must all match', () => {
    const done = episode({ status: 'done', source: 'explicit' });
    const abandoned = episode({ status: 'abandoned', source: 'inferred' });
    const unknown = episode({ status: 'unknown', source: 'explicit' });
    assert.equal(filter()(unknown), true);
    const doneOrAbandoned = filter('outcome=done', 'outcome=abandoned');
    assert.deepEqual([done, abandoned, unknown].map(doneOrAbandoned), [true, true, false]);
    const explicitDone = filter('outcome=done,outcome=unknown,explicit');
    assert.deepEqual([done, abandoned, unknown].map(explicitDone), [true, false, true]);
    assert.equal(filter('outcome=handed-off')(done), false);
  });

  test('min-steps and fixed', () => {
    const short = episode({ steps: 2, fixed: 0 });
    const long = episode({ steps: 5, fixed: 1 });
    assert.deepEqual([short, long].map(filter('min-steps=3')), [false, true]);
    assert.deepEqual([short, long].map(filter('min-steps=2')), [true, true], 'at least N');
    assert.deepEqual([short, long].map(filter('min-steps=0')), [true, true]);
    assert.deepEqual([short, long].map(filter('fixed')), [false, true]);
  });

  test('from and to are whole UTC days, both inclusive, on the episode start', () => {
    const day = parseDay('2026-03-10');
    assert.equal(day, Date.UTC(2026, 2, 10));
    assert.equal(parseDay('2024-02-29'), Date.UTC(2024, 1, 29));
    assert.equal(parseDay('2025-02-29'), undefined);
    const at = (ts: number): Episode => episode({ startTs: ts });
    const first = at(Date.UTC(2026, 2, 10, 0, 0, 0, 0));
    const last = at(Date.UTC(2026, 2, 10, 23, 59, 59, 999));
    const before = at(Date.UTC(2026, 2, 9, 23, 59, 59, 999));
    const after = at(Date.UTC(2026, 2, 11));
    const march10 = filter('from=2026-03-10,to=2026-03-10');
    assert.deepEqual([before, first, last, after].map(march10), [false, true, true, false]);
    assert.deepEqual([before, first, after].map(filter('from=2026-03-10')), [false, true, true]);
    assert.deepEqual([before, last, after].map(filter('to=2026-03-10')), [true, true, false]);
  });

  test('repo: a root as recorded or a branch the episode began on, checked out or committed to', () => {
    const api = episode({ repos: [{ root: 'services/api', head: null, branch: 'main' }], steps: 0 });
    assert.equal(filter('repo=services/api')(api), true);
    assert.equal(filter('repo=services/api/')(api), true, 'a trailing slash is ignored');
    assert.equal(filter('repo=main')(api), true);
    assert.equal(filter('repo=services')(api), false, 'not a prefix');
    assert.equal(filter('repo=.')(api), false);
    const checkout: EpisodeStep = { index: 0, ts: 1, durationMs: 0, session: 's', eventIds: ['e'], type: 'checkout', action: { repo: '.', from: 'main', to: 'feature/login' }, observation: { sha: null } };
    const switched = episode({ repos: [{ root: '.', head: null, branch: 'main' }], steps: 0, extraSteps: [checkout] });
    assert.equal(filter('repo=feature/login')(switched), true);
    assert.equal(filter('repo=.')(switched), true);
    assert.equal(filter('repo=other,repo=main')(switched), true, 'any of several');
    const committed = handBuiltEpisode().steps.find((s) => s.type === 'commit');
    assert.ok(committed?.type === 'commit');
    const onBranch = episode({ repos: [], steps: 0, extraSteps: [committed] });
    assert.equal(filter(`repo=${committed.action.branch ?? ''}`)(onBranch), committed.action.branch !== null);
    assert.equal(filter(`repo=${committed.action.repo}`)(onBranch), true);
  });
});
