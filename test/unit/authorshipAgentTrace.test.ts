import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { CommitAttribution } from '../../src/authorship/commit';
import type { EpisodeWithRanges } from '../../src/authorship/episode';
import { gitShowArgs, tracePathOf } from '../../src/authorship/gitShow';
import { addedLinesByPath } from '../../src/authorship/unifiedDiff';
import { EPISODE_SCHEMA, type CommitStepData } from '../../src/episodes/episode';
import { AGENT_TRACE_VERSION, agentTraceFormat, agentTraceRecords, createAgentTraceFormat, nameBasedUuid, type AgentTraceRecord } from '../../src/export/agentTrace';
import { AuthorshipEditor } from '../support/authorshipEditor';
import { findRepoRoot } from '../support/schema';
import { TempRepo } from '../support/tempRepo';

const FIXTURES = join(findRepoRoot(), 'test', 'fixtures', 'formats', 'agent-trace');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time (section 5.6).
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

function validator(file: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('uuid', UUID);
  ajv.addFormat('date-time', { validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('uri', {
    validate: (s: string) => {
      try {
        return new URL(s).protocol.length > 1;
      } catch {
        return false;
      }
    },
  });
  return ajv.compile(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as object);
}

const specSchema = validator('trace-record.schema.json');
const strictSchema = validator('trace-record.strict.schema.json');

function assertValid(record: unknown): void {
  for (const [name, validate] of [
    ['specification', specSchema],
    ['strict', strictSchema],
  ] as const) {
    assert.ok(validate(record), `${name} schema: ${JSON.stringify(validate.errors)}`);
  }
}

function commitStep(index: number, ts: number, sha: string, repo: string, attribution: CommitAttribution | undefined): CommitStepData {
  return {
    index,
    ts,
    durationMs: 0,
    session: 's-1',
    eventIds: [`e-${index}`],
    type: 'commit',
    action: { repo, message: `commit ${index}`, branch: 'main', amend: false, origin: 'terminal' },
    observation: { sha, parents: [], files: [], tests: [], lastTestPassed: null, ...(attribution === undefined ? {} : { authorship: attribution.authorship }) },
  };
}

function episode(steps: CommitStepData[], extra: Partial<EpisodeWithRanges> = {}): EpisodeWithRanges {
  return {
    schema: EPISODE_SCHEMA,
    id: 'ep-1',
    workspace: 'ws-1',
    sessions: ['s-1'],
    goal: { text: 'Add the parser', source: 'explicit', goalId: 'g-1' },
    start: { ts: 1_767_225_600_000, boundary: 'goal.start', repos: [{ root: '.', head: null, branch: 'main' }] },
    end: { ts: 1_767_229_200_000, boundary: 'goal.end' },
    base: [],
    steps,
    outcome: { status: 'done', source: 'explicit', lastTestPassed: null, committed: steps.length > 0, commits: steps.map((s) => s.observation.sha), patch: '', patchExact: true },
    figures: { durationMs: 0, activeMs: 0, edits: 0, editSteps: 0, commands: 0, tasks: 0, testRuns: 0, debugSessions: 0, commits: steps.length, fileChanges: 0, fixed: 0, broke: 0 },
    exact: true,
    problems: [],
    ...extra,
  };
}

function parseLines(text: string): AgentTraceRecord[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AgentTraceRecord);
}

suite('Agent Trace export', () => {
  let repo: TempRepo;
  let sha: string;
  let attribution: CommitAttribution;

  suiteSetup(() => {
    // A real commit in a repository that is the workspace folder `backend`.
    repo = new TempRepo();
    repo.write('src/p.ts', 'export {};\n');
    repo.commitAll('base');
    const e = new AuthorshipEditor();
    const path = 'backend/src/p.ts';
    e.open(path, 'export {};\n');
    e.type(path, e.text(path).length, 'export function parse(s: string) {\n');
    e.append(path, '  const parts = s.split(",");\n  return parts;\n', 'completion');
    e.type(path, e.text(path).length, '}\n');
    e.insert(path, e.text(path).indexOf('parts;\n') + 5, '.map((p) => p.trim())', 'typing'); // a completion line extended by hand: 18 typed, 12 completed
    e.append(path, 'export const VERSION = 1;\n', 'paste');
    e.append(path, 'export const EDITED = 2;\n', 'assistant');
    repo.write('src/p.ts', e.text(path));
    repo.write('docs/notes.md', 'not captured\n');
    sha = repo.commitAll('parser');
    const added = addedLinesByPath(repo.git(...gitShowArgs(sha)));
    attribution = e.tracker.attributeCommit([...added.entries()].map(([p, addedLines]) => ({ path: tracePathOf('backend', p), committedText: repo.show(sha, p), addedLines })));
  });

  suiteTeardown(() => repo.remove());

  test('one record per commit, valid against the specification’s schema, lines grouped by contributor type', () => {
    const ep = episode([commitStep(0, 1_767_226_000_000, sha, 'backend', attribution)], { authorshipRanges: { commits: [{ sha, ranges: attribution.ranges }] } });
    const records = parseLines(agentTraceFormat.create().episode(ep));
    assert.equal(records.length, 1);
    const [record] = records;
    assertValid(record);
    assert.equal(record.version, AGENT_TRACE_VERSION);
    assert.deepEqual(record.vcs, { type: 'git', revision: sha });
    assert.equal(record.timestamp, '2026-01-01T00:06:40.000Z');
    assert.deepEqual(record.tool, { name: 'worktrace', version: 'unknown' });
    assert.deepEqual(record.files, [
      { path: 'docs/notes.md', conversations: [{ contributor: { type: 'unknown' }, ranges: [{ start_line: 1, end_line: 1 }] }] },
      {
        path: 'src/p.ts', // relative to the repository root, as the specification asks
        conversations: [
          { contributor: { type: 'human' }, ranges: [{ start_line: 2, end_line: 2 }, { start_line: 5, end_line: 5 }] },
          { contributor: { type: 'ai' }, ranges: [{ start_line: 3, end_line: 3 }, { start_line: 7, end_line: 7 }] },
          { contributor: { type: 'mixed' }, ranges: [{ start_line: 4, end_line: 4 }] },
          { contributor: { type: 'unknown' }, ranges: [{ start_line: 6, end_line: 6 }] },
        ],
      },
    ]);
    const meta = record.metadata['dev.worktrace'];
    assert.equal(meta.unit, 'commit');
    assert.equal(meta.located, true);
    assert.equal(meta.repo, 'backend');
    assert.deepEqual(meta.authorship, attribution.authorship);
    assert.deepEqual(meta.files, [
      { path: 'docs/notes.md', ranges: [{ start_line: 1, end_line: 1, author: 'unexplained' }] },
      {
        path: 'src/p.ts',
        ranges: [
          { start_line: 2, end_line: 2, author: 'typed' },
          { start_line: 3, end_line: 3, author: 'completion' },
          { start_line: 4, end_line: 4, author: 'typed' },
          { start_line: 5, end_line: 5, author: 'typed' },
          { start_line: 6, end_line: 6, author: 'pasted' },
          { start_line: 7, end_line: 7, author: 'assistant' },
        ],
      },
    ]);
  });

  test('deterministic: the same episode gives the same bytes; ids are name-based UUIDs, distinct per commit', () => {
    const steps = [commitStep(0, 1_767_226_000_000, sha, 'backend', attribution), commitStep(1, 1_767_227_000_000, 'b'.repeat(40), 'backend', undefined)];
    const ep = episode(steps, { authorshipRanges: { commits: [{ sha, ranges: attribution.ranges }] } });
    const format = createAgentTraceFormat({ toolVersion: '0.1.0' });
    const once = format.create().episode(ep);
    assert.equal(format.create().episode(structuredClone(ep)), once);
    const records = parseLines(once);
    assert.equal(records.length, 2);
    records.forEach(assertValid);
    assert.notEqual(records[0].id, records[1].id);
    assert.match(records[0].id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(records[0].tool.version, '0.1.0');
    // RFC 9562 appendix A.4: the v5 UUID of "www.example.com" in the DNS namespace.
    assert.equal(nameBasedUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
    // A commit the episode has no ranges for: no files, its counts kept, marked as not located.
    assert.deepEqual(records[1].files, []);
    assert.equal(records[1].metadata['dev.worktrace'].located, false);
  });

  test('an episode without commits: one record for its final patch, without vcs; nothing without authorship or added lines', () => {
    const ranges = attribution.ranges;
    const ep = episode([], { authorship: attribution.authorship, authorshipRanges: { patch: ranges }, start: { ts: 1, boundary: 'session.start', repos: [{ root: 'backend', head: null, branch: null }] } });
    const records = agentTraceRecords(ep);
    assert.equal(records.length, 1);
    assertValid(records[0]);
    assert.equal(records[0].vcs, undefined);
    assert.equal(records[0].metadata['dev.worktrace'].unit, 'episode');
    assert.deepEqual(
      records[0].files.map((f) => f.path),
      ['docs/notes.md', 'src/p.ts'],
    );
    assert.deepEqual(agentTraceRecords(episode([])), []);
    const nothingAdded = { lines: { ...attribution.authorship.lines, typed: 0, pasted: 0, completion: 0, assistant: 0, tool: 0, formatter: 0, refactor: 0, unknown: 0 }, files: [], unexplained: 0 };
    assert.deepEqual(agentTraceRecords(episode([], { authorship: nothingAdded, authorshipRanges: { patch: { files: [], unexplained: [] } } })), [], 'a patch that adds no line gives no record');
    assert.equal(agentTraceFormat.create().begin() + agentTraceFormat.create().end(), '');
    assert.equal(agentTraceFormat.name, 'agent-trace');
  });

  test('the schemas catch what the specification forbids', () => {
    const ep = episode([commitStep(0, 1_767_226_000_000, sha, 'backend', attribution)], { authorshipRanges: { commits: [{ sha, ranges: attribution.ranges }] } });
    const [record] = agentTraceRecords(ep);
    const broken = structuredClone(record) as unknown as { files: { conversations: { contributor: { type: string }; ranges: { start_line: number }[] }[] }[]; id: string };
    broken.files[1].conversations[0].contributor.type = 'robot';
    assert.equal(specSchema(broken), false);
    const zeroLine = structuredClone(record) as unknown as typeof broken;
    zeroLine.files[0].conversations[0].ranges[0].start_line = 0;
    assert.equal(specSchema(zeroLine), false);
    const notUuid = { ...structuredClone(record), id: 'ep-1' };
    assert.equal(specSchema(notUuid), false);
    const extraField = structuredClone(record) as unknown as { files: { author?: string }[] };
    extraField.files[0].author = 'typed';
    assert.equal(specSchema(extraField), true, 'the specification’s objects are open');
    assert.equal(strictSchema(extraField), false, 'the strict variant keeps our data in metadata');
  });
});
