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

  /** A stage with `n` documents open, each holding one edit (a tool's replace, before its saves). */
  function manyHeld(n: number, onAccept: (kinds: string[], processed: readonly { event: NewEvent; ts?: number }[]) => void = () => undefined): RedactingPrivacyStage {
    const redactor = new Redactor();
    const s = new RedactingPrivacyStage(() => redactor, [], () => undefined, 60_000); // no pause ends the burst in these tests
    s.connect((processed) => onAccept(processed.map(label), processed));
    for (let i = 0; i < n; i++) {
      const text = `export const v${i} = 1;\n`;
      s.process({ kind: 'doc.open', path: `f${i}.ts`, languageId: 'typescript', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: sha256(text) });
    }
    for (let i = 0; i < n; i++) {
      assert.deepEqual(s.process({ kind: 'doc.edit', path: `f${i}.ts`, version: 2, changes: [{ offset: 0, length: 0, text: '// ' }], cause: 'programmatic' }), []);
    }
    return s;
  }

  const label = (p: { event: NewEvent }): string => `${p.event.kind}:${'path' in p.event ? String(p.event.path) : ''}`;

  test('a save that finds 8 documents or fewer holding edits releases them in its turn, before itself', () => {
    const s = manyHeld(8);
    const out = s.process({ kind: 'doc.save', path: 'f0.ts', version: 2 }).map(label);
    s.dispose();
    assert.deepEqual(out, [...Array.from({ length: 8 }, (_, i) => `doc.edit:f${i}.ts`), 'doc.save:f0.ts']);
  });

  test('a save that finds many documents holding edits waits behind a sliced release, and so does what comes after it, in order and with its own time', async () => {
    const accepted: string[] = [];
    const times = new Map<string, number | undefined>();
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const s = manyHeld(200, (kinds, processed) => {
      accepted.push(...kinds);
      processed.forEach((p) => times.set(label(p), p.ts));
      if (kinds.includes('doc.close:f1.ts')) finished();
    });
    assert.deepEqual(s.process({ kind: 'doc.save', path: 'f0.ts', version: 2 }, 1_000), [], 'nothing in the save’s own turn');
    assert.deepEqual(s.process({ kind: 'doc.close', path: 'f1.ts' }, 2_000), [], 'an event after it waits behind it');
    assert.deepEqual(s.process({ kind: 'editor.selection', path: 'f2.ts', trigger: 'keyboard', selections: [], count: 1, chars: 0, lines: 0 }, 1_500), [], 'even one that would not end a burst');
    await done;
    s.dispose();
    const edits = accepted.filter((k) => k.startsWith('doc.edit'));
    assert.equal(edits.length, 200, 'every held edit once');
    assert.deepEqual(accepted.slice(-3), ['doc.save:f0.ts', 'doc.close:f1.ts', 'editor.selection:f2.ts'], 'after every edit, in the order they came');
    assert.equal(times.get('doc.save:f0.ts'), 1_000, 'recorded with the time it happened');
    assert.equal(times.get('doc.close:f1.ts'), 2_000);
  });

  test('releaseAll records every held edit and every waiting event at once, in order', () => {
    const accepted: string[] = [];
    const s = manyHeld(50, (kinds) => accepted.push(...kinds));
    s.process({ kind: 'doc.save', path: 'f0.ts', version: 2 }, 1_000);
    s.process({ kind: 'doc.edit', path: 'f3.ts', version: 3, changes: [{ offset: 0, length: 0, text: 'x' }], cause: 'typing' }, 1_100); // waits too
    s.process({ kind: 'doc.close', path: 'f1.ts' }, 1_200);
    s.releaseAll();
    s.dispose();
    assert.equal(accepted.filter((k) => k.startsWith('doc.edit')).length, 51);
    const at = (k: string): number => accepted.indexOf(k);
    assert.ok(at('doc.save:f0.ts') > accepted.lastIndexOf('doc.edit:f49.ts'), 'the save after the held edits');
    assert.ok(at('doc.close:f1.ts') > at('doc.save:f0.ts'));
    assert.equal(accepted.lastIndexOf('doc.edit:f3.ts') > at('doc.save:f0.ts'), true, 'the edit that came after the save is recorded after it');
  });

  test('an event derived from one being handed on goes at once, not behind the events still waiting', async () => {
    let derived: string[] | undefined;
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const s: RedactingPrivacyStage = manyHeld(20, (kinds) => {
      if (kinds.includes('doc.save:f0.ts')) {
        // What the edit stepper does when it sees the save: close the step, at once.
        const step: NewEvent = { kind: 'edit.step', path: 'f0.ts', fromVersion: 1, toVersion: 2, diff: '', added: 0, removed: 0, edits: 1, startTs: 1, durationMs: 0, cause: 'programmatic', closedBy: 'save', editIds: ['x'.repeat(21)] };
        derived = s.process(step).map(label);
      }
      if (kinds.includes('doc.close:f1.ts')) finished();
    });
    s.process({ kind: 'doc.save', path: 'f0.ts', version: 2 });
    s.process({ kind: 'doc.close', path: 'f1.ts' });
    await done;
    s.dispose();
    assert.deepEqual(derived, ['edit.step:f0.ts']);
  });
});
