import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The VS Code layer; every other module under src/ must run in plain Node. */
const VSCODE_LAYER = /^src\/(extension\.ts$|collectors\/|ui\/|vscode\/|commands\/|views\/)/;
const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

suite('architecture', () => {
  const files = sources(path.join(ROOT, 'src')).map((p) => path.relative(ROOT, p).split(path.sep).join('/'));

  test('finds the sources', () => {
    assert.ok(files.includes('src/extension.ts'));
    assert.ok(files.some((f) => !VSCODE_LAYER.test(f)), 'there are plain-Node modules');
  });

  test('only the VS Code layer imports vscode', () => {
    const offenders = files.filter((f) => !VSCODE_LAYER.test(f) && IMPORTS_VSCODE.test(readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(offenders, [], `these modules must not import vscode: ${offenders.join(', ')}`);
  });

  test('the check would catch an offender', () => {
    assert.ok(IMPORTS_VSCODE.test("import * as vscode from 'vscode';"));
    assert.ok(IMPORTS_VSCODE.test("const v = require('vscode');"));
    assert.ok(!VSCODE_LAYER.test('src/trace/events.ts'));
    assert.ok(VSCODE_LAYER.test('src/collectors/documents.ts'));
  });

  test('collectors do no I/O of their own', () => {
    const io = /from\s+['"](?:node:)?(?:fs|fs\/promises|child_process|net|http|https)['"]/;
    const offenders = files.filter((f) => f.startsWith('src/collectors/') && io.test(readFileSync(path.join(ROOT, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  test('the extension does not use console (it logs to the Worktrace channel)', () => {
    const offenders = files.filter((f) => /\bconsole\.(log|info|warn|error|debug)\(/.test(readFileSync(path.join(ROOT, f), 'utf8')) && !f.startsWith('src/replay/cli'));
    assert.deepEqual(offenders, []);
  });
});
