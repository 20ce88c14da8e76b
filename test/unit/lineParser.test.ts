import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/trace/jsonDepth';
import { KNOWN_KINDS, checkEnvelope, isKnownKind, parseTraceLine } from '../../src/trace/lineParser';
import { TraceBuilder } from '../support/traceBuilder';

const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'schema', 'worktrace-1.schema.json');

function line(value: unknown): string {
  return JSON.stringify(value);
}

suite('parseTraceLine', () => {
  const b = new TraceBuilder('s-parse');
  const event = b.open('a.txt', 'text', 1);

  test('an event line gives the event; whitespace, \\r and a byte order mark around it are ignored', () => {
    assert.deepEqual(parseTraceLine(line(event)), { kind: 'event', event, known: true });
    assert.deepEqual(parseTraceLine(`\uFEFF  ${line(event)}\r`), { kind: 'event', event, known: true });
    assert.deepEqual(parseTraceLine('   '), { kind: 'blank' });
    assert.deepEqual(parseTraceLine(''), { kind: 'blank' });
  });

  test('a kind it does not know is passed on, marked unknown', () => {
    const future = { ...event, kind: 'hologram.project' };
    assert.deepEqual(parseTraceLine(line(future)), { kind: 'event', event: future, known: false });
  });

  test('worktrace/2 and later are a newer schema, not corrupt', () => {
    for (const schema of ['worktrace/2', 'worktrace/17']) {
      const result = parseTraceLine(line({ ...event, schema }));
      assert.equal(result.kind, 'newer-schema', schema);
      assert.match(result.kind === 'newer-schema' ? result.message : '', new RegExp(`newer schema ${schema}`));
    }
  });

  test('checks every envelope field, naming the wrong one', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ schema: undefined }, /"schema" must be "worktrace\/1"/],
      [{ schema: 'otel/1' }, /"schema" must be/],
      [{ schema: 'worktrace/0' }, /unknown schema/],
      [{ schema: 'worktrace/one' }, /unknown schema/],
      [{ schema: 1 }, /"schema" must be/],
      [{ id: '' }, /"id" must be a non-empty string/],
      [{ id: 7 }, /"id" must be a non-empty string/],
      [{ session: null }, /"session" must be a non-empty string/],
      [{ kind: '' }, /"kind" must be a non-empty string/],
      [{ seq: '3' }, /"seq" must be a positive integer/],
      [{ seq: 0 }, /"seq" must be a positive integer/],
      [{ seq: -1 }, /"seq" must be a positive integer/],
      [{ seq: 1.5 }, /"seq" must be a positive integer/],
      [{ seq: 2 ** 53 }, /"seq" must be a positive integer/],
      [{ ts: '1700000000000' }, /"ts" must be a finite number/],
      [{ ts: null }, /"ts" must be a finite number/],
      [{ workspace: undefined }, /"workspace" must be a string/],
      [{ workspace: ['ws'] }, /"workspace" must be a string/],
    ];
    for (const [override, message] of cases) {
      const result = parseTraceLine(line({ ...event, ...override }));
      assert.equal(result.kind, 'corrupt', JSON.stringify(override));
      assert.match(result.kind === 'corrupt' ? result.message : '', message, JSON.stringify(override));
    }
  });

  test('JSON that is not an object, or not JSON, is corrupt', () => {
    for (const text of ['[1,2]', 'null', '42', '"text"', '{', '{"a":1}{"b":2}', 'not json']) {
      assert.equal(parseTraceLine(text).kind, 'corrupt', text);
    }
  });

  test('nesting deeper than the limit is rejected before JSON.parse; up to the limit is fine', () => {
    const deep = parseTraceLine(`{"schema":"worktrace/1","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    assert.deepEqual(deep, { kind: 'corrupt', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` });
    const arrays = (n: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < n; i++) value = [value];
      return value;
    };
    // The event object is one level, so MAX_JSON_DEPTH - 1 arrays inside it reach the limit exactly.
    assert.equal(parseTraceLine(line({ ...event, deep: arrays(MAX_JSON_DEPTH - 1) })).kind, 'event');
    assert.equal(parseTraceLine(line({ ...event, deep: arrays(MAX_JSON_DEPTH) })).kind, 'corrupt');
  });
});

suite('nestsDeeperThan', () => {
  test('counts arrays and objects, not brackets inside strings or after escapes', () => {
    assert.equal(nestsDeeperThan('[[[]]]', 3), false);
    assert.equal(nestsDeeperThan('[[[[]]]]', 3), true);
    assert.equal(nestsDeeperThan('{"a":{"b":[1]}}', 3), false);
    assert.equal(nestsDeeperThan('{"a":{"b":[[1]]}}', 3), true);
    assert.equal(nestsDeeperThan('["[[[[[[", "\\"[[[[[["]', 1), false);
    assert.equal(nestsDeeperThan('"\\\\"[[', 1), true); // an escaped backslash ends the string
  });
});

suite('KNOWN_KINDS', () => {
  test('lists every kind of the JSON Schema, and only those', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { properties: { kind: { enum: string[] } } };
    assert.deepEqual([...KNOWN_KINDS].sort(), [...schema.properties.kind.enum].sort());
    assert.equal(isKnownKind('doc.edit'), true);
    assert.equal(isKnownKind('toString'), false);
    assert.equal(isKnownKind('__proto__'), false);
  });

  test('checkEnvelope accepts a minimal envelope of any kind', () => {
    const check = checkEnvelope({ schema: 'worktrace/1', id: 'i', session: 's', kind: 'x.y', seq: 1, ts: 0, workspace: '' });
    assert.equal(check.ok, true);
    assert.equal(check.ok && check.known, false);
  });
});
