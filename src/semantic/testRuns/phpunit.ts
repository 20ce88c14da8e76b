/**
 * The PHPUnit output parser. Plain Node; never imports `vscode`.
 */
import { Found, get, int, type OutputParser } from './common';

const PHPUNIT_OK = /^OK \((\d+) tests?, (\d+) assertions?\)\s*$/;
const PHPUNIT_COUNTS = /^Tests: (\d+), Assertions: (\d+)((?:, [A-Za-z ]+: \d+)*)\.?\s*$/;
const PHPUNIT_SECTION = /^There (?:was|were) \d+ ([a-z ]+?):\s*$/i;
const PHPUNIT_ENTRY = /^(\d+)\) (\S.*)$/;

/**
 * PHPUnit: `OK (3 tests, 5 assertions)` or `Tests: 5, Assertions: 3, Errors: 1, Failures:
 * 2, Skipped: 1.` (errors count as failed, incomplete as skipped; warnings and risky tests
 * as passed). Failing names from the numbered `1) CalcTest::testMethod` entries of the
 * `There were N errors:` / `failures:` sections. A PHP fatal or parse error is `errored`.
 */
export const parsePhpunit: OutputParser = (lines) => {
  const f = new Found('phpunit');
  let failingSection = false;
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = PHPUNIT_OK.exec(line);
    if (m) {
      f.count(i, int(m[1]), 0, 0);
      continue;
    }
    m = PHPUNIT_COUNTS.exec(line);
    if (m) {
      const c = new Map<string, number>();
      for (const part of m[3].split(', ')) {
        const kv = /^([A-Za-z ]+): (\d+)$/.exec(part);
        if (kv) c.set(kv[1].toLowerCase(), int(kv[2]));
      }
      const failed = get(c, 'errors', 'failures');
      const skipped = get(c, 'skipped', 'incomplete');
      f.count(i, int(m[1]) - failed - skipped, failed, skipped);
      continue;
    }
    m = PHPUNIT_SECTION.exec(line);
    if (m) {
      failingSection = /^(?:errors?|failures?)$/i.test(m[1]);
      expected = 1;
      continue;
    }
    if (failingSection) {
      m = PHPUNIT_ENTRY.exec(line);
      if (m && int(m[1]) === expected) {
        expected++;
        f.fail(m[2]);
        continue;
      }
    }
    if (/^(?:FAILURES|ERRORS)!\s*$/.test(line)) {
      f.failedMarker = true;
      f.mark(i);
    } else if (/^(?:PHP )?(?:Fatal|Parse) error: /.test(line)) {
      f.error(i);
    }
  }
  return f.result();
};
