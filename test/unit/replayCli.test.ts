import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, runCli } from '../../src/replay/cli';
import { decodeNdjson } from '../../src/receiver/decode';
import { EventStore } from '../../src/receiver/store';
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
    assert.deepEqual(parseArgs(['t', '--view', '7']), { kind: 'run', options: { trace: 't', view: 7 } });
    assert.deepEqual(parseArgs(['t', '--view=7', '--session', 's']), { kind: 'run', options: { trace: 't', view: 7, session: 's' } });
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
      [['t', '--view', '0'], /--view needs a seq/],
      [['t', '--view', '3', '--out', 'o'], /--view .* does not go with --out, --verify or --at/],
      [['t', '--view', '3', '--at', '2'], /does not go with/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseArgs(argv);
      assert.equal(parsed.kind, 'error', argv.join(' '));
      assert.match(parsed.kind === 'error' ? parsed.message : '', message, argv.join(' '));
    }
  });
});

suite('replay CLI', function () {
  this.timeout(15_000); // spawns node processes; a loaded machine takes seconds
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

  test('runs in-process too, reporting corrupt lines as warnings and what it read in one line', async () => {
    writeFileSync(trace, `${toNdjson(events)}{"truncated":\n`);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli([trace, '--verify', workspace], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
    assert.equal(code, 0);
    assert.equal(stderr.length, 2);
    assert.match(stderr[0], /trace\.ndjson:7: not JSON/);
    assert.equal(stderr[1], 'read 1 file, 6 events (0 duplicates); skipped: 1 corrupt line, 0 gzip cut short or corrupt, 0 events of unknown kinds, 0 of a newer schema');
    assert.match(stdout[stdout.length - 1], /1 warning\(s\)$/);
  });
});

suite('replay CLI: views, tools and deletions', () => {
  let dir: string;
  let trace: string;
  let workspace: string;

  function run(...args: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return runCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) }).then((code) => ({ code, stdout, stderr }));
  }

  const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');

  setup(() => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-cli2-'));
    trace = join(dir, 'trace.ndjson');
    workspace = join(dir, 'ws');
    mkdirSync(workspace);
    const b = new TraceBuilder('view-session');
    writeFileSync(
      trace,
      toNdjson([
        b.open('src/main.ts', lines, 1), // 1
        b.view('src/main.ts', [
          { start: 2, end: 3 },
          { start: 9, end: 10 },
        ]), // 2
        b.edit('src/main.ts', 2, [{ offset: 0, length: 6, text: 'FIRST' }]), // 3
        b.view('src/main.ts', [{ start: 1, end: 2 }]), // 4
        b.open('big.bin', '', 1, { replayable: false }), // 5
        b.view('big.bin', [{ start: 1, end: 1 }]), // 6
        b.diskSnapshot('gen/out.txt', 'generated\n'), // 7
        b.open('gone.txt', 'bye', 1), // 8
        b.remove('gone.txt'), // 9
        b.diskDelete('tool-gone.txt'), // 10
        b.view('src/main.ts', [{ start: 11, end: 14 }]), // 11
      ]),
    );
  });
  teardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('--view prints the visible lines of the replayed file at that event, numbered', async () => {
    const first = await run(trace, '--view', '2');
    assert.equal(first.code, 0, first.stderr.join('\n'));
    assert.deepEqual(first.stdout, ['src/main.ts lines 2–3, 9–10', ' 2 | line 2', ' 3 | line 3', ' 9 | line 9', '10 | line 10']);
    const later = await run(trace, '--view', '4', '--session', 'view-session');
    assert.deepEqual(later.stdout, ['src/main.ts lines 1–2', '1 | FIRST', '2 | line 2']);
  });

  test('--view shows what exists of a range past the end, with a warning', async () => {
    const past = await run(trace, '--view', '11');
    assert.equal(past.code, 0);
    assert.deepEqual(past.stdout, ['src/main.ts lines 11–14', '11 | line 11', '12 | line 12']);
    assert.ok(past.stderr.some((l) => /lines 11–14 reach past the end of src\/main\.ts \(12 lines at seq 11\)/.test(l)));
  });

  test('--view fails clearly (exit 2) for another kind of event, a missing seq, or a file not replayable there', async () => {
    const cases: [string, RegExp][] = [
      ['1', /seq 1 of session view-session is a doc\.open event, not editor\.view/],
      ['99', /session view-session has no event with seq 99/],
      ['6', /big\.bin is not replayable at seq 6 \(doc\.open seq 5 has no text \(too-large\)\)/],
    ];
    for (const [seq, message] of cases) {
      const r = await run(trace, '--view', seq);
      assert.equal(r.code, 2, seq);
      assert.deepEqual(r.stdout, [], seq);
      assert.match(r.stderr.join('\n'), message, seq);
    }
  });

  test('--view with several sessions needs --session', async () => {
    const other = new TraceBuilder('other-session', 1_800_000_000_000);
    writeFileSync(join(dir, 'other.ndjson'), toNdjson([other.open('x.txt', 'x', 1)]));
    const r = await run(dir, '--view', '2');
    assert.equal(r.code, 2);
    assert.match(r.stderr.join('\n'), /choose one with --session: view-session, other-session/);
    assert.equal((await run(dir, '--view', '2', '--session', 'view-session')).code, 0);
  });

  test('--verify checks files written by tools, and a deleted path that exists on disk is a mismatch', async () => {
    mkdirSync(join(workspace, 'src'));
    mkdirSync(join(workspace, 'gen'));
    writeFileSync(join(workspace, 'src', 'main.ts'), lines.replace('line 1', 'FIRST'));
    writeFileSync(join(workspace, 'gen', 'out.txt'), 'generated\n');
    writeFileSync(join(workspace, 'gone.txt'), 'still here');
    const r = await run(trace, '--verify', workspace);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.stdout.filter((l) => /^(ok|MISMATCH|MISSING|EXISTS) /.test(l)),
      ['ok  gen/out.txt', 'EXISTS gone.txt (deleted in the trace)', 'ok  src/main.ts'],
    );
    assert.match(r.stdout[r.stdout.length - 1], /verified 2 ok, 1 mismatched, 0 missing/);
    rmSync(join(workspace, 'gone.txt'));
    assert.equal((await run(trace, '--verify', workspace)).code, 0);
  });

  test("replays the receiver's database like a file", async () => {
    const db = join(dir, 'events.db');
    const store = new EventStore(db);
    try {
      store.insert(decodeNdjson(readFileSync(trace, 'utf8')).events, 'ndjson');
    } finally {
      store.close();
    }
    const r = await run(db, '--view', '2');
    assert.equal(r.code, 0, r.stderr.join('\n'));
    assert.equal(r.stdout[0], 'src/main.ts lines 2–3, 9–10');
  });
});
