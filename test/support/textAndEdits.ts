/** A fast-check arbitrary shared by property tests of content changes. */
import fc from 'fast-check';
import { applyEdits } from '../../src/replay/apply';
import type { ContentChange } from '../../src/trace/events';

/** A text and doc.edits (each one to three changes) that fit it, applied in order. */
export const textAndEdits = fc
  .tuple(
    fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'x'), maxLength: 60 }),
    fc.array(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(4), fc.string({ unit: fc.constantFrom('a', 'z', '\n'), maxLength: 4 })), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 6,
    }),
  )
  .map(([text, raw]) => {
    let length = text.length;
    const edits: ContentChange[][] = raw.map((changes) =>
      changes.map(([where, remove, insert]) => {
        const offset = Math.floor(where * length);
        const change = { offset, length: Math.min(remove, length - offset), text: insert };
        length += change.text.length - change.length;
        return change;
      }),
    );
    return { text, edits, after: applyEdits(text, edits) };
  });
