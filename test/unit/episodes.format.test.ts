import * as assert from 'node:assert/strict';
import type { Episode } from '../../src/episodes/episode';
import { FORMATS, findFormat } from '../../src/export/formats';
import { keyOrder, stableStringify } from '../../src/export/stableJson';
import { EPISODE_KEY_ORDER, episodeLine, worktraceFormat } from '../../src/export/worktrace';
import { Capture, NODE_FAIL, NODE_PASS } from '../support/capture';
import { loadEpisodeSchema, validateEpisode } from '../support/episodeSchema';
import { build } from '../support/episodes';

/** Two sessions, several episodes, most step types. */
function trace(): Capture[] {
  const one = new Capture('s1').start();
  one.goalStart('Make it pass', 'g-1');
  one.open('a.js', 'a\r\nb\r\n').edit('a.js', [{ offset: 0, length: 1, text: 'A' }]).wait(3_000);
  one.run('npm test', 1, NODE_FAIL);
  one.emit({ kind: 'debug.session', phase: 'start', sessionId: 'd', type: 'node', request: 'launch', name: 'Run', after: [] });
  one.emit({ kind: 'editor.view', path: 'a.js', ranges: [{ start: 1, end: 3 }], active: true });
  one.wait(2_000).end();
  const two = new Capture('s2', 'ws-test', one.clock.now() + 1_000).start();
  two.goalStart('Make it pass', 'g-1', { resumed: true });
  two.open('a.js', 'A\r\nb\r\n', { existing: true }).edit('a.js', [{ offset: 3, length: 1, text: 'B' }]).wait(3_000);
  two.run('npm test', 0, NODE_PASS);
  two.commit('pass', 'd'.repeat(40));
  two.goalEnd('g-1', 'done');
  two.checkout('main', 'next');
  two.emit({ kind: 'file.change', path: 'gen.txt', change: 'created', text: 'g\n', added: 1, removed: 0, sha256: 'e'.repeat(64), size: 2, by: { by: 'unknown', confidence: 'low' } });
  two.wait(2_000).end();
  return [one, two];
}

async function episodes(events = trace().flatMap((c) => c.events)): Promise<Episode[]> {
  return (await build(events)).episodes;
}

/** A deep copy with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) out[key] = reversed((value as Record<string, unknown>)[key]);
  return out;
}

suite('episodes: the worktrace export format', () => {
  test('the registry holds every format, each under its own name', () => {
    assert.deepEqual(
      FORMATS.map((f) => f.name),
      ['worktrace', 'atif', 'openhands', 'messages', 'chrome-trace', 'agent-trace'],
    );
    for (const format of FORMATS) {
      assert.equal(findFormat(format.name), format);
      assert.match(format.extension, /^\.json(l)?$/, format.name);
      assert.ok(format.description.length > 0, format.name);
    }
    assert.equal(findFormat('worktrace'), worktraceFormat);
    assert.equal(findFormat('nope'), undefined);
    assert.equal(worktraceFormat.extension, '.jsonl');
  });

  test('one episode JSON object per line; the same episodes give the same bytes', async () => {
    const events = trace().flatMap((c) => c.events);
    const built = await episodes(events);
    assert.equal(built.length, 2);
    const write = (list: readonly Episode[]): string => {
      const writer = worktraceFormat.create();
      return writer.begin() + list.map((e) => writer.episode(e)).join('') + writer.end();
    };
    const text = write(built);
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      built,
    );
    assert.equal(write(await episodes(events)), text, 'building and writing again');
    assert.equal(write(built.map((e) => reversed(e) as Episode)), text, 'key order does not depend on how the objects were built');
  });

  test('keys come in the order of episode.ts', async () => {
    const [e] = await episodes();
    const parsed = JSON.parse(episodeLine(e)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed), ['schema', 'id', 'workspace', 'sessions', 'goal', 'start', 'end', 'base', 'steps', 'outcome', 'figures', 'exact', 'problems']);
    const step = (parsed.steps as Record<string, unknown>[])[2];
    assert.deepEqual(Object.keys(step), ['index', 'type', 'ts', 'durationMs', 'session', 'eventIds', 'action', 'observation', 'source', 'after']);
    assert.deepEqual(Object.keys(parsed.outcome as object), ['status', 'source', 'lastTestPassed', 'committed', 'commits', 'patch', 'patchExact']);
  });

  test('keyOrder keeps every shape\'s order; unknown keys follow, sorted', () => {
    const order = keyOrder([
      ['b', 'a'],
      ['c', 'a', 'd'],
    ]);
    assert.equal(stableStringify({ z: 1, d: 2, a: 3, y: 4, c: 5, b: 6 }, order), '{"b":6,"c":5,"a":3,"d":2,"y":4,"z":1}');
    const contradiction = keyOrder([
      ['x', 'y'],
      ['y', 'x'],
    ]);
    assert.equal(stableStringify({ y: 1, x: 2 }, contradiction), stableStringify({ x: 2, y: 1 }, contradiction), 'still deterministic');
  });
});

suite('episodes: schema/worktrace-episode-1.schema.json', () => {
  test('is draft 2020-12 and strict', () => {
    const schema = loadEpisodeSchema();
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(schema.additionalProperties, false);
    const defs = schema.$defs as Record<string, { unevaluatedProperties?: boolean }>;
    for (const name of Object.keys(defs).filter((n) => n.endsWith('Step'))) {
      assert.equal(defs[name].unevaluatedProperties, false, name);
    }
  });

  test('the built episodes fit it; unknown properties and wrong values do not', async () => {
    const built = await episodes();
    for (const e of built) {
      assert.deepEqual(validateEpisode(e), []);
    }
    const e = built[0];
    const edit = e.steps.findIndex((s) => s.type === 'edit');
    const mutants: [string, (copy: Record<string, unknown> & Episode) => void][] = [
      ['an unknown top-level property', (c) => Object.assign(c, { surprise: 1 })],
      ['an unknown step property', (c) => Object.assign(c.steps[edit], { surprise: 1 })],
      ['an unknown action property', (c) => Object.assign(c.steps[edit].action, { surprise: 1 })],
      ['an unknown step type', (c) => Object.assign(c.steps[edit], { type: 'dance' })],
      ['an edit step with a test observation', (c) => Object.assign(c.steps[edit], { observation: { outcome: 'passed', failing: [] } })],
      ['an explicit goal without goalId', (c) => delete c.goal.goalId],
      ['an explicit goal with inferredFrom', (c) => Object.assign(c.goal, { inferredFrom: 'idle' })],
      ['a known base without text', (c) => delete c.base[0].text],
      ['an unknown boundary', (c) => Object.assign(c.end, { boundary: 'lunch' })],
      ['a bad id', (c) => Object.assign(c, { id: 'episode-1' })],
      ['a negative figure', (c) => Object.assign(c.figures, { edits: -1 })],
      ['no steps', (c) => Object.assign(c, { steps: [] })],
    ];
    for (const [what, mutate] of mutants) {
      const copy = structuredClone(e) as Record<string, unknown> & Episode;
      mutate(copy);
      assert.notDeepEqual(validateEpisode(copy), [], what);
    }
  });

  test('describes the keys the export format orders', () => {
    const names = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v !== 'object' || v === null) return;
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'properties' && typeof child === 'object' && child !== null) Object.keys(child).forEach((n) => names.add(n));
        walk(child);
      }
    };
    walk(loadEpisodeSchema());
    const unordered = [...names].filter((n) => !EPISODE_KEY_ORDER.has(n));
    assert.deepEqual(unordered, [], 'every property of the schema has a place in the key order');
  });
});
