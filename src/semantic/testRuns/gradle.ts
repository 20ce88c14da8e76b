/**
 * The Gradle output parser. Plain Node; never imports `vscode`.
 */
import { Found, int, type OutputParser } from './common';

const GRADLE_SUMMARY = /^(\d+) tests? completed, (\d+) failed(?:, (\d+) skipped)?\s*$/;
const GRADLE_BUILD = /^BUILD (SUCCESSFUL|FAILED)(?: in \S+)?\s*$/;

/**
 * Gradle: `3 tests completed, 1 failed, 1 skipped` (printed by each test task that had
 * failures, summed); a passing run prints no counts, only `BUILD SUCCESSFUL` (passed,
 * without counts). Failing names from `CalcTest > method() FAILED`. A failed compile task
 * (`Execution failed for task ':compileTestJava'`, `Compilation failed`, Kotlin `e:`
 * lines), or `BUILD FAILED` without failing tests, is `errored`. Needs a `BUILD …` line or
 * the summary to be recognised at all.
 */
export const parseGradle: OutputParser = (lines) => {
  const f = new Found('gradle');
  let built = false;
  let buildFailed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = GRADLE_SUMMARY.exec(line);
    if (m) {
      const failed = int(m[2]);
      const skipped = int(m[3]);
      f.count(i, int(m[1]) - failed - skipped, failed, skipped);
      continue;
    }
    const b = GRADLE_BUILD.exec(line);
    if (b || line.startsWith('FAILURE: Build failed')) {
      built = true;
      f.mark(i);
      if (b?.[1] === 'SUCCESSFUL') f.passedMarker = true;
      else buildFailed = true;
      continue;
    }
    if (line.endsWith(' FAILED') && !line.startsWith('>') && !line.startsWith(':') && !/^\s/.test(line)) {
      const name = line.slice(0, -' FAILED'.length);
      if (name.includes(' > ')) f.fail(name);
      continue;
    }
    if (/^Execution failed for task '[^']*:compile\w*'\.?$/.test(line) || line.startsWith('> Compilation failed') || /^e: \S/.test(line)) {
      f.error(i);
    } else if (line.startsWith('> There were failing tests.')) {
      f.failedMarker = true;
    }
  }
  // A failed build without failing tests: something else failed (a crashed test JVM, a check task…).
  if (buildFailed && f.failed === 0 && !f.failedMarker && f.names.size === 0) f.errored = true;
  return built || f.counted ? f.result() : undefined;
};
