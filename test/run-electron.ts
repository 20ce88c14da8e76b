/**
 * `npm run test:electron`: the same integration suite under @vscode/test-electron, for
 * machines that can download VS Code desktop (it cannot run on our CI machines, which
 * reach only the npm registry; there `npm test` uses code-server instead).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const harness = (await import(pathToFileURL(path.join(root, 'scripts', 'integration.mjs')).href)) as { makeWorkspace(dir: string): string };
  const workspace = harness.makeWorkspace(path.join(mkdtempSync(path.join(tmpdir(), 'worktrace-electron-')), 'workspace'));
  await runTests({
    version: process.env.WORKTRACE_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration'),
    launchArgs: [workspace, '--disable-workspace-trust'],
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`integration tests failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
