/**
 * Entry point of the integration suite. VS Code (code-server in our harness, or the
 * desktop build under @vscode/test-electron) loads this module inside the real extension
 * host and calls `run()`; it runs every `*.test.js` next to it with mocha.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  return runIn(__dirname);
}

/** Runs every `*.test.js` in `dir` (other suites with a window of their own reuse this). */
export async function runIn(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.WORKTRACE_TEST_GREP;
  if (grep) {
    mocha.grep(grep);
  }
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) {
    mocha.addFile(path.join(dir, file));
  }
  console.log(`Integration tests inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
  const failedTitles: string[] = [];
  const stats = await new Promise<{ passes: number; failures: number }>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
      runner.on('fail', (test, err: unknown) => failedTitles.push(`${test.fullTitle()}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
  const resultsFile = process.env.WORKTRACE_TEST_RESULTS;
  if (resultsFile) {
    await fs.writeFile(resultsFile, JSON.stringify({ passed: stats.passes, failed: stats.failures, failures: failedTitles, vscode: vscode.version }));
  }
  if (stats.failures > 0) {
    throw new Error(`${stats.failures} integration test(s) failed`);
  }
}
