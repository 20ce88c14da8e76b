/**
 * The `dotnet test` (VSTest) output parser. Plain Node; never imports `vscode`.
 */
import { Found, get, int, type OutputParser } from './common';

const DOTNET_SUMMARY = /^\s*(?:Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+),\s+Total:\s+(\d+)/;
const DOTNET_OLD_TOTAL = /^\s*Total tests:\s+(\d+)\s*$/;
const DOTNET_OLD_COUNT = /^\s*(Passed|Failed|Skipped):\s+(\d+)\s*$/;

/** `  Failed Namespace.Class.Method [12 ms]` → the test. */
function dotnetFailedTest(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith('Failed ') || !t.endsWith(']')) return undefined;
  const open = t.lastIndexOf(' [');
  return open > 7 ? t.slice(7, open).trim() : undefined;
}

/**
 * dotnet test (VSTest): `Failed!  - Failed:     1, Passed:     3, Skipped:     0, Total:
 * 4, …` (one per test project, summed), or the .NET Core 3.x `Total tests:` block.
 * Failing names from `  Failed Namespace.Class.Method [12 ms]`. Compiler errors (`error
 * CS0103:`) and `Build FAILED.` are `errored`.
 */
export const parseDotnet: OutputParser = (lines) => {
  const f = new Found('dotnet');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m = DOTNET_SUMMARY.exec(line);
    if (m) {
      f.count(i, int(m[2]), int(m[1]), int(m[3]));
      continue;
    }
    m = DOTNET_OLD_TOTAL.exec(line);
    if (m) {
      const c = new Map<string, number>();
      let j = i + 1;
      for (; j < lines.length && j <= i + 4; j++) {
        const k = DOTNET_OLD_COUNT.exec(lines[j]);
        if (!k) break;
        c.set(k[1], int(k[2]));
      }
      f.count(j - 1, get(c, 'Passed'), get(c, 'Failed'), get(c, 'Skipped'));
      i = j - 1;
      continue;
    }
    const name = dotnetFailedTest(line);
    if (name !== undefined) {
      f.fail(name);
      continue;
    }
    if (/: error (?!TS\d)[A-Z]{2,}\d{3,}:/.test(line) || /^\s*Build FAILED\.\s*$/.test(line)) f.error(i); // CS…, MSB…, NU…; TS… is tsc
    else if (/^\s*Test Run Failed\.\s*$/.test(line)) f.failedMarker = true;
  }
  return f.result();
};
