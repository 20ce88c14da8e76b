/**
 * The jest output parser. Plain Node; never imports `vscode`.
 */
import { countParts, Found, get, int, type OutputParser } from './common';

/** `Label  <parts> N total` (jest) → the parts before the total and the total. */
function jestCounts(line: string, label: string): { parts: Map<string, number>; total: number } | undefined {
  if (!line.startsWith(label)) return undefined;
  const parts = line.slice(label.length).split(',');
  const total = /^\s*(\d+) total\s*$/.exec(parts[parts.length - 1]);
  if (!total) return undefined;
  return { parts: countParts(parts.slice(0, -1).join(','), ','), total: int(total[1]) };
}

/**
 * jest: `Tests:       1 failed, 2 skipped, 3 passed, 6 total` (the last one: the TTY
 * status area redraws it), failing names from `● Suite › test` headings. `Test suite
 * failed to run` with no test run is `errored`; so is a failed suite without failing tests.
 */
export const parseJest: OutputParser = (lines) => {
  const f = new Found('jest');
  let suiteFailedToRun = false;
  let total = 0;
  let failedSuites = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const tests = jestCounts(line, 'Tests:');
    if (tests) {
      total = tests.total;
      f.setCount(i, get(tests.parts, 'passed'), get(tests.parts, 'failed'), get(tests.parts, 'skipped', 'todo', 'pending'));
      continue;
    }
    const suites = jestCounts(line, 'Test Suites:');
    if (suites) {
      failedSuites = get(suites.parts, 'failed');
      f.mark(i);
      continue;
    }
    const t = line.trim();
    if (t.startsWith('● ')) {
      const name = t.slice(2).trim();
      if (name === 'Test suite failed to run') suiteFailedToRun = true;
      else if (name !== 'Console' && !name.endsWith(':')) f.fail(name);
    } else if (/^FAIL \S/.test(t)) {
      f.failedMarker = true;
    }
  }
  if (f.counted && total === 0 && (failedSuites > 0 || suiteFailedToRun)) f.noTestsRan = true;
  else if (suiteFailedToRun || failedSuites > 0) f.errored = true;
  return f.result();
};
