/**
 * The vitest output parser. Plain Node; never imports `vscode`.
 */
import { countParts, Found, get, type OutputParser } from './common';

/** `Tests  1 failed | 2 passed (3)` / `Tests  no tests` → parts, or undefined. */
function vitestCounts(line: string, label: string): { parts: Map<string, number>; none: boolean } | undefined {
  const t = line.trim();
  if (!t.startsWith(label)) return undefined;
  const rest = t.slice(label.length).trim();
  if (rest === 'no tests') return { parts: new Map(), none: true };
  const total = /\((\d+)\)$/.exec(rest);
  if (!total || !/^\d/.test(rest)) return undefined;
  return { parts: countParts(rest.slice(0, total.index), '|'), none: false };
}

/** A name without vitest's trailing duration (`subtracts 4ms`). */
function withoutDuration(text: string): string {
  const space = text.lastIndexOf(' ');
  return space > 0 && /^\d+(?:\.\d+)?m?s$/.test(text.slice(space + 1)) ? text.slice(0, space) : text;
}

/**
 * vitest: `Tests  1 failed | 2 passed | 1 skipped (4)` (the last one: the TTY view
 * redraws it), failing names from `FAIL  file > suite > test` lines, or from `×`/`✗` lines
 * when there are none. `Tests  no tests` with failed files is `errored`.
 */
export const parseVitest: OutputParser = (lines) => {
  const f = new Found('vitest');
  let noTests = false;
  let failedFiles = 0;
  const crossed: string[] = [];
  let sawFailLine = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const tests = vitestCounts(line, 'Tests ');
    if (tests) {
      noTests = tests.none;
      f.setCount(i, get(tests.parts, 'passed'), get(tests.parts, 'failed'), get(tests.parts, 'skipped', 'todo', 'expected fail'));
      continue;
    }
    const files = vitestCounts(line, 'Test Files ');
    if (files) {
      failedFiles = get(files.parts, 'failed');
      f.mark(i);
      continue;
    }
    const t = line.trim();
    if (t.startsWith('FAIL ')) {
      sawFailLine = true;
      f.failedMarker = true;
      const name = t.slice(5).trim();
      if (name.includes(' > ')) f.fail(name);
    } else if (t.startsWith('× ') || t.startsWith('✗ ')) {
      crossed.push(withoutDuration(t.slice(2).trim()));
    } else if (t.startsWith('⎯') && t.includes(' Failed Suites ')) {
      f.failedMarker = true;
    }
  }
  if (!sawFailLine) for (const name of crossed) f.fail(name);
  if (f.counted && noTests && failedFiles > 0) f.noTestsRan = true;
  else if (failedFiles > 0 && f.failed === 0) f.errored = true;
  return f.result();
};
