/**
 * The RSpec output parser. Plain Node; never imports `vscode`.
 */
import { Found, int, type OutputParser } from './common';

const RSPEC_SUMMARY = /^(\d+) examples?, (\d+) failures?(?:, (\d+) pending)?(?:, (\d+) errors? occurred outside of examples)?\s*$/;
const RSPEC_RERUN = /^rspec (\S+) # (.+)$/;

/**
 * RSpec: `3 examples, 1 failure, 1 pending` (pending counts as skipped), failing names
 * (descriptions) from `rspec ./spec/x_spec.rb:12 # Description`. Errors outside of
 * examples (a spec file that does not load) with no example run mean no test ran; with
 * examples run, they make a run without failures `errored`.
 */
export const parseRspec: OutputParser = (lines) => {
  const f = new Found('rspec');
  let examples = 0;
  let outside = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = RSPEC_SUMMARY.exec(line);
    if (m) {
      examples += int(m[1]);
      outside += int(m[4]);
      const failed = int(m[2]);
      const pending = int(m[3]);
      f.count(i, int(m[1]) - failed - pending, failed, pending);
      continue;
    }
    m = RSPEC_RERUN.exec(line);
    if (m) {
      f.fail(m[2]);
      continue;
    }
    if (line.startsWith('An error occurred while loading ')) f.error(i);
  }
  if (f.counted && examples === 0 && outside > 0) f.noTestsRan = true;
  else if (outside > 0) f.errored = true;
  return f.result();
};
