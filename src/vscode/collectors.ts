import { CollectorSet } from '../capture/collectorSet';
import type { TurnBudget } from '../common/turnBudget';
import { TurnQueue } from '../common/turnQueue';
import { DebugCollector } from '../collectors/debug';
import { DiagnosticsCollector } from '../collectors/diagnostics';
import { DiskChangeCollector } from '../collectors/diskChanges';
import { DocumentCollector } from '../collectors/documents';
import { FileCollector } from '../collectors/files';
import { GitCollector } from '../collectors/git';
import { SelectionCollector } from '../collectors/selections';
import { ViewCollector } from '../collectors/views';
import { TaskCollector } from '../collectors/tasks';
import { TerminalCollector } from '../collectors/terminal';
import { TestResultsCollector } from '../collectors/testResults';
import { disposeAll } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { DiskCapture } from '../disk/diskCapture';
import type { Settings } from '../config/settings';
import type { GitInspector } from '../git/inspector';
import type { Authorship, TraceSink } from '../trace/events';
import { EditSignalSource } from './editSignals';
import { NavigationSignals } from './navigationSignals';
import type { TracePaths } from './paths';

export interface CollectorDeps {
  sink: TraceSink;
  paths: TracePaths;
  settings: () => Settings;
  inspector: GitInspector;
  onUncapturedTerminal: (name: string) => void;
  /** Who wrote the lines a commit adds. */
  authorship?: (root: string, repo: string, sha: string) => Promise<Authorship | undefined>;
  /** Changes on disk (undefined until the content store is open, or without a workspace). */
  disk?: () => DiskCapture | undefined;
  /** What the document and disk collectors' work may take of one turn of the event loop, shared with the Recorder (see TurnBudget); default: no limit. */
  turnBudget?: TurnBudget;
  log: Logger;
}

/** Every collector, each switched by its worktrace.capture.* setting. */
export function createCollectors({ sink, paths, settings, inspector, onUncapturedTerminal, authorship, disk, turnBudget, log }: CollectorDeps): CollectorSet {
  // One queue for the document and disk collectors: an open before its edits, a save before the watcher's report of it.
  const turns = new TurnQueue(log, turnBudget === undefined ? {} : { budget: turnBudget });
  const diskOn = (): DiskCapture | undefined => (settings().capture.diskChanges ? disk?.() : undefined);
  let documents: DocumentCollector | undefined;
  let reading: { flush(): void } | undefined;
  const on = (key: keyof Settings['capture']) => () => settings().capture[key];
  return new CollectorSet(
    {
      documents: {
        enabled: () => true,
        create: () => {
          const signals = new EditSignalSource(log);
          documents = new DocumentCollector(sink, paths, { get maxDocumentBytes() { return settings().maxDocumentBytes; } }, log, signals, turns);
          const collector = documents;
          return { dispose: () => disposeAll([signals, collector]) };
        },
      },
      files: { enabled: () => true, create: () => new FileCollector(sink, paths, log) },
      terminal: {
        enabled: on('terminal'),
        create: () => new TerminalCollector(sink, paths, { get output() { return settings().capture.terminalOutput; }, get outputChars() { return settings().terminalOutputChars; } }, onUncapturedTerminal, log, diskOn()),
      },
      tasks: { enabled: on('tasks'), create: () => new TaskCollector(sink, log, diskOn()) },
      diskChanges: {
        enabled: () => diskOn() !== undefined,
        create: () => {
          const capture = diskOn();
          if (!capture) throw new Error('changes on disk are not available');
          return new DiskChangeCollector(capture, paths, log, turns);
        },
      },
      tests: { enabled: () => settings().capture.tests && TestResultsCollector.available(), create: () => new TestResultsCollector(sink, log) },
      debug: { enabled: on('debug'), create: () => new DebugCollector(sink, paths, { get outputChars() { return settings().terminalOutputChars; } }, log) },
      diagnostics: { enabled: on('diagnostics'), create: () => new DiagnosticsCollector(sink, paths, 500, log) },
      reading: {
        enabled: on('reading'),
        create: () => {
          const navigation = new NavigationSignals();
          const views = new ViewCollector(sink, paths, { dwellMs: settings().viewDwellMs }, log);
          const selections = new SelectionCollector(sink, paths, navigation, { dwellMs: settings().viewDwellMs }, log);
          reading = { flush: () => (views.flush(), selections.flush()) };
          return { dispose: () => ((reading = undefined), disposeAll([navigation, views, selections])) };
        },
      },
      git: { enabled: on('git'), create: () => new GitCollector(sink, paths, inspector, { get authorName() { return settings().capture.authorName; }, ...(authorship ? { authorship } : {}) }, log) },
    },
    log,
    () => {
      turns.drain();
      documents?.settleAll();
      reading?.flush();
    },
  );
}
