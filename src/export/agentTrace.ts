/**
 * The `agent-trace` export: Agent Trace records (https://agent-trace.dev, specification 0.1.0,
 * RFC, cursor/agent-trace), one JSON object per line. Plain Node; never imports `vscode`.
 *
 * Unit: a trace record describes the code of one VCS revision ("ranges reference positions at
 * the recorded revision"), so there is one record per commit of an episode, with `vcs` set to
 * the commit. An episode without commits gives one record for its final patch, without `vcs`,
 * whose line numbers refer to the files as the episode left them; an episode without commits
 * whose patch adds no line (or without authorship) gives none.
 *
 * Per file, the added lines are grouped by contributor type into one `conversations` entry
 * each (`human`, `ai`, `mixed`, `unknown`, in that order; Worktrace has no conversation URL).
 * The contributor of a line is its contribution by the mixed-line rule (authorship/lines.ts):
 * typed, completion-list suggestions, snippets and refactorings are `human`; inline
 * completions, assistant edits and agent CLIs `ai`; a line with both `mixed`; pasted text,
 * formatters, other tools, unknown text and files the trace could not replay `unknown`.
 * Worktrace's own author class per range (typed, pasted, completion, assistant, tool,
 * formatter, refactor, unknown, unexplained) and the line counts are kept in
 * `metadata["dev.worktrace"]`, the vendor key the specification asks for.
 *
 * Line ranges come from the episode's optional `authorshipRanges` (authorship/episode.ts). A
 * commit without them gives a record with no files, its counts in the metadata.
 *
 * Deterministic: ids are name-based UUIDs (version 5) of the workspace, the episode and the
 * commit; the timestamp is the commit's (or the episode's end); keys in a fixed order.
 */
import { createHash } from 'node:crypto';
import { totalOf, type Author, type Contribution } from '../authorship/author';
import type { EpisodeWithRanges } from '../authorship/episode';
import type { AuthorshipRanges } from '../authorship/ranges';
import { repoPathOf } from '../authorship/gitShow';
import type { Authorship, LineRange } from '../trace/events';
import type { ExportFormat, ExportWriter } from './format';

/** Version of the Agent Trace specification written. */
export const AGENT_TRACE_VERSION = '0.1.0';

/** Key of Worktrace's data in `metadata` (reverse-domain notation, as the specification asks). */
export const METADATA_KEY = 'dev.worktrace';

/** Namespace of the name-based record ids (a fixed, random UUID). */
const ID_NAMESPACE = '8c4efca0-8134-4dec-b3b4-1b9c3e4c0299';

export interface AgentTraceRange {
  start_line: number;
  end_line: number;
}

export interface AgentTraceConversation {
  contributor: { type: Contribution };
  ranges: AgentTraceRange[];
}

export interface AgentTraceFile {
  path: string;
  conversations: AgentTraceConversation[];
}

/** Worktrace's detail of one record, under `metadata["dev.worktrace"]`. */
export interface WorktraceRecordMetadata {
  episode: string;
  workspace: string;
  /** `commit`: the lines a commit adds; `episode`: the lines an uncommitted episode's final patch adds. */
  unit: 'commit' | 'episode';
  /** Repository root relative to the workspace (commits only). */
  repo?: string;
  goal: { text: string; source: 'explicit' | 'inferred' };
  /** Line counts by author, as in `git.commit.authorship` (absent when the episode has none). */
  authorship?: Authorship;
  /** Whether `files` locates the lines (false: the episode carries counts only). */
  located: boolean;
  /** Per file, the added lines by Worktrace's author class. */
  files: { path: string; ranges: (AgentTraceRange & { author: Author | 'unexplained' })[] }[];
}

export interface AgentTraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs?: { type: 'git'; revision: string };
  tool: { name: string; version: string };
  files: AgentTraceFile[];
  metadata: { [METADATA_KEY]: WorktraceRecordMetadata };
}

export interface AgentTraceOptions {
  /** Worktrace's version, written as `tool.version` (default `unknown`). */
  toolVersion?: string;
}

const CONTRIBUTIONS: readonly Contribution[] = ['human', 'ai', 'mixed', 'unknown'];

/** A name-based UUID (RFC 9562 version 5: SHA-1 of the namespace and the name). */
export function nameBasedUuid(name: string, namespace: string = ID_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function byPath<T extends { path: string }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Merges ranges (ascending) whose lines follow each other. */
function mergeRanges(ranges: readonly LineRange[]): AgentTraceRange[] {
  const out: AgentTraceRange[] = [];
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.end_line + 1 >= start) {
      last.end_line = Math.max(last.end_line, end);
    } else {
      out.push({ start_line: start, end_line: end });
    }
  }
  return out;
}

