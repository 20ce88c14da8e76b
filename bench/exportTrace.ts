/**
 * A realistic trace for the export benchmark, generated straight to disk (gzip'd NDJSON, one
 * file per session, streamed with backpressure: memory stays small whatever the size).
 *
 * The mix follows what capture records while someone works: keystrokes in bursts (most
 * events; some backspaces and line breaks), each burst closed by an `edit.step` with its
 * diff and edit ids, pastes and completions, where the cursor and the view settle,
 * diagnostics, saves, test runs in a terminal (failing, then fixed), commits after a pass,
 * explicit tasks now and then, and idle gaps that end inferred episodes. Events are typed
 * against src/trace/events.ts; ids are deterministic (a seeded generator: the same options
 * give the same files).
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { SCHEMA, type ContentChange, type EditCause, type NewEvent, type TraceEvent } from '../src/trace/events';
import { sha256 } from '../src/trace/identity';

export interface GenerateOptions {
  dir: string;
  /** Events in all (split evenly over the sessions). */
  events: number;
  sessions: number;
  /** Sessions go round-robin to this many workspaces. */
  workspaces: number;
  seed?: number;
}

export interface Generated {
  files: string[];
  events: number;
  /** Bytes of NDJSON before compression. */
  rawBytes: number;
}

/** mulberry32: a small, fast, seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = ['src/server/routes.ts', 'src/server/auth.ts', 'src/client/App.tsx', 'src/client/api.ts', 'src/shared/model.ts', 'test/routes.test.ts'];
const WORDS = ['const', 'return', 'await', 'user', 'session', 'request', 'response', 'if', 'else', 'value', 'items', 'map', 'filter', 'error', 'token', 'config', 'export', 'function'];
const FAIL_OUTPUT = '> vitest run\n\n FAIL  test/routes.test.ts > routes > rejects an expired token\nAssertionError: expected 200 to be 401\n\n Test Files  1 failed (1)\n      Tests  1 failed | 23 passed (24)\n';
const PASS_OUTPUT = '> vitest run\n\n ✓ test/routes.test.ts (24 tests) 412ms\n\n Test Files  1 passed (1)\n      Tests  24 passed (24)\n';

function initialText(path: string, lines: number): string {
  const out: string[] = [`// ${path}`];
  for (let i = 1; i < lines; i++) {
    out.push(i % 12 === 0 ? '' : `  ${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]}${i} = ${WORDS[(i * 3) % WORDS.length]}(${i});`);
  }
  return `${out.join('\n')}\n`;
}

interface Doc {
  path: string;
  length: number;
  lines: number;
  version: number;
}

/** Writes one session's events to a gzip'd file, in ~1 MB chunks, waiting when the stream is full. */
class SessionWriter {
  private readonly gzip = createGzip();
  private readonly file;
  private chunk: string[] = [];
  private size = 0;
  rawBytes = 0;

  constructor(path: string) {
    this.file = createWriteStream(path);
    this.gzip.pipe(this.file);
  }

  async write(event: TraceEvent): Promise<void> {
    const line = `${JSON.stringify(event)}\n`;
    this.chunk.push(line);
    this.size += line.length;
    if (this.size >= 1 << 20) {
      await this.flush();
    }
  }

