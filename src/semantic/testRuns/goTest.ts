/**
 * The `go test` output parser. Plain Node; never imports `vscode`.
 */
import { Found, type OutputParser } from './common';

const GO_OK = /^ok\s+(\S+)\s+(?:\d+(?:\.\d+)?s|\(cached\))(?:\s|$)/;
const GO_FAIL_PKG = /^FAIL\s+(\S+)\s+(?:\d+(?:\.\d+)?s|\[(build failed|setup failed)\])\s*$/;
const GO_RESULT = /^(\s*)--- (PASS|FAIL|SKIP): (\S+) \(\d+(?:\.\d+)?s\)/;

/**
 * go test: with `-v` (`=== RUN` lines present) the counts are top-level tests (`--- PASS`,
 * `--- FAIL`, `--- SKIP` without indentation; subtests are not counted). Without `-v` Go
 * prints no line per passing test, so the counts are packages: `ok` lines passed, `FAIL
 * pkg 0.01s` lines failed. Failing names are the `--- FAIL:` names, subtests included
 * (`TestTable/big`), or the failing packages when no test is named. A package that does
 * not build (`[build failed]`, `[setup failed]`) makes the run `errored` unless tests failed.
 */
export const parseGo: OutputParser = (lines) => {
  const f = new Found('go');
  let verbose = false;
  let okPkgs = 0;
  let failPkgs = 0;
  const tests = { pass: 0, fail: 0, skip: 0 };
  const failedPkgs: string[] = [];
  let failedTests = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('=== RUN ')) {
      verbose = true;
      continue;
    }
    let m = GO_OK.exec(line);
    if (m) {
      okPkgs++;
      f.mark(i);
      continue;
    }
    m = GO_FAIL_PKG.exec(line);
    if (m) {
      if (m[2] !== undefined) {
        f.error(i);
      } else {
        f.mark(i);
        failPkgs++;
        failedPkgs.push(m[1]);
      }
      continue;
    }
    m = GO_RESULT.exec(line);
    if (m) {
      f.mark(i);
      if (m[2] === 'FAIL') {
        f.fail(m[3]);
        failedTests++;
      }
      if (m[1] === '') {
        if (m[2] === 'PASS') tests.pass++;
        else if (m[2] === 'FAIL') tests.fail++;
        else tests.skip++;
      }
    }
  }
  if (verbose && tests.pass + tests.fail + tests.skip > 0) f.count(f.lastLine, tests.pass, tests.fail, tests.skip);
  else if (okPkgs + failPkgs > 0) f.count(f.lastLine, okPkgs, failPkgs, 0);
  if (failedTests === 0) for (const p of failedPkgs) f.fail(p);
  return f.result();
};
