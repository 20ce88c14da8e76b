/**
 * A folder of traces as a data team finds it, for the export CLI's tests: several sessions of
 * two workspaces on different days, plain and gzip'd files, duplicated events, a corrupt line
 * and a gzip file cut short.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { TraceEvent } from '../../src/trace/events';
import { sha256 } from '../../src/trace/identity';
import { Capture, NODE_FAIL, NODE_PASS } from './capture';
import { toNdjson } from './traceBuilder';

const DAY = 86_400_000;
/** 2026-01-05 09:00 UTC. */
export const FIRST_DAY = Date.UTC(2026, 0, 5, 9);

const SUM = 'function sum(xs) {\n  let total = 0;\n  for (let i = 1; i < xs.length; i++) total += xs[i];\n  return total;\n}\nmodule.exports = { sum };\n';

/** Session 1 (workspace ws-a, 2026-01-05): an explicit task, typed, pasted and completion edits, a failing run, the fix, a pass, a commit: done, fixed. */
export function explicitStory(): Capture {
  const c = new Capture('s1-explicit', 'ws-a', FIRST_DAY).start({ branch: 'main' });
  c.goalStart('Fix the off-by-one in sum', 'g-1', { issue: '#7' });
  c.open('src/sum.js', SUM).open('test/sum.test.js', "const { sum } = require('../src/sum');\n");
  c.edit('test/sum.test.js', [{ offset: 39, length: 0, text: 'assert.equal(sum([1, 2, 3]), 6);\n' }], 'typing').wait(3_000);
  c.run('npm test', 1, NODE_FAIL);
  c.replace('src/sum.js', 'let i = 1', 'let i = 0', 'typing');
  c.edit('src/sum.js', [{ offset: SUM.length, length: 0, text: '// pasted from the issue\nconst EMPTY = 0;\n' }], 'paste');
  c.edit('src/sum.js', [{ offset: (c.text('src/sum.js') ?? '').length, length: 0, text: 'module.exports.EMPTY = EMPTY;\n' }], 'completion').wait(3_000);
  c.save('src/sum.js');
  c.run('npm test', 0, NODE_PASS);
  c.commit('Fix sum: start at the first element', 'c'.repeat(40), ['src/sum.js', 'test/sum.test.js']);
  c.wait(1_000).goalEnd('g-1', 'done', 'off by one');
  c.wait(1_000).end();
  return c;
}

/** Session 2 (ws-a, the next day): inferred work, an idle gap splitting it, a file an agent CLI wrote. */
export function inferredWork(): Capture {
  const c = new Capture('s2-inferred', 'ws-a', FIRST_DAY + DAY).start({ branch: 'main' });
  c.open('README.md', '# sum\n');
  c.edit('README.md', [{ offset: 6, length: 0, text: 'Adds numbers.\n' }], 'typing').wait(3_000);
  c.run('ls', 0, 'README.md\nsrc\n');
  c.wait(45 * 60_000); // idle: a second episode
  const gen = 'export const generated = true;\n';
  c.emit({ kind: 'file.change', path: 'gen/out.js', change: 'created', text: gen, added: 1, removed: 0, sha256: sha256(gen), size: gen.length, by: { by: 'terminal', command: 'claude -p gen', program: 'claude', confidence: 'high' } });
  c.run('claude -p gen', 0, 'done\n');
  c.end();
  return c;
}

/** Session 3 (workspace ws-b, 2026-02-10): a branch switch, edits, a task abandoned. */
export function abandonedTask(): Capture {
  const c = new Capture('s3-abandoned', 'ws-b', FIRST_DAY + 36 * DAY).start({ branch: 'main', folders: ['api'] });
  c.checkout('main', 'feature/login');
  c.goalStart('Add login', 'g-2');
  c.open('src/login.ts', 'export {};\n');
  for (const ch of 'const user = null;\n') {
    c.edit('src/login.ts', [{ offset: (c.text('src/login.ts') ?? '').length, length: 0, text: ch }], 'typing');
  }
  c.wait(3_000).goalEnd('g-2', 'abandoned');
  c.wait(1_000).end();
  return c;
}

/** Session 4 (ws-b, the next day): many edits in steps, written gzip'd and cut short (its first steps are readable). */
export function longSession(): Capture {
  const c = new Capture('s4-cut', 'ws-b', FIRST_DAY + 37 * DAY).start({ branch: 'feature/login', folders: ['api'] });
  c.open('src/big.ts', '');
  for (let i = 0; i < 400; i++) {
    c.edit('src/big.ts', [{ offset: (c.text('src/big.ts') ?? '').length, length: 0, text: `export const v${i} = ${(i * 7919) % 1000};\n` }], 'typing');
    if (i % 50 === 49) c.wait(3_000); // a pause closes an edit step
  }
  c.end();
  return c;
}

export interface TraceFolder {
  dir: string;
  /** Every event written intact, by session (s4: all of it, though only a prefix is readable). */
  sessions: Map<string, TraceEvent[]>;
  /** Events written twice (the duplicate file). */
  duplicates: number;
}

/**
 * Writes the folder under `dir`: `a/s1.ndjson`, `a/2026/s2.ndjson.gz`, `b/s3.ndjson` (a
 * corrupt line in the middle), `b/s3-resent.ndjson` (its first 5 events again), `b/s4.ndjson.gz`
 * (cut at 60 %), and a file that is not a trace (ignored).
 */
export function writeTraceFolder(dir: string): TraceFolder {
  const s1 = explicitStory().events;
  const s2 = inferredWork().events;
  const s3 = abandonedTask().events;
  const s4 = longSession().events;
  mkdirSync(join(dir, 'a', '2026'), { recursive: true });
  mkdirSync(join(dir, 'b'), { recursive: true });
  writeFileSync(join(dir, 'a', 's1.ndjson'), toNdjson(s1));
  writeFileSync(join(dir, 'a', '2026', 's2.ndjson.gz'), gzipSync(toNdjson(s2)));
  const half = Math.floor(s3.length / 2);
  writeFileSync(join(dir, 'b', 's3.ndjson'), `${toNdjson(s3.slice(0, half))}{"schema":"worktrace/1","id":"broken\n${toNdjson(s3.slice(half))}`);
  writeFileSync(join(dir, 'b', 's3-resent.ndjson'), toNdjson(s3.slice(0, 5)));
  const gz = gzipSync(toNdjson(s4));
  writeFileSync(join(dir, 'b', 's4.ndjson.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
  writeFileSync(join(dir, 'b', 'notes.txt'), 'not a trace\n');
  return {
    dir,
    sessions: new Map([
      ['s1-explicit', s1],
      ['s2-inferred', s2],
      ['s3-abandoned', s3],
      ['s4-cut', s4],
    ]),
    duplicates: 5,
  };
}
