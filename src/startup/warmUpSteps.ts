/**
 * What the recorder runs once, at the first quiet moments after it started (warmUp.ts), so the first
 * keystroke, save or replace of a window does not pay for compiling it. V8 compiles a
 * function the first time it is called and a regular expression the first time it is used:
 * the secret scanner's first text took about 1.8 ms and the first step diff 1.5 ms, against
 * 0.05 and 0.2 ms after, and a replace in a new window paid several of them in one turn.
 * Each step runs on a small sample in a turn of its own; the code cache written after them
 * (startup/codeCache.ts) keeps the compiled functions for the next window. Nothing here is
 * recorded or written. Plain Node.
 */
import { diffTexts } from '../disk/textDiff';
import { Redactor } from '../privacy/redact';
import { stepDiff } from '../semantic/editSteps';
import { sha256 } from '../trace/identity';

/** A small file with what the scanner looks for: an assignment of a secret-looking value, a URL with credentials, a token's prefix. */
const BEFORE = [
  "import { connect } from './db';",
  '',
  "const password = 'warm-up-not-a-secret-7f3a9c21e4';",
  "const url = 'https://user:warm-up-pass@example.invalid/db';",
  "export const prefix = 'ghp_warm-up';",
  'export function open() {',
  '  return connect(url, password);',
  '}',
  '',
].join('\n');
const AFTER = BEFORE.replace('return connect(url, password);', 'const db = connect(url, password);\n  return db;');

/** The steps, each run once in a turn of its own (exported by the recorder's bundle, so they compile its code). */
export const WARM_UP_STEPS: readonly (() => unknown)[] = [
  () => new Redactor().redact(AFTER),
  () => stepDiff('warm-up.ts', BEFORE, AFTER),
  () => diffTexts('warm-up.ts', BEFORE, AFTER),
  () => sha256(AFTER),
];
