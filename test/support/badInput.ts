/**
 * Generators of bad input for the fuzz tests of the trace reader, replay and the receiver:
 * valid events of the kinds replay interprets, and the same events with fields of the
 * wrong type (numbers as strings, null, arrays for objects...). Deterministic given
 * fast-check's seed (no random ids).
 */
import * as fc from 'fast-check';
import type { TraceEvent } from '../../src/trace/events';
import { TraceBuilder } from './traceBuilder';

/** Fixed events of every kind replay interprets, in seq order, with fixed ids. */
export function sampleTrace(session = 'fuzz-session', workspace = 'ws-fuzz'): TraceEvent[] {
  const b = new TraceBuilder(session, 1_700_000_000_000, workspace);
  const text = Array.from({ length: 8 }, (_, i) => `line ${i + 1} é😀`).join('\n');
  const events: TraceEvent[] = [
    b.stamp({ kind: 'session.start', vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['ws'], repos: [], revision: 2 }),
    b.open('src/a.ts', text, 1, { languageId: 'typescript' }),
    b.view('src/a.ts', [
      { start: 1, end: 3 },
      { start: 6, end: 8 },
    ]),
    b.edit('src/a.ts', 2, [{ offset: 0, length: 4, text: 'LINE' }]),
    b.view('src/a.ts', [{ start: 1, end: 2 }]),
    b.diskSnapshot('gen/out.txt', 'generated\r\n', { change: 'created' }),
    b.diskEdit('gen/out.txt', [{ offset: 0, length: 9, text: 'rebuilt' }], 'rebuilt\r\n'),
    b.view('gen/out.txt', [{ start: 1, end: 1 }]),
    b.bulk(['src/a.ts', 'lib/x.js'], { count: 300, truncated: true }),
    b.view('src/a.ts', [{ start: 1, end: 1 }]),
    b.open('src/a.ts', 'fresh\n', 3),
    b.rename('src/a.ts', 'src/b.ts'),
    b.diskDelete('gen/out.txt'),
    b.close('src/b.ts'),
    b.remove('src'),
  ];
  return events.map((e, i) => ({ ...e, id: `${session}-${String(i).padStart(3, '0')}` }));
}

/** Values of the wrong type for any field: what a broken writer or a hostile client might send. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constantFrom('1', '-1', '1e3', 'NaN', 'true', '[]', '{}', 'worktrace/1'),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('start', 'end', 'offset', 'length', 'text', 'path', 'by', 'x'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.string({ maxLength: 12 }),
);

/** Every path of keys (and array indexes) to a value in `value`, a few levels deep. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (depth > 3 || typeof value !== 'object' || value === null) {
    return [];
  }
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key], depth + 1)]);
}

function setAt(target: unknown, path: (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    node = node[key] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
}

/** A copy of `value` with 1–`max` values (at any depth up to 4) replaced by wrong values or removed. */
export function mutated(value: unknown, max = 3): fc.Arbitrary<unknown> {
  return fc.array(fc.tuple(fc.nat(), fc.option(wrongValue, { nil: undefined })), { minLength: 1, maxLength: max }).map((mutations) => {
    const copy = structuredClone(value);
    for (const [pick, wrong] of mutations) {
      const paths = pathsOf(copy);
      if (paths.length === 0) break;
      const path = paths[pick % paths.length];
      if (wrong === undefined && path.length === 1 && !Array.isArray(copy)) {
        delete (copy as Record<string, unknown>)[path[0]];
      } else {
        setAt(copy, path, wrong ?? null);
      }
    }
    return copy;
  });
}

/** An event of {@link sampleTrace} with 1–3 fields (envelope or body, at any depth) replaced by wrong values or removed. */
export function mutatedEvent(events: readonly TraceEvent[] = sampleTrace()): fc.Arbitrary<Record<string, unknown>> {
  return fc.nat({ max: events.length - 1 }).chain((index) => mutated(events[index]) as fc.Arbitrary<Record<string, unknown>>);
}

/** JSON nested `depth` levels deep (arrays and objects alternating), as text, without recursion. */
export function deeplyNested(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(i % 2 === 0 ? '[' : '{"k":');
    close.push(i % 2 === 0 ? ']' : '}');
  }
  return `${open.join('')}0${close.reverse().join('')}`;
}
