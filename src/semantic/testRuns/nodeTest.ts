/**
 * The `node --test` output parser (spec reporter and TAP). Plain Node; never imports `vscode`.
 */
import { Found, get, int, type OutputParser } from './common';

const NODE_COUNT = /^(?:#|ℹ) (tests|suites|pass|fail|cancelled|skipped|todo)\s+(\d+)\s*$/;
const NODE_TAP_RESULT = /^\s*(not ok|ok) \d+(?: - (.*))?$/;
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** `✖ name (1.2ms)` / `✖ name (1.2ms) # SKIP` → name. */
function nodeTtyFailure(line: string): string | undefined {
  const t = line.trim();
  if (!t.startsWith('✖ ')) return undefined;
  let body = t.slice(2);
  const hash = body.lastIndexOf(' # ');
  if (hash >= 0 && body.endsWith(')') === false) body = body.slice(0, hash);
  const open = body.lastIndexOf(' (');
  if (open < 0 || !/^ \(\d+(?:\.\d+)?m?s\)$/.test(body.slice(open))) return undefined;
  return body.slice(0, open);
}

/**
 * `node --test`: the spec reporter (`ℹ tests 3`, `ℹ pass 2`, `ℹ fail 1`…) and TAP
 * (`# tests 3`, `# pass 2`…). Cancelled tests count as failed, todo tests as skipped.
 * Failing names: the spec reporter's `✖ failing tests:` list (or, without it, the `✖`
 * lines that are not suites), TAP `not ok` lines that are neither suites nor parents of
 * failing subtests, nor `# TODO`. When every failure is a test file (a file that failed to
 * load is reported as a failing test named by its path) and none passed, no test ran.
 */
export const parseNode: OutputParser = (lines) => {
  const f = new Found('node');
  const counts = new Map<string, number>();
  let pendingTap: string | undefined;
  let tapIsParent = false;
  const commitTap = (): void => {
    if (pendingTap !== undefined && !tapIsParent) f.fail(pendingTap);
    pendingTap = undefined;
    tapIsParent = false;
  };
  const suites = new Set<string>();
  const ttyFailures: string[] = [];
  const listed: string[] = [];
  let inFailingList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const c = NODE_COUNT.exec(line);
    if (c) {
      counts.set(c[1], (counts.get(c[1]) ?? 0) + int(c[2]));
      f.mark(i);
      continue;
    }
    const tap = NODE_TAP_RESULT.exec(line);
    if (tap) {
      commitTap();
      const title = (tap[2] ?? '').trim();
      if (tap[1] === 'not ok' && !/\s#\s*TODO\b/i.test(title)) {
        const hash = title.search(/\s#\s*SKIP\b/i);
        pendingTap = hash >= 0 ? title.slice(0, hash) : title;
      }
      continue;
    }
    const t = line.trim();
    if (pendingTap !== undefined) {
      if (t === "type: 'suite'" || t === "failureType: 'subtestsFailed'") tapIsParent = true;
      else if (t === '...') commitTap();
      continue;
    }
    if (t === '✖ failing tests:') {
      inFailingList = true;
      f.failedMarker = true;
      continue;
    }
    if (t.startsWith('▶ ')) {
      if (!inFailingList) suites.add(t.slice(2).trim());
      continue;
    }
    const name = nodeTtyFailure(line);
    if (name !== undefined) {
      if (!inFailingList) ttyFailures.push(name);
      else if (!/^\s/.test(line)) listed.push(name);
    }
  }
  commitTap();
  for (const name of listed.length > 0 ? listed : ttyFailures.filter((n) => !suites.has(n))) f.fail(name);
  if (counts.has('tests') && counts.has('pass') && counts.has('fail')) {
    const failed = get(counts, 'fail', 'cancelled');
    const passed = get(counts, 'pass');
    f.count(f.lastLine, passed, failed, get(counts, 'skipped', 'todo'));
    const names = [...f.names];
    if (failed > 0 && passed === 0 && names.length > 0 && names.every((n) => SCRIPT_FILE.test(n))) f.noTestsRan = true;
  }
  return f.result();
};
