import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { DocumentPrivacy, type Scan } from '../../src/privacy/documents';
import { placeholder } from '../../src/privacy/redact';
import type { SecretSpan } from '../../src/privacy/secretSpans';
import { applyChanges } from '../../src/replay/apply';
import type { ContentChange, EditCause } from '../../src/trace/events';

// Fake secrets of two kinds: a context-free token (`SK_` + 16 hex digits) and a value that is
// a secret only after `key=` (8 to 12 of [a-z0-9]), so context around an edit matters.
const RULES: readonly (readonly [string, RegExp])[] = [
  ['fake-token', /SK_[a-f0-9]{16}/g],
  ['fake-value', /(?<=key=)[a-z0-9]{8,12}/g],
];

const scan: Scan = (text) => {
  const found: SecretSpan[] = [];
  for (const [rule, re] of RULES) {
    for (const m of text.matchAll(re)) {
      found.push({ rule, start: m.index, end: m.index + m[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start);
  const merged: SecretSpan[] = [];
  for (const s of found) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
    } else {
      merged.push({ ...s });
    }
  }
  return merged;
};

/** The test's own redaction of `text` by `spans` (not the module's). */
function redactBy(text: string, spans: readonly SecretSpan[]): string {
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start) + placeholder(s.rule);
    pos = s.end;
  }
  return out + text.slice(pos);
}

const HEX = '0123456789abcdef'.split('');
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const tokenArb = fc.array(fc.constantFrom(...HEX), { minLength: 16, maxLength: 16 }).map((cs) => `SK_${cs.join('')}`);
const valueArb = fc.array(fc.constantFrom(...ALNUM), { minLength: 8, maxLength: 12 }).map((cs) => `key=${cs.join('')}`);
const secretArb = fc.oneof(tokenArb, valueArb);
// Filler: the pieces secrets are made of (so edits can make, break and join them), line
// breaks of both kinds, blanks, a surrogate pair.
const FILLER = ['a', 'b', 'k', 'e', 'y', '=', 'S', 'K', '_', '1', 'f', ' ', ' ', '\n', '\r\n', '😀', ';', 'key='];
const fillerArb = fc.array(fc.constantFrom(...FILLER), { maxLength: 12 }).map((ps) => ps.join(''));
const docArb = fc.array(fc.oneof({ weight: 3, arbitrary: fillerArb }, { weight: 1, arbitrary: secretArb }), { maxLength: 20 }).map((ps) => ps.join(''));
const causeArb = fc.constantFrom<EditCause>('typing', 'paste', 'programmatic', 'undo');

/** Offsets are taken modulo the current length when the op runs, so every op fits. */
type Op =
  | { kind: 'insert'; doc: number; at: number; text: string; cause: EditCause }
  | { kind: 'delete'; doc: number; at: number; span: number }
  | { kind: 'replace'; doc: number; at: number; span: number; text: string }
  | { kind: 'paste'; doc: number; at: number; secret: string }
  | { kind: 'type'; doc: number; at: number; text: string }
  | { kind: 'multi'; doc: number; cuts: number[]; texts: string[] }
  | { kind: 'release'; doc: number | undefined }
  | { kind: 'reopen'; doc: number };

