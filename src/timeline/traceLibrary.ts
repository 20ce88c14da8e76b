/**
 * The timeline's sessions, read from the local trace files through the one trace reader
 * (`openTraceSource`): the trace as written, after redaction and exclusion. A missing folder
 * is an empty library; damage in the files of a session is reported and reading goes on past
 * it. Plain Node.
 */
import { existsSync } from 'node:fs';
import type { ReadProblem } from '../trace/readReport';
import { openTraceSource } from '../trace/source';
import type { TraceEvent } from '../trace/events';
import type { LibraryProblem, LoadResult, SessionLibrary } from './library';
import type { SessionSummary } from './protocol';

export class TraceFolderLibrary implements SessionLibrary {
  constructor(private readonly folder: () => string) {}

  async list(): Promise<SessionSummary[]> {
    const folder = this.folder();
    if (!existsSync(folder)) {
      return [];
    }
    const infos = await openTraceSource([folder]).index();
    return infos.map((s) => ({ id: s.id, workspace: s.workspace, firstTs: s.firstTs, lastTs: s.lastTs, events: s.events }));
  }

  async load(id: string, onChunk: (events: readonly TraceEvent[]) => void, onProblem: (problem: LibraryProblem) => void, signal?: AbortSignal): Promise<LoadResult | void> {
    const folder = this.folder();
    if (!existsSync(folder)) {
      return;
    }
    const problems: ReadProblem[] = [];
    const source = openTraceSource([folder], { onProblem: (p) => problems.push(p) });
    const info = (await source.index()).find((s) => s.id === id);
    if (!info || signal?.aborted) {
      return;
    }
    const ours = problems.filter((p) => info.files.includes(p.source));
    for (const p of ours) {
      onProblem({ message: p.message, file: p.source, ...(p.line !== undefined ? { line: p.line } : {}) });
    }
    for await (const session of source.sessions((s) => s.id === id)) {
      if (signal?.aborted) {
        return;
      }
      onChunk(session.events);
    }
    if (ours.length === 0) {
      return;
    }
    const files = new Set(ours.map((p) => p.source)).size;
    return { problemSummary: `${ours.length} part${ours.length === 1 ? '' : 's'} of ${files} trace file${files === 1 ? '' : 's'} of this session could not be read (damaged lines or a gzip cut short); everything else is shown` };
  }
}
