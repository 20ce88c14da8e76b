import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, runCli } from '../../src/replay/cli';
import type { TraceEvent } from '../../src/trace/events';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

const CLI = join(__dirname, '..', '..', 'src', 'replay', 'cli.js');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

suite('replay CLI: parseArgs', () => {
  test('parses flags in both --flag value and --flag=value form', () => {
    assert.deepEqual(parseArgs(['t.ndjson', '--out', 'o', '--at=5', '--session', 's1']), {
      kind: 'run',
      options: { trace: 't.ndjson', out: 'o', atSeq: 5, session: 's1' },
    });
    assert.deepEqual(parseArgs(['--verify', 'ws', 'trace']), { kind: 'run', options: { trace: 'trace', verify: 'ws' } });
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
  });

  test('rejects bad arguments with a message', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing trace/],
      [['t'], /--out.*--verify/],
      [['t', 'u', '--out', 'o'], /one trace path/],
      [['t', '--out'], /--out needs a value/],
      [['t', '--out', 'o', '--at', '0'], /--at needs a seq/],
      [['t', '--out', 'o', '--at', '3x'], /--at needs a seq/],
      [['t', '--out', 'o', '--bogus'], /unknown option --bogus/],
      [['t', '--out', 'o', '--out', 'p'], /given twice/],
      [['t', '--out', 'same', '--verify', 'same'], /same folder/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseArgs(argv);
      assert.equal(parsed.kind, 'error', argv.join(' '));
      assert.match(parsed.kind === 'error' ? parsed.message : '', message, argv.join(' '));
    }
  });
});

suite('replay CLI', () => {
  let dir: string;
  let trace: string;
  let workspace: string;
  let events: TraceEvent[];

  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-cli-'));
    trace = join(dir, 'trace.ndjson');
    workspace = join(dir, 'ws');
    const b = new TraceBuilder('only-session');
    events = [
      b.open('src/main.ts', 'let a = 1;\n', 1),
      b.edit('src/main.ts', 2, [{ offset: 8, length: 1, text: '2' }]),
      b.open('README.md', '# Title\r\n', 1),
      b.open('untitled:Untitled-1', 'scratch', 1),
      b.open('outside:abcdef', '', 1, { replayable: false }),
      b.edit('src/main.ts', 3, [{ offset: 11, length: 0, text: 'a++;\n' }]),
    ];
    writeFileSync(trace, toNdjson(events));
    mkdirSync(join(workspace, 'src'), { recursive: true });
    writeFileSync(join(workspace, 'src', 'main.ts'), 'let a = 2;\na++;\n');
    writeFileSync(join(workspace, 'README.md'), '# Title\r\n');
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('--out writes replayable documents at their trace paths and lists skipped ones', () => {
    const out = join(dir, 'out');
    const r = cli(trace, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'src', 'main.ts'), 'utf8'), 'let a = 2;\na++;\n');
    assert.equal(readFileSync(join(out, 'README.md'), 'utf8'), '# Title\r\n');
    assert.match(r.stdout, /^skipped untitled:Untitled-1 \(untitled\)$/m);
    assert.match(r.stdout, /^skipped outside:abcdef \(outside the workspace\)$/m);
    assert.match(r.stdout, /replayed 6 events from 1 session\(s\), 4 document\(s\), wrote 2, skipped 2\n$/);
  });

  test('--at stops after the given seq', () => {
    const out = join(dir, 'out');
    const r = cli(trace, '--out', out, '--at', '2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'src', 'main.ts'), 'utf8'), 'let a = 2;\n');
    assert.equal(existsSync(join(out, 'README.md')), false);
  });

  test('--verify prints one line per file and exits 0 when everything matches', () => {
    const r = cli(trace, '--verify', workspace);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter((l) => /^(ok|MISMATCH|MISSING) /.test(l)), ['ok  README.md', 'ok  src/main.ts']);
    assert.match(r.stdout, /verified 2 ok, 0 mismatched, 0 missing/);
  });

  test('--verify exits 1 on a mismatch or a missing file', () => {
    writeFileSync(join(workspace, 'src', 'main.ts'), 'let a = 3;\na++;\n');
    rmSync(join(workspace, 'README.md'));
    const r = cli(trace, '--verify', workspace);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^MISMATCH src\/main\.ts at byte 8$/m);
    assert.match(r.stdout, /^MISSING README\.md$/m);
  });

  test('exits 2 with usage on bad arguments, and when --at is ambiguous', () => {
    const bad = cli(trace);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /usage:/);
    assert.equal(cli(join(dir, 'nope.ndjson'), '--out', join(dir, 'o')).code, 2);
    const other = new TraceBuilder('second-session', 1_800_000_000_000);
    writeFileSync(join(dir, 'more.ndjson'), toNdjson([other.open('x.txt', 'x', 1)]));
    const ambiguous = cli(dir, '--out', join(dir, 'o'), '--at', '1');
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /only-session, second-session/);
    assert.equal(cli(dir, '--out', join(dir, 'o'), '--at', '1', '--session', 'second-session').code, 0);
  });

  test('runs in-process too, reporting corrupt lines as warnings', () => {
    writeFileSync(trace, `${toNdjson(events)}{"truncated":\n`);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = runCli([trace, '--verify', workspace], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    assert.equal(code, 0);
    assert.equal(stderr.length, 1);
    assert.match(stderr[0], /trace\.ndjson:7: not JSON/);
    assert.match(stdout[stdout.length - 1], /1 warning\(s\)$/);
  });
});
