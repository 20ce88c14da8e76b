import { CollectorSet } from '../capture/collectorSet';
import { DebugCollector } from '../collectors/debug';
import { DiagnosticsCollector } from '../collectors/diagnostics';
import { DocumentCollector } from '../collectors/documents';
import { FileCollector } from '../collectors/files';
import { GitCollector } from '../collectors/git';
import { TaskCollector } from '../collectors/tasks';
import { TerminalCollector } from '../collectors/terminal';
import { TestResultsCollector } from '../collectors/testResults';
import type { Logger } from '../common/logger';
import type { Settings } from '../config/settings';
import type { GitInspector } from '../git/inspector';
import type { TraceSink } from '../trace/events';
import type { TracePaths } from './paths';

export interface CollectorDeps {
  sink: TraceSink;
  paths: TracePaths;
  settings: () => Settings;
  inspector: GitInspector;
  onUncapturedTerminal: (name: string) => void;
  log: Logger;
}

/** Every collector, each switched by its worktrace.capture.* setting. */
export function createCollectors({ sink, paths, settings, inspector, onUncapturedTerminal, log }: CollectorDeps): CollectorSet {
  let documents: DocumentCollector | undefined;
  const on = (key: keyof Settings['capture']) => () => settings().capture[key];
  return new CollectorSet(
    {
      documents: { enabled: () => true, create: () => (documents = new DocumentCollector(sink, paths, { get maxDocumentBytes() { return settings().maxDocumentBytes; } }, log)) },
      files: { enabled: () => true, create: () => new FileCollector(sink, paths, log) },
      terminal: {
        enabled: on('terminal'),
        create: () => new TerminalCollector(sink, paths, { get output() { return settings().capture.terminalOutput; }, get outputChars() { return settings().terminalOutputChars; } }, onUncapturedTerminal, log),
      },
      tasks: { enabled: on('tasks'), create: () => new TaskCollector(sink, log) },
      tests: { enabled: () => settings().capture.tests && TestResultsCollector.available(), create: () => new TestResultsCollector(sink, log) },
      debug: { enabled: on('debug'), create: () => new DebugCollector(sink, paths, { get outputChars() { return settings().terminalOutputChars; } }, log) },
      diagnostics: { enabled: on('diagnostics'), create: () => new DiagnosticsCollector(sink, paths, 500, log) },
      git: { enabled: on('git'), create: () => new GitCollector(sink, paths, inspector, { get authorName() { return settings().capture.authorName; } }, log) },
    },
    log,
    () => documents?.settleAll(),
  );
}