/** The `files` of a record and Worktrace's per-author detail, paths made relative to the repository. */
function filesOf(ranges: AuthorshipRanges, pathOf: (tracePath: string) => string): { files: AgentTraceFile[]; detail: WorktraceRecordMetadata['files'] } {
  const files: AgentTraceFile[] = [];
  const detail: WorktraceRecordMetadata['files'] = [];
  const entries = [
    ...ranges.files.map((f) => ({ path: pathOf(f.path), ranges: f.ranges })),
    ...ranges.unexplained.map((f) => ({ path: pathOf(f.path), ranges: f.ranges.map((r) => ({ ...r, author: 'unexplained' as const, contribution: 'unknown' as const })) })),
  ].sort(byPath);
  for (const entry of entries) {
    const conversations: AgentTraceConversation[] = [];
    for (const type of CONTRIBUTIONS) {
      const own = entry.ranges.filter((r) => r.contribution === type);
      if (own.length > 0) {
        conversations.push({ contributor: { type }, ranges: mergeRanges(own) });
      }
    }
    if (conversations.length === 0) {
      continue;
    }
    files.push({ path: entry.path, conversations });
    detail.push({ path: entry.path, ranges: entry.ranges.map((r) => ({ start_line: r.start, end_line: r.end, author: r.author })) });
  }
  return { files, detail };
}

function record(
  name: string,
  ts: number,
  vcs: AgentTraceRecord['vcs'],
  toolVersion: string,
  located: { files: AgentTraceFile[]; detail: WorktraceRecordMetadata['files'] } | undefined,
  meta: Omit<WorktraceRecordMetadata, 'located' | 'files'>,
): AgentTraceRecord {
  return {
    version: AGENT_TRACE_VERSION,
    id: nameBasedUuid(name),
    timestamp: new Date(ts).toISOString(),
    ...(vcs === undefined ? {} : { vcs }),
    tool: { name: 'worktrace', version: toolVersion },
    files: located?.files ?? [],
    metadata: { [METADATA_KEY]: { ...meta, located: located !== undefined, files: located?.detail ?? [] } },
  };
}

/** The Agent Trace records of one episode (see the module comment), in commit order. */
export function agentTraceRecords(episode: EpisodeWithRanges, options: AgentTraceOptions = {}): AgentTraceRecord[] {
  const toolVersion = options.toolVersion ?? 'unknown';
  const goal = { text: episode.goal.text, source: episode.goal.source };
  const records: AgentTraceRecord[] = [];
  for (const step of episode.steps) {
    if (step.type !== 'commit') {
      continue;
    }
    const { sha, authorship } = step.observation;
    const { repo } = step.action;
    const ranges = episode.authorshipRanges?.commits?.find((c) => c.sha === sha)?.ranges;
    const located = ranges === undefined ? undefined : filesOf(ranges, (p) => repoPathOf(repo, p) ?? p);
    records.push(
      record(`${episode.workspace}\n${episode.id}\ncommit\n${sha}`, step.ts, { type: 'git', revision: sha }, toolVersion, located, {
        episode: episode.id,
        workspace: episode.workspace,
        unit: 'commit',
        repo,
        goal,
        ...(authorship === undefined ? {} : { authorship }),
      }),
    );
  }
  if (records.length > 0) {
    return records;
  }
  const patch = episode.authorshipRanges?.patch;
  const locates = patch !== undefined && patch.files.length + patch.unexplained.length > 0;
  const counts = episode.authorship !== undefined && totalOf(episode.authorship.lines) + episode.authorship.unexplained > 0;
  if (!locates && !counts) {
    return [];
  }
  const repos = episode.start.repos;
  const pathOf = repos.length === 1 ? (p: string): string => repoPathOf(repos[0].root, p) ?? p : (p: string): string => p;
  const located = patch === undefined ? undefined : filesOf(patch, pathOf);
  return [
    record(`${episode.workspace}\n${episode.id}\nepisode`, episode.end.ts, undefined, toolVersion, located, {
      episode: episode.id,
      workspace: episode.workspace,
      unit: 'episode',
      goal,
      ...(episode.authorship === undefined ? {} : { authorship: episode.authorship }),
    }),
  ];
}

/** The `agent-trace` export format with the given options. */
export function createAgentTraceFormat(options: AgentTraceOptions = {}): ExportFormat {
  return {
    name: 'agent-trace',
    description: 'Agent Trace 0.1.0 records (who wrote each added line: human, AI, mixed, unknown), one per commit, JSON Lines',
    extension: '.jsonl',
    locatesAuthorship: true,
    create(): ExportWriter {
      return {
        begin: () => '',
        episode: (episode) =>
          agentTraceRecords(episode, options)
            .map((r) => `${JSON.stringify(r)}\n`)
            .join(''),
        end: () => '',
      };
    },
  };
}

/** The `agent-trace` export format (`tool.version` `unknown`; use {@link createAgentTraceFormat} to set it). */
export const agentTraceFormat: ExportFormat = createAgentTraceFormat();
