/**
 * The Maven (surefire/failsafe) output parser. Plain Node; never imports `vscode`.
 */
import { Found, int, type OutputParser } from './common';

const MAVEN_PREFIX = /^\[(?:INFO|ERROR|WARNING|WARN|DEBUG)\] ?/;
const MAVEN_TESTS_RUN = /^Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)(.*)$/;
const MAVEN_LIST_HEADER = /^(?:Failures|Errors|Failed tests|Tests in error|Flakes):\s*$/;

/** `com.example.CalcTest.subtracts -- Time elapsed: 0.003 s <<< FAILURE!` (surefire 3) or `subtracts(com.example.CalcTest)  Time elapsed: …` (2) → the test. */
function mavenFailureLine(line: string): string | undefined {
  if (!line.endsWith('<<< FAILURE!') && !line.endsWith('<<< ERROR!')) return undefined;
  if (line.startsWith('Tests run:')) return undefined;
  let end = line.indexOf(' -- ');
  if (end < 0) end = line.indexOf('Time elapsed:');
  return end > 0 ? line.slice(0, end).trim() : undefined;
}

/** `CalcTest.subtracts:7 expected…`, `subtracts(com.example.CalcTest): expected…`, `CalcTest » IllegalState` → the test. */
function mavenListEntry(text: string): string {
  let end = text.length;
  const colon = text.search(/:(?:\d|\s|$)/);
  if (colon >= 0) end = colon;
  const space = text.indexOf(' ');
  if (space >= 0 && space < end) end = space;
  return text.slice(0, end);
}

/**
 * Maven surefire/failsafe: the aggregated `Tests run: 3, Failures: 1, Errors: 0, Skipped:
 * 0` line after `Results:` (one per module, summed; the per-class lines with `Time
 * elapsed` only when there is no aggregate). Errors count as failed. Failing names from
 * the `Failures:`/`Errors:` lists of the results (`CalcTest.subtracts`), or from the
 * `<<< FAILURE!` lines. `COMPILATION ERROR`, `Compilation failure`, a crashed fork, and
 * `BUILD FAILURE` without failing tests are `errored`.
 */
export const parseMaven: OutputParser = (lines) => {
  const f = new Found('maven');
  const aggregate = { run: 0, failed: 0, skipped: 0, found: false, line: -1 };
  const perClass = { run: 0, failed: 0, skipped: 0, found: false, line: -1 };
  const fallback: string[] = [];
  let inList = false;
  let listed = false;
  let buildFailed = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const prefixed = MAVEN_PREFIX.exec(raw);
    const line = prefixed ? raw.slice(prefixed[0].length) : raw;
    const m = MAVEN_TESTS_RUN.exec(line);
    if (m) {
      inList = false;
      const into = m[5].includes('Time elapsed') ? perClass : aggregate;
      into.run += int(m[1]);
      into.failed += int(m[2]) + int(m[3]);
      into.skipped += int(m[4]);
      into.found = true;
      into.line = i;
      continue;
    }
    if (prefixed && MAVEN_LIST_HEADER.test(line)) {
      inList = true;
      continue;
    }
    if (inList) {
      const entry = /^ {2,}(\S.*)$/.exec(line);
      if (entry) {
        if (!/^Run \d+:/.test(entry[1])) {
          f.fail(mavenListEntry(entry[1]));
          listed = true;
        }
        continue;
      }
      if (line.trim() === '') continue;
      inList = false;
    }
    const failure = mavenFailureLine(line);
    if (failure !== undefined) {
      fallback.push(failure);
      continue;
    }
    if (/^COMPILATION ERROR\s*:?\s*$/.test(line) || line.includes(': Compilation failure') || line.includes('The forked VM terminated without properly saying goodbye') || line.includes('There was an error in the forked process')) {
      f.error(i);
    } else if (prefixed && line === 'BUILD SUCCESS') {
      f.passedMarker = true;
      f.mark(i);
    } else if (prefixed && line === 'BUILD FAILURE') {
      buildFailed = true;
      f.mark(i);
    } else if (line.includes('There are test failures')) {
      f.failedMarker = true;
    }
  }
  const use = aggregate.found ? aggregate : perClass.found ? perClass : undefined;
  if (use) f.count(use.line, use.run - use.failed - use.skipped, use.failed, use.skipped);
  if (!listed) for (const name of fallback) f.fail(name);
  // A failed build without failing tests: something else failed (a plugin, a crashed fork…).
  if (buildFailed && f.failed === 0 && !f.failedMarker && f.names.size === 0) f.errored = true;
  return f.result();
};