const docIndex = fc.nat({ max: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), doc: docIndex, at: fc.nat(), text: fillerArb, cause: causeArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), doc: docIndex, at: fc.nat(), span: fc.nat({ max: 24 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replace' as const), doc: docIndex, at: fc.nat(), span: fc.nat({ max: 24 }), text: fc.oneof(fillerArb, secretArb) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paste' as const), doc: docIndex, at: fc.nat(), secret: secretArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('type' as const), doc: docIndex, at: fc.nat(), text: fc.oneof(secretArb, fillerArb) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('multi' as const),
      doc: docIndex,
      cuts: fc.array(fc.nat(), { minLength: 2, maxLength: 6 }),
      texts: fc.array(fc.oneof(fillerArb, secretArb), { minLength: 3, maxLength: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), doc: fc.option(docIndex, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reopen' as const), doc: docIndex }) },
);

const PATHS = ['a.txt', 'b.txt'];

class Run {
  readonly privacy: DocumentPrivacy;
  readonly real: string[] = [];
  /** What a replay of the written events gives. */
  readonly replayed: string[] = [];
  /** Every text written (snapshots and change texts). */
  readonly written: string[] = [];
  /** The secrets the generator planted (a value with its `key=`). */
  readonly planted = new Set<string>();
  private versions = [0, 0];
  private ts = 0;

  constructor(texts: string[], contextChars: number) {
    this.privacy = new DocumentPrivacy(scan, { contextChars });
    texts.forEach((t, i) => this.open(i, t));
  }

  open(doc: number, text: string): void {
    this.versions[doc]++;
    const { event } = this.privacy.open({ kind: 'doc.open', path: PATHS[doc], languageId: 'plaintext', eol: '\n', version: this.versions[doc], replayable: true, text, length: text.length, sha256: '' });
    this.plant(text);
    this.real[doc] = text;
    this.replayed[doc] = event.text ?? '';
    this.written.push(event.text ?? '');
  }

  plant(text: string): void {
    for (const s of scan(text)) {
      this.planted.add(text.slice(s.rule === 'fake-value' ? s.start - 4 : s.start, s.end));
    }
  }

  edit(doc: number, changes: ContentChange[], cause: EditCause): void {
    for (const c of changes) {
      this.plant(c.text);
    }
    this.real[doc] = applyChanges(this.real[doc], changes);
    this.versions[doc]++;
    this.privacy.hold({ kind: 'doc.edit', path: PATHS[doc], version: this.versions[doc], changes, cause }, ++this.ts);
  }

  release(doc: number | undefined): void {
    const { events, resnapshot } = this.privacy.release(doc === undefined ? undefined : PATHS[doc]);
    assert.deepEqual(resnapshot, []);
    let lastTs = 0;
    for (const { event, ts } of events) {
      assert.ok(ts >= lastTs, 'released in the order they were held');
      lastTs = ts;
      const i = PATHS.indexOf(event.path);
      this.replayed[i] = applyChanges(this.replayed[i], event.changes);
      for (const c of event.changes) {
        this.written.push(c.text);
      }
      // Every state the trace passes through, not only the last one.
      for (const secret of this.planted) {
        assert.ok(!this.replayed[i].includes(secret), `the trace shows ${JSON.stringify(secret)} in ${JSON.stringify(this.replayed[i])}`);
      }
    }
  }

  apply(op: Op): void {
    if (op.kind === 'release') {
      this.release(op.doc);
      return;
    }
    const doc = op.doc;
    const n = this.real[doc].length;
    switch (op.kind) {
      case 'insert':
        this.edit(doc, [{ offset: op.at % (n + 1), length: 0, text: op.text }], op.cause);
        return;
      case 'delete':
      case 'replace': {
        const at = op.at % (n + 1);
        this.edit(doc, [{ offset: at, length: Math.min(op.span, n - at), text: op.kind === 'replace' ? op.text : '' }], op.kind === 'replace' ? 'paste' : 'typing');
        return;
      }
      case 'paste':
        this.edit(doc, [{ offset: op.at % (n + 1), length: 0, text: op.secret }], 'paste');
        return;
      case 'type': {
        const at = op.at % (n + 1);
        for (let i = 0; i < op.text.length; i++) {
          this.edit(doc, [{ offset: at + i, length: 0, text: op.text[i] }], 'typing');
        }
        return;
      }
      case 'multi': {
        // Disjoint ranges from sorted cuts; VS Code sends them end-to-start.
        const cuts = op.cuts.map((c) => c % (n + 1)).sort((x, y) => x - y);
        const changes: ContentChange[] = [];
        for (let i = 0; i + 1 < cuts.length; i += 2) {
          changes.push({ offset: cuts[i], length: cuts[i + 1] - cuts[i], text: op.texts[(i / 2) % op.texts.length] });
        }
        this.edit(doc, changes.reverse(), 'multi-cursor');
        return;
      }
      case 'reopen':
        this.release(doc); // the privacy stage releases before it takes a snapshot
        this.open(doc, this.real[doc]);
        return;
    }
  }

  /** The invariant, checked when nothing is held. */
  check(): void {
    assert.equal(this.privacy.held(), 0);
    for (let doc = 0; doc < PATHS.length; doc++) {
      const state = this.privacy.inspect(PATHS[doc]);
      assert.ok(state);
      assert.equal(state.real, this.real[doc], 'real text tracked');
      let end = 0;
      for (const s of state.spans) {
        assert.ok(s.start >= end && s.end > s.start && s.end <= state.real.length, `spans sorted, disjoint, in range: ${JSON.stringify(state.spans)}`);
        end = s.end;
      }
      const view = redactBy(state.real, state.spans);
      assert.equal(this.replayed[doc], view, 'the trace replays to the real text redacted by the current spans');
      for (const secret of scan(state.real)) {
        assert.ok(
          state.spans.some((s) => s.start <= secret.start && secret.end <= s.end),
          `secret ${JSON.stringify(state.real.slice(secret.start, secret.end))} at ${secret.start} is redacted`,
        );
      }
      assert.deepEqual(scan(view), [], 'the view holds no secret');
    }
    for (const text of this.written) {
      assert.deepEqual(scan(text), [], `written text ${JSON.stringify(text)} holds no secret`);
    }
  }
}

suite('DocumentPrivacy (property)', () => {
  test('the trace is always a history of the redacted view, and no written text holds a secret', () => {
    fc.assert(
      fc.property(fc.tuple(docArb, docArb), fc.array(opArb, { minLength: 10, maxLength: 60 }), fc.constantFrom(24, 40, 4096), ([a, b], ops, contextChars) => {
        const run = new Run([a, b], contextChars);
        run.check();
        for (const op of ops) {
          run.apply(op);
          if (run.privacy.held() === 0) {
            run.check();
          }
        }
        run.release(undefined);
        run.check();
      }),
      { numRuns: 200 },
    );
  });

  test('keystroke fidelity: edits away from secrets come out one for one, same text', () => {
    fc.assert(
      fc.property(docArb, fc.array(fc.tuple(fc.nat(), fillerArb.filter((t) => t.length > 0 && !/[kSK_ey=]/.test(t))), { minLength: 1, maxLength: 20 }), (text, inserts) => {
        const privacy = new DocumentPrivacy(scan);
        privacy.open({ kind: 'doc.open', path: 'a', languageId: 'plaintext', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: '' });
        let real = text;
        const sent: ContentChange[] = [];
        for (const [at, t] of inserts) {
          // Insert only where no secret is, nor right after `key=` (it could extend a value).
          const spans = scan(real);
          let offset = at % (real.length + 1);
          const inside = spans.find((s) => s.start < offset && offset < s.end);
          if (inside) {
            offset = inside.end;
          }
          const change = { offset, length: 0, text: t };
          const next = applyChanges(real, [change]);
          if (JSON.stringify(scan(next).map((s) => next.slice(s.start, s.end))) !== JSON.stringify(scan(real).map((s) => real.slice(s.start, s.end)))) {
            continue; // the insert made or broke a secret: not this property's business
          }
          real = next;
          sent.push(change);
          privacy.hold({ kind: 'doc.edit', path: 'a', version: sent.length + 1, changes: [change], cause: 'typing' }, sent.length);
        }
        const { events } = privacy.release();
        assert.equal(events.length, sent.length);
        events.forEach((e, i) => {
          assert.equal(e.event.changes.length, 1);
          assert.equal(e.event.changes[0].text, sent[i].text);
          assert.equal(e.event.changes[0].length, 0);
          assert.equal(e.event.version, i + 2);
        });
      }),
      { numRuns: 200 },
    );
  });
});
