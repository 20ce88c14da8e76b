import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCounts } from '../../src/authorship/author';
import type { Episode } from '../../src/episodes/episode';
import type { AgentTraceRecord } from '../../src/export/agentTrace';
import type { ExportFormat } from '../../src/export/format';
import { FORMATS } from '../../src/export/formats';
import { episodeToMessages } from '../../src/export/messages';
import { runExport } from '../../src/export/run';
import { worktraceFormat } from '../../src/export/worktrace';
import { decodeNdjson } from '../../src/receiver/decode';
import { EventStore } from '../../src/receiver/store';
import type { TraceEvent } from '../../src/trace/events';
import { validateEpisode } from '../support/episodeSchema';
import { writeTraceFolder, type TraceFolder } from '../support/exportTraces';
import { TraceBuilder, toNdjson } from '../support/traceBuilder';

const CLI = join(__dirname, '..', '..', 'src', 'export', 'cli.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stderr: the summary. */
  summary: string;
}

/** Runs the CLI in this process with a fake terminal and clock (7 ms per reading). */
async function exportCli(argv: string[], options: { tty?: boolean; formats?: readonly ExportFormat[] } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  let clock = 0;
  const code = await runExport(
    argv,
    {
      stdout: (text) => {
        stdout += text;
        return Promise.resolve();
      },
      stderr: (text) => {
        stderr += text;
      },
      stderrIsTTY: options.tty ?? false,
      columns: 120,
      now: () => (clock += 7),
    },
    options.formats === undefined ? {} : { formats: options.formats },
  );
  const lines = stderr.split('\n').filter((l) => l !== '');
  return { code, stdout, stderr, summary: lines.at(-1) ?? '' };
}

function episodesOf(jsonl: string): Episode[] {
  return jsonl
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Episode);
}

