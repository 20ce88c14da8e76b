import * as assert from 'node:assert/strict';
import type { ReplayedFiles, WorkspaceObserver } from '../../src/episodes/builder';
import type { Episode } from '../../src/episodes/episode';
import type { TraceEvent } from '../../src/trace/events';
import { Capture, NODE_FAIL, NODE_PASS } from '../support/capture';
import { build } from '../support/episodes';

const MIN = 60_000;

/** What an observer saw, in order: `event <seq>` and `episode <id>`. */
class Recording implements WorkspaceObserver {
  readonly log: string[] = [];
  /** The replayed text of `watch` after each event the observer saw. */
  readonly texts: (string | undefined)[] = [];

  constructor(
    readonly workspace: string,
    private readonly watch: string,
  ) {}

  event(event: TraceEvent, files: ReplayedFiles): void {
    assert.equal(event.workspace, this.workspace);
    this.log.push(`event ${event.session}/${event.seq}`);
    const state = files.state(this.watch);
    this.texts.push(state.kind === 'text' ? state.text : undefined);
  }

  episode(episode: Episode): void {
    assert.equal(episode.workspace, this.workspace);
    this.log.push(`episode ${episode.id}`);
    episode.authorship = { lines: { typed: this.log.length, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 }, files: [], unexplained: 0 };
  }
}

suite('episodes: the workspace observer', () => {
  test('sees every usable event in order after the replay, each episode as it closes, and may fill its fields', async () => {
    const c = new Capture('s1', 'ws-a').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 2, length: 0, text: 'b\n' }]).wait(3_000);
    c.run('npm test', 1, NODE_FAIL);
    c.replace('a.js', 'b', 'c').wait(3_000);
    c.run('npm test', 0, NODE_PASS);
    c.commit('Fix', 'c'.repeat(40), ['a.js']); // commit after a pass: ends the episode with it
    c.wait(40 * MIN).edit('a.js', [{ offset: 0, length: 0, text: 'z' }]);
    c.end();
    const other = new Capture('s2', 'ws-b').start();
    other.open('b.js', 'b\n').edit('b.js', [{ offset: 0, length: 0, text: 'y' }]).end();
    // a malformed event (skipped by the builder) is not seen
    const malformed = { ...other.events[2], path: 42 } as unknown as TraceEvent;
    const events = [...c.events, ...other.events.slice(0, 2), malformed, ...other.events.slice(3)];

    const observers: Recording[] = [];
    const { episodes, report } = await build(events, {
      observe: (workspace) => {
        const o = new Recording(workspace, workspace === 'ws-a' ? 'a.js' : 'b.js');
        observers.push(o);
        return o;
      },
    });
    assert.equal(report.skipped.malformed, 1);
    assert.deepEqual(
      observers.map((o) => o.workspace),
      ['ws-a', 'ws-b'],
      'one observer per workspace',
    );
    const [a, b] = observers;
    assert.equal(episodes.length, 3);
    const firstClose = c.events.findIndex((e) => e.kind === 'git.commit');
    assert.deepEqual(a.log, [
      ...c.events.slice(0, firstClose + 1).map((e) => `event s1/${e.seq}`),
      `episode ${episodes[0].id}`,
      ...c.events.slice(firstClose + 1).map((e) => `event s1/${e.seq}`),
      `episode ${episodes[1].id}`,
    ]);
    assert.deepEqual(b.log, [...[0, 1, 3, 4].map((i) => `event s2/${other.events[i].seq}`), `episode ${episodes[2].id}`]);
    // the replayed state handed with each event is the state after it
    assert.equal(a.texts[0], undefined, 'after session.start: no a.js yet');
    assert.equal(a.texts[1], 'a\n', 'after its doc.open');
    assert.equal(a.texts[2], 'a\nb\n', 'after the first edit');
    assert.equal(a.texts.at(-1), c.text('a.js'));
    assert.deepEqual(
      episodes.map((e) => e.authorship?.lines.typed),
      [firstClose + 2, a.log.length, b.log.length],
      'fields the observer fills are on the episodes handed on',
    );
  });

  test('without an observer nothing changes', async () => {
    const c = new Capture('s1').start();
    c.open('a.js', 'a\n').edit('a.js', [{ offset: 0, length: 0, text: 'x' }]).end();
    const plain = await build(c.events);
    const observed = await build(c.events, { observe: () => undefined });
    assert.equal(JSON.stringify(observed.episodes), JSON.stringify(plain.episodes));
  });
});