  private async flush(): Promise<void> {
    const text = this.chunk.join('');
    this.chunk = [];
    this.size = 0;
    this.rawBytes += Buffer.byteLength(text);
    if (!this.gzip.write(text)) {
      await once(this.gzip, 'drain');
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.gzip.end();
    await once(this.file, 'close');
  }
}

/** One session of exactly `budget` events. */
async function generateSession(path: string, index: number, workspace: string, budget: number, rnd: () => number): Promise<{ events: number; rawBytes: number }> {
  const writer = new SessionWriter(path);
  const session = `bench-session-${String(index).padStart(7, '0')}`;
  let seq = 0;
  let ts = Date.UTC(2026, 0, 5 + index, 8, 30);
  const emit = async (event: NewEvent, advanceMs: number): Promise<string> => {
    ts += advanceMs;
    const id = `b${String(index).padStart(3, '0')}${(++seq).toString(36).padStart(17, '0')}`;
    const stamped: TraceEvent = { schema: SCHEMA, id, seq, ts, session, workspace, ...event };
    await writer.write(stamped);
    return id;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

  await emit({ kind: 'session.start', vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['app'], repos: [{ root: '.', head: 'a'.repeat(40), branch: 'main', dirty: false }], revision: 2 }, 0);
  const docs: Doc[] = [];
  for (const file of FILES) {
    const text = initialText(file, 150 + Math.floor(rnd() * 250));
    docs.push({ path: file, length: text.length, lines: text.split('\n').length, version: 1 });
    await emit({ kind: 'doc.open', path: file, languageId: 'typescript', eol: '\n', version: 1, replayable: true, text, length: text.length, sha256: sha256(text), existing: true }, 5);
  }
  let stepsSinceRun: string[] = [];
  let testsSinceCommit: string[] = [];
  let lastTest: { id: string; passed: boolean } | undefined;
  let failing = false;
  let goal: { id: string; cycles: number } | undefined;
  let cycle = 0;
  let commits = 0;
  while (seq < budget - 100) {
    cycle++;
    const doc = pick(docs);
    await emit({ kind: 'editor.focus', path: doc.path, languageId: 'typescript' }, 400 + Math.floor(rnd() * 1500));
    if (goal === undefined && rnd() < 0.02) {
      goal = { id: `g-${index}-${cycle}`, cycles: 10 + Math.floor(rnd() * 20) };
      await emit({ kind: 'goal.start', goal: `Handle expired tokens (${cycle})`, goalId: goal.id, startTs: ts }, 50);
    }
    // a burst of keystrokes
    const keys = 20 + Math.floor(rnd() * 60);
    let cursor = Math.floor(rnd() * doc.length);
    const editIds: string[] = [];
    const startTs = ts;
    const fromVersion = doc.version;
    let typed = '';
    for (let k = 0; k < keys; k++) {
      let change: ContentChange;
      if (rnd() < 0.1 && cursor > 0) {
        change = { offset: cursor - 1, length: 1, text: '' };
        cursor--;
        doc.length--;
        typed = typed.slice(0, -1);
      } else {
        const ch = rnd() < 0.04 ? '\n' : rnd() < 0.18 ? ' ' : String.fromCharCode(97 + Math.floor(rnd() * 26));
        change = { offset: cursor, length: 0, text: ch };
        cursor++;
        doc.length++;
        if (ch === '\n') doc.lines++;
        typed += ch;
      }
      doc.version++;
      editIds.push(await emit({ kind: 'doc.edit', path: doc.path, version: doc.version, changes: [change], cause: 'typing' }, 80 + Math.floor(rnd() * 220)));
    }
    let cause: EditCause = 'typing';
    const extra = rnd();
    if (extra < 0.08 || extra > 0.94) {
      cause = extra < 0.08 ? 'paste' : 'completion';
      const lines = cause === 'paste' ? 3 + Math.floor(rnd() * 8) : 1;
      const text = Array.from({ length: lines }, (_, i) => `  ${pick(WORDS)} ${pick(WORDS)}${i} = ${pick(WORDS)}();\n`).join('');
      doc.version++;
      editIds.push(await emit({ kind: 'doc.edit', path: doc.path, version: doc.version, changes: [{ offset: cursor, length: 0, text }], cause }, 300));
      doc.length += text.length;
      doc.lines += lines;
      typed += text;
    }
    const line = 1 + Math.floor(rnd() * doc.lines);
    const added = typed.split('\n').length;
    const diff = `--- a/${doc.path}\n+++ b/${doc.path}\n@@ -${line},1 +${line},${added} @@\n-  value${line} = previous(${line});\n${typed
      .split('\n')
      .map((l) => `+${l}`)
      .join('\n')}\n`;
    stepsSinceRun.push(
      await emit({ kind: 'edit.step', path: doc.path, fromVersion, toVersion: doc.version, diff, added, removed: 1, edits: editIds.length, startTs, durationMs: ts - startTs, cause, closedBy: 'pause', editIds }, 2000),
    );
    await emit({ kind: 'editor.selection', path: doc.path, trigger: 'keyboard', selections: [{ start: { line, column: 4 }, end: { line, column: 4 } }], count: 1, chars: 0, lines: 1 }, 600);
    if (rnd() < 0.5) {
      await emit({ kind: 'editor.view', path: doc.path, ranges: [{ start: Math.max(1, line - 20), end: line + 20 }], active: true }, 500);
    }
    if (rnd() < 0.15) {
      const errors = rnd() < 0.5 ? 1 : 0;
      await emit({ kind: 'diagnostics.change', path: doc.path, before: { errors: 1 - errors, warnings: 0 }, after: { errors, warnings: 0 }, new: errors === 1 ? [{ severity: 'error', message: "Cannot find name 'sesion'.", source: 'ts', code: '2304', line }] : [] }, 300);
    }
    if (cycle % 8 === 0) {
      await emit({ kind: 'doc.save', path: doc.path, version: doc.version }, 200);
      const passed: boolean = failing ? rnd() < 0.7 : rnd() < 0.75;
      const commandStart = ts;
      const commandId = await emit(
        { kind: 'terminal.command', commandLine: 'npm test', confidence: 'high', cwd: '.', exitCode: passed ? 0 : 1, startTs: commandStart, durationMs: 4200, terminal: 'bash', shell: 'bash', program: 'npm', output: passed ? PASS_OUTPUT : FAIL_OUTPUT, outputLength: (passed ? PASS_OUTPUT : FAIL_OUTPUT).length, outputTruncated: false, after: stepsSinceRun },
        4200,
      );
      const transition = lastTest === undefined || lastTest.passed === passed ? {} : { transition: passed ? ('fixed' as const) : ('broke' as const), previous: lastTest.id };
      const testId = await emit(
        { kind: 'test.run', runner: 'vitest', command: 'npm test', origin: 'terminal', source: commandId, outcome: passed ? 'passed' : 'failed', passed: passed ? 24 : 23, failed: passed ? 0 : 1, skipped: 0, failing: passed ? [] : ['routes > rejects an expired token'], durationMs: 4200, after: stepsSinceRun, ...transition },
        1,
      );
      lastTest = { id: testId, passed };
      failing = !passed;
      testsSinceCommit.push(testId);
      stepsSinceRun = [];
      if (passed && rnd() < 0.6) {
        commits++;
        const sha = sha256(`${session}-${commits}`).slice(0, 40);
        await emit({ kind: 'git.commit', repo: '.', sha, parents: ['a'.repeat(40)], branch: 'main', message: `Handle expired tokens, part ${commits}`, files: [{ path: doc.path, added, removed: 1 }], amend: false, origin: 'scm', tests: testsSinceCommit, lastTestPassed: true }, 3000);
        testsSinceCommit = [];
      }
    }
    if (goal !== undefined && --goal.cycles <= 0) {
      await emit({ kind: 'goal.end', goalId: goal.id, outcome: rnd() < 0.8 ? 'done' : 'abandoned', durationMs: 0 }, 1000);
      goal = undefined;
    }
    if (rnd() < 0.03) {
      ts += 45 * 60_000; // away: an idle gap ends an inferred episode
    }
  }
  while (seq < budget - 1) {
    const doc = pick(docs);
    const line = 1 + Math.floor(rnd() * doc.lines);
    await emit({ kind: 'editor.view', path: doc.path, ranges: [{ start: line, end: line + 40 }], active: true }, 800);
  }
  await emit({ kind: 'session.end', reason: 'deactivate' }, 1000);
  await writer.close();
  return { events: seq, rawBytes: writer.rawBytes };
}

/** Writes the trace under `options.dir` (`ws-<n>/session-<i>.ndjson.gz`). */
export async function generateTrace(options: GenerateOptions): Promise<Generated> {
  const rnd = random(options.seed ?? 42);
  const files: string[] = [];
  let events = 0;
  let rawBytes = 0;
  const per = Math.floor(options.events / options.sessions);
  for (let i = 0; i < options.sessions; i++) {
    const workspace = `ws-bench-${i % options.workspaces}`;
    mkdirSync(join(options.dir, workspace), { recursive: true });
    const file = join(options.dir, workspace, `session-${i}.ndjson.gz`);
    const budget = i === options.sessions - 1 ? options.events - events : per;
    const written = await generateSession(file, i, workspace, budget, rnd);
    events += written.events;
    rawBytes += written.rawBytes;
    files.push(file);
  }
  return { files, events, rawBytes };
}
