import * as assert from 'node:assert/strict';
import { newBuildReport } from '../../src/episodes/report';
import { ExportProgress } from '../../src/export/progress';
import { EpisodeStats } from '../../src/export/stats';
import { exportSummary } from '../../src/export/summary';
import { emptyReport } from '../../src/trace/readReport';
import { invoiceEpisode } from '../support/handBuiltEpisodes';

function progress(isTTY: boolean): { p: ExportProgress; out: string[]; clock: { t: number }; counts: { events: number; episodes: number } } {
  const out: string[] = [];
  const clock = { t: 1_000 };
  const counts = { events: 0, episodes: 0 };
  const p = new ExportProgress({ write: (text) => out.push(text), isTTY, columns: 200 }, () => counts, { now: () => clock.t });
  return { p, out, clock, counts };
}

suite('export CLI: progress', () => {
  test('on a terminal: redrawn in place at most every 100 ms, bytes of the pass, events per second, cleared at the end', () => {
    const { p, out, clock, counts } = progress(true);
    p.read({ pass: 'index', bytesRead: 0, bytesTotal: 4 * 1_048_576 });
    clock.t += 50;
    counts.events = 1_000;
    p.read({ pass: 'index', bytesRead: 1_048_576, bytesTotal: 4 * 1_048_576 });
    assert.equal(out.length, 1, 'not again within 100 ms');
    clock.t += 50;
    counts.events = 2_000;
    p.read({ pass: 'index', bytesRead: 2 * 1_048_576, bytesTotal: 4 * 1_048_576 });
    assert.equal(out.length, 2);
    assert.equal(out[1], `\r1/2 reading  [########--------]  50% 2.0/4.0 MB 20,000 events/s 0 episodes\x1b[K`);
    clock.t += 1_000; // pass 2 starts: its rate counts from here
    p.read({ pass: 'sessions', bytesRead: 4 * 1_048_576, bytesTotal: 4 * 1_048_576 });
    clock.t += 500;
    counts.events = 7_000;
    counts.episodes = 3;
    p.tick();
    assert.equal(out.at(-1), `\r2/2 building [################] 100% 4.0/4.0 MB 10,000 events/s 3 episodes\x1b[K`);
    p.finish();
    assert.equal(out.at(-1), '\r\x1b[K');
    const n = out.length;
    p.finish();
    assert.equal(out.length, n, 'cleared once');
  });

  test('the line fits the terminal; a terminal of width 0 (one that does not say) counts as 80 columns', () => {
    const { p } = progress(true);
    assert.equal(p.line(2_000, 30).length, 30);
    const out: string[] = [];
    new ExportProgress({ write: (text) => out.push(text), isTTY: true, columns: 0 }, () => ({ events: 0, episodes: 0 }), { now: () => 0 }).tick();
    assert.match(out[0], /^\r2\/2 building|^\r1\/2 reading/);
  });

  test('not on a terminal: nothing for a short export, then a plain line every 10 s', () => {
    const { p, out, clock } = progress(false);
    for (let i = 0; i < 50; i++) {
      clock.t += 100;
      p.read({ pass: 'index', bytesRead: i, bytesTotal: 100 });
    }
    assert.deepEqual(out, []);
    clock.t += 5_000;
    p.tick();
    assert.equal(out.length, 1);
    assert.match(out[0], /^export: 1\/2 reading .*\n$/);
    assert.doesNotMatch(out[0], /\r/);
    clock.t += 9_000;
    p.tick();
    assert.equal(out.length, 1);
    p.finish();
    assert.equal(out.length, 1, 'nothing to clear');
  });
});

suite('export CLI: summary line and stats', () => {
  test('the summary names what was written, read, skipped, built and not exact; the --verbose hint only when needed', () => {
    const read = { ...emptyReport(), files: 2, events: 1_234, duplicates: 3, corruptLines: 1 };
    const build = { ...newBuildReport(), sessions: 2, events: 1_230, episodes: 5, notExact: 1, skipped: { 'unknown-kind': 2, 'newer-schema': 0, malformed: 1, duplicate: 0 } };
    assert.equal(
      exportSummary({ what: { kind: 'export', output: 'out.jsonl', format: 'atif' }, kept: 4, read, build, problems: 5, verbose: false }),
      'exported 4 episodes to out.jsonl (atif; 1 filtered out); read 2 files, 1,234 events (3 duplicates); skipped: 1 corrupt line, 0 gzip cut short or corrupt, ' +
        '0 events of unknown kinds, 0 of a newer schema; built 5 episodes from 2 sessions (1 not exact), skipping 3 events (2 of unknown kinds, 1 malformed) (--verbose for each problem)',
    );
    assert.match(exportSummary({ what: { kind: 'stats' }, kept: 5, read, build, problems: 5, verbose: true }), /^counted 5 episodes; read .*1 malformed\)$/);
  });

  test('stats: the median of steps is exact without keeping every episode; an empty table is still a table', () => {
    const stats = new EpisodeStats();
    const base = invoiceEpisode();
    for (const n of [1, 9, 3, 3, 7]) {
      stats.add({ ...base, steps: base.steps.slice(0, n) });
    }
    assert.equal(stats.medianSteps(), 3);
    stats.add({ ...base, steps: base.steps.slice(0, 8) });
    assert.equal(stats.medianSteps(), 3, 'the lower middle of six');
    const empty = new EpisodeStats().render({ sessions: 0, workspaces: 0, filters: '' });
    assert.match(empty[0], /^episodes\s+0$/);
    assert.ok(empty.some((l) => /^dates\s+-$/.test(l)));
  });
});
