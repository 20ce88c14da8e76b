import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Redactor } from '../../src/privacy/redact';
import { RedactingPrivacyStage } from '../../src/privacy/stage';
import type { NewEvent } from '../../src/trace/events';

const sha256 = (t: string): string => createHash('sha256').update(t).digest('hex');

/**
 * A pause after a tool edited many documents at once (a replace in 200 files) releases the
 * held keystrokes a slice of documents at a time. What the release sets off downstream must
 * not undo that: the edit stepper closes a step (and records an `edit.step`) when the next
 * document's edits arrive, and that step, itself made of edits already released, must not
 * release every other held document in the same turn.
 */
suite('privacy stage: releasing held keystrokes after a pause', () => {
  test('an edit.step recorded while a slice is released leaves the other held documents to their own turns', async () => {
    const redactor = new Redactor();
    const s = new RedactingPrivacyStage(() => redactor, [], () => undefined, 1);
    const paths = ['a.ts', 'b.ts', 'c.ts'];
    const batches: string[][] = [];
    const stepOutputs: string[][] = [];
    let releasedEdits = 0;
    const done = new Promise<void>((resolve) => {
      s.connect((processed) => {
        const kinds = processed.map((p) => `${p.event.kind}:${'path' in p.event ? String(p.event.path) : ''}`);
        batches.push(kinds);
        for (const p of processed) {
          if (p.event.kind === 'doc.edit') {
            releasedEdits++;
            // What the stepper does on the next document's first edit: close the previous step.
            const previous = paths[paths.indexOf(p.event.path) - 1];
            if (previous) {
              const step: NewEvent = { kind: 'edit.step', path: previous, fromVersion: 1, toVersion: 2, diff: '', added: 0, removed: 0, edits: 1, startTs: 1, durationMs: 0, cause: 'typing', closedBy: 'switch', editIds: ['x'.repeat(21)] };
              const out = s.process(step);
              releasedEdits += out.filter((q) => q.event.kind === 'doc.edit').length;
              stepOutputs.push(out.map((q) => `${q.event.kind}:${'path' in q.event ? String(q.event.path) : ''}`));
            }
          }
        }
        if (releasedEdits >= paths.length) resolve();
      });
    });
    for (const path of paths) {
      const text = `export const ${path[0]} = 1;\n`;
      s.process({ kind: 'doc.open', path, languageId: 'typescript', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: sha256(text) });
    }
    for (const path of paths) {
      assert.deepEqual(s.process({ kind: 'doc.edit', path, version: 2, changes: [{ offset: 0, length: 0, text: '// ' }], cause: 'typing' }), [], `${path}: held`);
    }
    await done;
    s.dispose();
    assert.deepEqual(stepOutputs, [['edit.step:a.ts'], ['edit.step:b.ts']], 'each step comes out alone, no held edits of other documents with it');
    assert.deepEqual(
      batches.filter((b) => b.some((k) => k.startsWith('doc.edit'))),
      [['doc.edit:a.ts'], ['doc.edit:b.ts'], ['doc.edit:c.ts']],
      'each document released once, in the order it was held',
    );
  });

  test('thousands of keystrokes typed without a pause are handed on a part at a time; an event that comes meanwhile waits for all of them', async () => {
    const redactor = new Redactor();
    const s = new RedactingPrivacyStage(() => redactor, [], () => undefined, 1);
    const batches: string[][] = [];
    let saveOutput: string[] | undefined;
    const typed = 2_000;
    const done = new Promise<void>((resolve) => {
      s.connect((processed) => {
        batches.push(processed.map((p) => (p.event.kind === 'doc.edit' ? `edit:${p.event.version}` : p.event.kind)));
        // A save arrives while the release is still being handed on.
        if (batches.length === 2) {
          saveOutput = s.process({ kind: 'doc.save', path: 'a.ts', version: typed + 1 }).map((p) => (p.event.kind === 'doc.edit' ? `edit:${p.event.version}` : p.event.kind));
          resolve();
        }
      });
    });
    const text = 'x\n';
    s.process({ kind: 'doc.open', path: 'a.ts', languageId: 'typescript', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: sha256(text) });
    for (let v = 2; v <= typed + 1; v++) {
      s.process({ kind: 'doc.edit', path: 'a.ts', version: v, changes: [{ offset: v - 2, length: 0, text: 'y' }], cause: 'typing' });
    }
    await done;
    s.dispose();
    assert.ok(batches.length >= 2 && batches.every((b) => b.length <= 25), `hand-overs of at most 25 events (${batches.map((b) => b.length).join(', ')})`);
    const order = [...batches.flat(), ...(saveOutput ?? [])];
    assert.deepEqual(
      order,
      [...Array.from({ length: typed }, (_, i) => `edit:${i + 2}`), 'doc.save'],
      'every keystroke once, in order, and the save after the last of them',
    );
  });
});
