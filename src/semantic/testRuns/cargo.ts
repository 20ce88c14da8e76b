/**
 * The `cargo test` output parser. Plain Node; never imports `vscode`.
 */
import { Found, int, type OutputParser } from './common';

const CARGO_RESULT = /^test result: (?:ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured; (\d+) filtered out/;
const CARGO_TEST_FAILED = /^test (.+) \.\.\. FAILED$/;
const CARGO_STDOUT = /^---- (.+) stdout ----$/;

/**
 * cargo test: every `test result:` line (unit tests, each integration test, doc tests)
 * summed; ignored tests count as skipped. Failing names from `test x ... FAILED` and
 * `---- x stdout ----`. `error[E…]` or `could not compile` is `errored`.
 */
export const parseCargo: OutputParser = (lines) => {
  const f = new Found('cargo');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = CARGO_RESULT.exec(line);
    if (m) {
      f.count(i, int(m[1]), int(m[2]), int(m[3]));
      continue;
    }
    m = CARGO_TEST_FAILED.exec(line) ?? CARGO_STDOUT.exec(line);
    if (m) {
      f.fail(m[1]);
      continue;
    }
    if (/^error\[E\d{4}\]/.test(line) || line.startsWith('error: could not compile `')) f.error(i);
  }
  return f.result();
};
