/**
 * The mocha output parser. Plain Node; never imports `vscode`.
 */
import { Found, int, type OutputParser } from './common';

const MOCHA_PASSING = /^\s*(\d+) passing \(\d+(?:ms|s|m|h)\)\s*$/;
const MOCHA_FAILING = /^\s*(\d+) failing\s*$/;
const MOCHA_PENDING = /^\s*(\d+) pending\s*$/;
const MOCHA_ENTRY = /^\s+(\d+)\) (.+)$/;

/**
 * mocha (spec and the other reporters that end with the epilogue): `N passing (2ms)`,
 * `N pending`, `N failing` (summed when several runs follow one another), failing names
 * from the numbered list after `N failing` (`1) suite` / `nested` / `test title:`), joined
 * with spaces as mocha's `fullTitle()` does. `Exception during run:` or `No test files
 * found` is `errored`.
 */
export const parseMocha: OutputParser = (lines) => {
  const f = new Found('mocha');
  let inList = false;
  let expected = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = MOCHA_PASSING.exec(line);
    if (m) {
      f.count(i, int(m[1]), 0, 0);
      inList = false;
      continue;
    }
    m = MOCHA_FAILING.exec(line);
    if (m) {
      f.count(i, 0, int(m[1]), 0);
      inList = true;
      expected = 1;
      continue;
    }
    m = MOCHA_PENDING.exec(line);
    if (m) {
      f.count(i, 0, 0, int(m[1]));
      continue;
    }
    const t = line.trim();
    if (t.startsWith('Exception during run: ') || t.startsWith('Error: No test files found')) {
      f.error(i);
      continue;
    }
    if (!inList) continue;
    m = MOCHA_ENTRY.exec(line);
    if (m && int(m[1]) === expected) {
      expected++;
      const parts = [m[2].trim()];
      let j = i;
      while (!parts[parts.length - 1].endsWith(':') && j + 1 < lines.length && j - i < 20) {
        const next = lines[++j].trim();
        if (next === '') break;
        parts.push(next);
      }
      const last = parts[parts.length - 1];
      if (last.endsWith(':')) {
        parts[parts.length - 1] = last.slice(0, -1);
        f.fail(parts.join(' '));
        i = j;
      }
    }
  }
  return f.result();
};