suite('export CLI: a folder of traces to a dataset', function () {
  this.timeout(60_000); // a loaded 2-core machine; each export here takes well under a second
  let dir: string;
  let folder: TraceFolder;
  let out: string;
  /** The worktrace export of the folder, made once. */
  let episodes: Episode[];

  suiteSetup(async () => {
    dir = mkdtempSync(join(tmpdir(), 'worktrace-export-'));
    folder = writeTraceFolder(join(dir, 'traces'));
    out = join(dir, 'out');
    const r = await exportCli([folder.dir, '--out', join(out, 'all.jsonl'), '--format', 'worktrace']);
    assert.equal(r.code, 0, r.stderr);
    episodes = episodesOf(readFileSync(join(out, 'all.jsonl'), 'utf8'));
  });
  suiteTeardown(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('every format: a file that parses, the same bytes on a second run, and one summary line that counts the damage', async () => {
    assert.equal(episodes.length, 6);
    for (const format of FORMATS) {
      const first = join(out, `first-${format.name}${format.extension}`);
      const second = join(out, `second-${format.name}${format.extension}`);
      const a = await exportCli([folder.dir, '--out', first, '--format', format.name]);
      const b = await exportCli([folder.dir, '--format', format.name, '--out', second]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const bytes = readFileSync(first);
      assert.ok(bytes.length > 0, format.name);
      assert.ok(bytes.equals(readFileSync(second)), `${format.name}: same input, same bytes`);
      const text = bytes.toString('utf8');
      if (format.extension === '.jsonl') {
        const rows = text.split('\n');
        assert.equal(rows.pop(), '', `${format.name} ends with a line break`);
        rows.forEach((row) => assert.equal(typeof JSON.parse(row), 'object'));
        if (format.name !== 'agent-trace') assert.equal(rows.length, 6, `${format.name}: one row per episode`);
      } else {
        JSON.parse(text);
      }
      assert.equal(a.stderr.split('\n').filter((l) => l !== '').length, 1, `${format.name}: one line on stderr`);
      assert.match(
        a.summary,
        new RegExp(
          `^exported 6 episodes to .*first-${format.name}.* \\(${format.name}\\); read 5 files, [0-9,]+ events \\(5 duplicates\\); ` +
            'skipped: 1 corrupt line, 1 gzip cut short or corrupt, 0 events of unknown kinds, 0 of a newer schema; ' +
            'built 6 episodes from 4 sessions \\(0 not exact\\), skipping 0 events \\(--verbose for each problem\\)$',
        ),
      );
      assert.equal(statSync(first).mode & 0o777, 0o600, 'created private');
    }
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  test('the worktrace episodes fit their schema and carry authorship: typed, pasted, completion, an agent CLI', () => {
    for (const e of episodes) {
      assert.deepEqual(validateEpisode(e), [], e.id);
      assert.ok(e.authorship, `${e.id} has authorship`);
    }
    const task = episodes.find((e) => e.goal.text === 'Fix the off-by-one in sum');
    assert.deepEqual(task?.authorship?.lines, { ...emptyCounts(), typed: 2, pasted: 2, completion: 1 });
    const agent = episodes.find((e) => e.base.some((f) => f.path === 'gen/out.js'));
    assert.deepEqual(agent?.authorship?.lines, { ...emptyCounts(), tool: 1 });
  });

  test('agent-trace: one record per commit, located from the replayed state at the commit', async () => {
    const target = join(out, 'agent.jsonl');
    assert.equal((await exportCli([folder.dir, '--out', target, '--format', 'agent-trace'])).code, 0);
    const records = readFileSync(target, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as AgentTraceRecord);
    const commit = records.find((r) => r.vcs?.revision === 'c'.repeat(40));
    assert.ok(commit);
    assert.equal(commit.metadata['dev.worktrace'].located, true);
    assert.deepEqual(
      commit.metadata['dev.worktrace'].files.map((f) => [f.path, f.ranges.map((r) => `${r.start_line}-${r.end_line} ${r.author}`)]),
      [
        ['src/sum.js', ['3-3 typed', '7-8 pasted', '9-9 completion']],
        ['test/sum.test.js', ['2-2 typed']],
      ],
    );
  });

  test('filters: outcome, explicit, fixed, min-steps, dates, repo; the summary says how many were left out', async () => {
    const count = async (...filters: string[]): Promise<{ ids: string[]; summary: string }> => {
      const target = join(out, 'filtered.jsonl');
      const r = await exportCli([folder.dir, '--out', target, '--format', 'worktrace', ...filters.flatMap((f) => ['--filter', f])]);
      assert.equal(r.code, 0, r.stderr);
      return { ids: episodesOf(readFileSync(target, 'utf8')).map((e) => e.id), summary: r.summary };
    };
    const ids = (keep: (e: Episode) => boolean): string[] => episodes.filter(keep).map((e) => e.id);
    const done = await count('outcome=done');
    assert.deepEqual(done.ids, ids((e) => e.outcome.status === 'done'));
    assert.equal(done.ids.length, 1);
    assert.match(done.summary, /^exported 1 episode to .* \(worktrace; 5 filtered out\)/);
    assert.deepEqual((await count('outcome=done,outcome=abandoned')).ids.length, 2);
    assert.deepEqual((await count('explicit')).ids, ids((e) => e.goal.source === 'explicit'));
    assert.deepEqual((await count('fixed')).ids, done.ids);
    assert.deepEqual((await count('min-steps=3')).ids, ids((e) => e.steps.length >= 3));
    const secondDay = await count('from=2026-01-06', 'to=2026-01-06');
    assert.deepEqual(secondDay.ids, ids((e) => e.sessions[0] === 's2-inferred'));
    assert.equal(secondDay.ids.length, 2, 'the idle gap split that day in two');
    assert.deepEqual((await count('repo=feature/login')).ids, ids((e) => e.workspace === 'ws-b'));
    assert.deepEqual((await count('repo=feature/login', 'explicit')).ids.length, 1);
    assert.deepEqual((await count('repo=nowhere')).ids, []);
  });

  test('--stats: a table on stdout, nothing written; its figures are those of the episodes', async () => {
    const before = readdirSync(out).length;
    const r = await exportCli([folder.dir, '--stats']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(out).length, before);
    const table = new Map(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((line) => {
          const m = /^(\S.*?|\s+\S.*?)\s{2,}(.*)$/.exec(line);
          assert.ok(m, line);
          return [m[1].trim(), m[2]] as const;
        }),
    );
    const steps = episodes.map((e) => e.steps.length).sort((x, y) => x - y);
    const tokens = Math.ceil(episodes.reduce((n, e) => n + JSON.stringify(episodeToMessages(e)).length, 0) / 4);
    assert.equal(table.get('episodes'), '6');
    assert.equal(table.get('by outcome'), 'done 1 · abandoned 1 · handed-off 0 · unknown 4');
    assert.equal(table.get('by goal'), 'explicit 2 · inferred 4');
    assert.equal(table.get('exact'), 'exact 6 · not exact 0');
    assert.equal(table.get('steps'), `${steps.reduce((a, b) => a + b, 0)} · median ${steps[2]} per episode`);
    assert.match(table.get('by type') ?? '', /^edit \d+ · command 4 · test 2 · commit 1 · checkout 1 · file-change 1$/);
    assert.equal(table.get('sessions'), '4 read · 4 in these episodes');
    assert.equal(table.get('workspaces'), '2 read · 2 in these episodes');
    assert.equal(table.get('dates'), '2026-01-05 to 2026-02-11 (UTC)');
    assert.match(table.get('tokens (estimate)') ?? '', new RegExp(`^~${tokens.toLocaleString('en-US')} · mean [0-9,]+ · max [0-9,]+ per episode \\(characters of the messages rendering / 4\\)$`));
    assert.match(r.summary, /^counted 6 episodes; read 5 files/);
    const filtered = await exportCli([folder.dir, '--stats', '--filter', 'explicit']);
    assert.match(filtered.stdout, /^episodes\s+2 \(filter: explicit\)$/m);
  });

  test("the receiver's SQLite database reads like the files it was sent", async () => {
    const sessions = ['s1-explicit', 's3-abandoned'].map((s) => folder.sessions.get(s) ?? []);
    const db = join(dir, 'events.db');
    const store = new EventStore(db);
    try {
      for (const events of sessions) store.insert(decodeNdjson(toNdjson(events)).events, 'ndjson');
    } finally {
      store.close();
    }
    const files = join(dir, 'same-as-db');
    mkdirSync(files);
    sessions.forEach((events, i) => writeFileSync(join(files, `${i}.ndjson`), toNdjson(events)));
    const fromDb = await exportCli([db, '--out', join(out, 'db.jsonl'), '--format', 'worktrace']);
    const fromFiles = await exportCli([files, '--out', join(out, 'files.jsonl'), '--format', 'worktrace']);
    assert.equal(fromDb.code, 0, fromDb.stderr);
    assert.match(fromDb.summary, /^exported 3 episodes .*; read 1 file, [0-9,]+ events \(0 duplicates\)/);
    assert.equal(readFileSync(join(out, 'db.jsonl'), 'utf8'), readFileSync(join(out, 'files.jsonl'), 'utf8'));
    assert.equal(fromFiles.code, 0);
  });

  test('a format that fails mid-way: exit 1, the previous dataset stays as it was, no temporary file', async () => {
    const target = join(dir, 'keep', 'data.jsonl');
    mkdirSync(join(dir, 'keep'));
    writeFileSync(target, 'the previous dataset\n');
    let seen = 0;
    const failing: ExportFormat = {
      name: 'failing',
      description: 'throws on its second episode',
      extension: '.jsonl',
      create: () => ({
        begin: () => '[\n',
        episode: (e) => {
          if (++seen === 2) throw new Error('boom');
          return `${e.id}\n`;
        },
        end: () => ']\n',
      }),
    };
    const r = await exportCli([folder.dir, '--out', target, '--format', 'failing'], { formats: [failing, worktraceFormat] });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: the failing format failed on episode ep-[0-9a-f]{16}: boom; .*data\.jsonl was not written$/m);
    assert.equal(readFileSync(target, 'utf8'), 'the previous dataset\n');
    assert.deepEqual(readdirSync(join(dir, 'keep')), ['data.jsonl']);
    const ok = await exportCli([folder.dir, '--out', target, '--format', 'worktrace']);
    assert.equal(ok.code, 0);
    assert.equal(readFileSync(target, 'utf8'), readFileSync(join(out, 'all.jsonl'), 'utf8'), 'a successful export replaces it');
    assert.deepEqual(readdirSync(join(dir, 'keep')), ['data.jsonl']);
  });

  test('exit codes: 2 for bad arguments and missing paths, 1 when nothing can be read or written', async () => {
    const bad = await exportCli([folder.dir, '--out', join(out, 'x.jsonl'), '--format', 'csv']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^error: unknown format "csv" .*\nrun with --help for the usage\n$/);
    const missing = await exportCli([join(dir, 'nope'), '--stats']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such trace file, folder or database: .*nope/);
    const folderOut = await exportCli([folder.dir, '--out', out, '--format', 'worktrace']);
    assert.equal(folderOut.code, 2);
    assert.match(folderOut.stderr, /--out names a folder/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'garbage.ndjson'), 'not json\n');
    const nothing = await exportCli([empty, '--out', join(dir, 'nothing.jsonl'), '--format', 'worktrace']);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /read 1 file, 0 events .* 1 corrupt line/);
    assert.match(nothing.summary, /^error: nothing could be read from /);
    assert.equal(existsSync(join(dir, 'nothing.jsonl')), false);
    const unwritable = await exportCli([folder.dir, '--out', join(out, 'all.jsonl', 'below-a-file.jsonl'), '--format', 'worktrace']);
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.stderr, /^error: cannot write .*below-a-file\.jsonl: /m);
    const help = await exportCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: npm run export -- /);
  });

  test('bad events never stop an export: they are counted in the summary, listed one by one with --verbose', async () => {
    const b = new TraceBuilder('s-bad', Date.UTC(2026, 3, 1), 'ws-bad');
    const events: unknown[] = [
      b.stamp({ kind: 'session.start', vscodeVersion: '1.100.3', extensionVersion: '0.1.0', platform: 'linux', folders: ['w'], repos: [], revision: 2 }),
      b.open('a.js', 'a\n'),
      b.edit('a.js', 2, [{ offset: 2, length: 0, text: 'b\n' }]),
      { ...b.edit('a.js', 3, [{ offset: 0, length: 0, text: 'x' }]), changes: 'not an array' },
      { ...b.stamp({ kind: 'session.end', reason: 'deactivate' }), kind: 'future.kind' },
      b.edit('never-opened.js', 1, [{ offset: 0, length: 0, text: 'y' }]),
      b.stamp({ kind: 'edit.step', path: 'a.js', fromVersion: 1, toVersion: 2, diff: '', added: 1, removed: 0, edits: 1, startTs: b.ts, durationMs: 0, cause: 'typing', closedBy: 'pause', editIds: [] }),
    ];
    const trace = join(dir, 'bad.ndjson');
    writeFileSync(trace, toNdjson(events as TraceEvent[]));
    const quiet = await exportCli([trace, '--out', join(out, 'bad.jsonl'), '--format', 'worktrace']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.summary, /exported 1 episode .*; read 1 file, 7 events .* 1 event of an unknown kind, .*; built 1 episode from 1 session \(1 not exact\), skipping 2 events \(1 of unknown kinds, 1 malformed\) \(--verbose for each problem\)$/);
    assert.equal(quiet.stderr.split('\n').filter((l) => l !== '').length, 1);
    const verbose = await exportCli([trace, '--out', join(out, 'bad.jsonl'), '--format', 'worktrace', '--verbose']);
    assert.match(verbose.stderr, /^warning: malformed: session s-bad seq 4: malformed doc\.edit: changes is not an array$/m);
    assert.match(verbose.stderr, /^warning: unknown-kind: session s-bad seq 5: unknown kind "future\.kind"$/m);
    assert.match(verbose.stderr, /^warning: inexact: episode ep-[0-9a-f]{16} workspace ws-bad: /m);
    assert.doesNotMatch(verbose.summary, /--verbose/);
  });

  test('on a terminal: a progress bar redrawn with \\r, cleared before the summary', async () => {
    const r = await exportCli([folder.dir, '--out', join(out, 'tty.jsonl'), '--format', 'worktrace'], { tty: true });
    assert.equal(r.code, 0);
    const shown = r.stderr.replaceAll('\x1b', '<ESC>');
    assert.match(shown, /^\r1\/2 reading +\[[#-]{16}\] +\d+% [0-9.]+\/[0-9.]+ MB [0-9,]+ events\/s 0 episodes<ESC>\[K/);
    assert.match(shown, /\r2\/2 building \[[#-]{16}\] +\d+% [0-9.]+\/[0-9.]+ MB [0-9,]+ events\/s \d episodes<ESC>\[K/);
    assert.match(shown, /\r<ESC>\[Kexported 6 episodes/, 'cleared, then the summary');
    const plain = await exportCli([folder.dir, '--out', join(out, 'plain.jsonl'), '--format', 'worktrace']);
    assert.doesNotMatch(plain.stderr, /\r/, 'not a terminal: no bar');
  });

  test('the real process: --out - streams the dataset to stdout; bad arguments exit 2', () => {
    const r = spawnSync(process.execPath, [CLI, folder.dir, '--out', '-', '--format', 'worktrace'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(out, 'all.jsonl'), 'utf8'));
    assert.match(r.stderr, /^exported 6 episodes to stdout \(worktrace\)/);
    const bad = spawnSync(process.execPath, [CLI, folder.dir, '--stats', '--filter', 'outcome=great'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error: --filter: outcome=great: the outcome is one of done, abandoned, handed-off, unknown$/m);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.export, 'node scripts/build.mjs --tests && node out/src/export/cli.js');
  });
});
