/**
 * Replay meets events with wrong types (envelopes and bodies): replayTrace, the Replayer and
 * the CLI's --view and --out paths must not throw; they warn and carry on. fast-check with
 * fixed seeds and bounded runs.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { runCli } from '../../src/replay/cli';
import { ReplayOptionsError, Replayer, replayTrace } from '../../src/replay/replay';
import { renderView } from '../../src/replay/view';
import type { TraceEvent } from '../../src/trace/events';
import { mutatedEvent, sampleTrace } from '../support/badInput';

const VALID = sampleTrace();

/** A trace in which some events are valid, some have wrong types, some are not events at all. */
const traceArb: fc.Arbitrary<unknown[]> = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...VALID) },
    { weight: 3, arbitrary: mutatedEvent(VALID) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  ),
  { maxLength: 30 },
);

suite('replay under bad input (fast-check)', function () {
  this.timeout(30_000);
  let dir: string;
  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-replay-fuzz-'));
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('replayTrace and the Replayer never throw on wrong types; states stay strings', () => {
    fc.assert(
      fc.property(traceArb, fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }), (values, atSeq) => {
        const events = values as TraceEvent[];
        const replayer = new Replayer();
        for (const event of events) {
          replayer.apply(event);
        }
        for (const doc of replayer.documents().values()) {
          assert.equal(typeof doc.text, 'string');
          assert.ok(doc.eol === '\n' || doc.eol === '\r\n');
        }
        try {
          const result = replayTrace(events, atSeq === undefined ? {} : { atSeq, session: 'fuzz-session' });
          for (const doc of result.documents.values()) {
            assert.equal(typeof doc.text, 'string');
          }
          for (const view of events.filter((e) => typeof e === 'object' && e !== null && e.kind === 'editor.view')) {
            const rendering = renderView(view, 'fuzz-session', view.seq, result.documents);
            assert.ok(rendering.ok ? rendering.lines.every((l) => typeof l === 'string') : typeof rendering.message === 'string');
          }
        } catch (error) {
          assert.ok(error instanceof ReplayOptionsError, String(error)); // e.g. the session holds no valid event
        }
      }),
      { seed: 5_150, numRuns: 300 },
    );
  });

  test('the CLI (--view and --out) answers 0, 1 or 2 and never throws', async () => {
    const trace = join(dir, 'trace.ndjson');
    await fc.assert(
      fc.asyncProperty(traceArb, fc.integer({ min: 1, max: 16 }), async (values, seq) => {
        writeFileSync(trace, values.map((v) => JSON.stringify(v)).join('\n'));
        const lines: string[] = [];
        const io = { stdout: (l: string) => lines.push(l), stderr: (l: string) => lines.push(l) };
        const view = await runCli([trace, '--view', String(seq), '--session', 'fuzz-session'], io);
        assert.ok(view === 0 || view === 2, `--view exit ${view}`);
        const out = await runCli([trace, '--out', join(dir, 'out')], io);
        assert.ok(out === 0 || out === 1, `--out exit ${out}`);
        assert.ok(lines.every((l) => typeof l === 'string'));
      }),
      { seed: 77, numRuns: 40 },
    );
  });
});
