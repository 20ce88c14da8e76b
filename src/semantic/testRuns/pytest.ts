/**
 * The pytest output parser. Plain Node; never imports `vscode`.
 */
import { countParts, Found, get, type OutputParser } from './common';

const PYTEST_COUNTS = /^(?:\d+ [a-z]+|no tests ran)(?:, \d+ [a-z]+)*$/;
const PYTEST_DURATION = / in \d+(?:\.\d+)?s(?: \(\d+:\d\d:\d\d\))?$/;

/** `==== 1 failed, 2 passed in 0.12s ====` or, with `-q`, `1 failed, 2 passed in 0.12s` → the counts text. */
function pytestSummary(line: string): string | undefined {
  let t = line;
  if (t.startsWith('=')) {
    if (!t.endsWith('=')) return undefined;
    let a = 0;
    let b = t.length;
    while (a < b && t[a] === '=') a++;
    while (b > a && t[b - 1] === '=') b--;
    t = t.slice(a, b).trim();
  }
  const d = PYTEST_DURATION.exec(t);
  if (!d) return undefined;
  const counts = t.slice(0, d.index);
  return PYTEST_COUNTS.test(counts) ? counts : undefined;
}

/**
 * pytest: `==== 1 failed, 2 passed, 1 skipped in 0.12s ====` (or the `-q` form without
 * the rule). `error`s count as failed, `xfailed` as skipped, `xpassed` as passed;
 * `deselected` and warnings are not counted. Failing names from the short test summary
 * (`FAILED tests/test_x.py::test_name - …`, `ERROR …`), or from `-v` result lines without
 * it. Errors with no test run (collection errors), or `Interrupted:`, mean no test ran.
 */
export const parsePytest: OutputParser = (lines) => {
  const f = new Found('pytest');
  let errors = 0;
  let ran = 0;
  const verbose: string[] = [];
  let listed = false;
  let interrupted = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const summary = pytestSummary(line);
    if (summary !== undefined) {
      const c = countParts(summary, ',');
      const e = get(c, 'error', 'errors');
      errors += e;
      const passed = get(c, 'passed', 'xpassed');
      const failed = get(c, 'failed');
      const skipped = get(c, 'skipped', 'xfailed');
      ran += passed + failed + skipped;
      f.count(i, passed, failed + e, skipped);
      continue;
    }
    if (line.startsWith('FAILED ') || line.startsWith('ERROR ')) {
      const rest = line.slice(line.indexOf(' ') + 1);
      const dash = rest.indexOf(' - ');
      const id = dash >= 0 ? rest.slice(0, dash) : rest;
      if (id.includes('::') || /\.py$/.test(id)) {
        // a node id (`tests/test_x.py::test_y[a b]`) or a module that failed to collect
        f.fail(id);
        listed = true;
        continue;
      }
    }
    if (line.startsWith('!') && line.includes(' Interrupted: ')) {
      interrupted = true;
      f.mark(i);
      continue;
    }
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(0, space).includes('::') && /^ (?:FAILED|ERROR)(?:\s|$)/.test(line.slice(space))) verbose.push(line.slice(0, space));
  }
  if (!listed) for (const name of verbose) f.fail(name);
  if (f.counted && ran === 0 && (errors > 0 || interrupted)) f.noTestsRan = true;
  else if (interrupted) f.errored = true;
  return f.result();
};
