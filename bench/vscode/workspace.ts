/**
 * The workspace the real-VS-Code bench works in: a git repository with a 5,000-line
 * TypeScript file (typing, scrolling, go to definition), 200 small files that share a name
 * (search and replace) and a branch on which 1,000 files differ (checkout). Two identical
 * copies are made: one records, the other has `worktrace.enabled: false` in its
 * .vscode/settings.json (the extension installed, capture off, as a team lead would set it).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BIG_FILE = 'src/big.ts';
export const BIG_LINES = 5_000;
export const REPLACE_FILES = 200;
export const CHECKOUT_FILES = 1_000;
export const TOKENS = ['OLD_NAME', 'NEW_NAME'] as const;

/** Line (1-based) and column of the call inside function `i` of the big file, for go to definition. */
export function callSite(i: number): { line: number; column: number } {
  return { line: 2 + 3 * i + 1, column: 10 };
}

export const FUNCTIONS = Math.floor((BIG_LINES - 2) / 3);

function bigFile(): string {
  const lines = ['// A long file for the bench: each function calls the one before.', ''];
  for (let i = 0; i < FUNCTIONS; i++) {
    lines.push(`export function f${i}(x: number): number {`, i === 0 ? '  return x;' : `  return f${i - 1}(x) + ${i};`, '}');
  }
  return lines.join('\n') + '\n';
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' } });
}

function makeRepository(dir: string): void {
  mkdirSync(join(dir, 'src', 'many'), { recursive: true });
  mkdirSync(join(dir, 'gen'), { recursive: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  writeFileSync(join(dir, BIG_FILE), bigFile());
  for (let i = 0; i < REPLACE_FILES; i++) {
    const n = String(i).padStart(3, '0');
    writeFileSync(join(dir, 'src', 'many', `file${n}.ts`), `// file ${n}\nexport const label${n} = '${TOKENS[0]}';\nexport const size${n} = ${i};\n`);
  }
  for (let i = 0; i < CHECKOUT_FILES; i++) {
    writeFileSync(join(dir, 'gen', `part${String(i).padStart(4, '0')}.txt`), `generated part ${i} on main\n`);
  }
  // `node --test test/`, not the whole folder: Node 20 walks everything else too, .git included,
  // and failed on an index.lock the git extension's refresh removed meanwhile.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench', version: '1.0.0', private: true, scripts: { test: 'node --test test/' } }, null, 2) + '\n');
  writeFileSync(join(dir, 'test', 'math.test.js'), "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('adds', () => {\n  assert.equal(1 + 2, 3);\n});\n");
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n.vscode/\n');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.invalid');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'Bench workspace');
  git(dir, 'checkout', '-q', '-b', 'bulk');
  for (let i = 0; i < CHECKOUT_FILES; i++) {
    writeFileSync(join(dir, 'gen', `part${String(i).padStart(4, '0')}.txt`), `generated part ${i} on the bulk branch\n`);
  }
  git(dir, 'commit', '-q', '-am', 'Regenerate every part');
  git(dir, 'checkout', '-q', 'main');
}

export interface BenchWorkspaces {
  recording: string;
  off: string;
}

/** Makes the two copies under `dir`; `recordingSettings` go into the recording copy's workspace settings too. */
export function makeBenchWorkspaces(dir: string, recordingSettings: Record<string, unknown> = {}): BenchWorkspaces {
  const base = join(dir, 'base');
  makeRepository(base);
  const copy = (name: string, enabled: boolean, extra: Record<string, unknown> = {}): string => {
    const target = join(dir, name);
    cpSync(base, target, { recursive: true });
    mkdirSync(join(target, '.vscode'), { recursive: true });
    writeFileSync(join(target, '.vscode', 'settings.json'), JSON.stringify({ 'worktrace.enabled': enabled, ...extra }, null, 2) + '\n');
    return target;
  };
  return { recording: copy('recording', true, recordingSettings), off: copy('off', false) };
}

/**
 * Runs git in the workspace, as another tool would (the bench's checkout). VS Code's git
 * extension may hold .git/index.lock for a moment: then it tries again, as a person would.
 */
export function runGit(dir: string, ...args: string[]): void {
  for (let attempt = 1; ; attempt++) {
    try {
      git(dir, ...args);
      return;
    } catch (e) {
      if (attempt >= 20) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
}
