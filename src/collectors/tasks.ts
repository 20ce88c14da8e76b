import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { ChangedFile, TraceSink } from '../trace/events';

/**
 * Turns task processes into `task.run` events (name, source, group, exit code, timing).
 * Not fired by VS Code for CustomExecution tasks.
 */
/** Changes on disk made while a task ran (disk/diskCapture.ts), when that capture is on. */
export interface TaskFiles {
  taskStarted(key: string, start: { name: string; startTs: number }): void;
  taskEnded(key: string, endTs: number): Promise<{ files: ChangedFile[]; count: number }>;
}

export class TaskCollector extends Disposable {
  private readonly started = new Map<vscode.TaskExecution, { ts: number; key: string }>();
  private runs = 0;

  constructor(
    private readonly sink: TraceSink,
    log: Logger,
    private readonly files?: TaskFiles,
  ) {
    super();
    this.register(vscode.tasks.onDidStartTaskProcess(guard(log, 'task start', (e: vscode.TaskProcessStartEvent) => this.start(e))));
    this.register(vscode.tasks.onDidEndTaskProcess(guard(log, 'task.run', (e: vscode.TaskProcessEndEvent) => void this.end(e).catch((err: unknown) => log.error(`task.run failed: ${String(err)}`)))));
  }

  private start(e: vscode.TaskProcessStartEvent): void {
    const run = { ts: Date.now(), key: `${++this.runs}` };
    this.started.set(e.execution, run);
    this.files?.taskStarted(run.key, { name: e.execution.task.name, startTs: run.ts });
  }

  private async end(e: vscode.TaskProcessEndEvent): Promise<void> {
    const run = this.started.get(e.execution);
    const startTs = run?.ts;
    this.started.delete(e.execution);
    const task = e.execution.task;
    const end = Date.now();
    const changed = run && this.files ? await this.files.taskEnded(run.key, end).catch(() => undefined) : undefined;
    this.sink.emit({
      kind: 'task.run',
      name: task.name,
      source: task.source,
      ...(task.group?.id ? { group: task.group.id } : {}),
      exitCode: e.exitCode ?? null,
      startTs: startTs ?? null,
      durationMs: startTs !== undefined ? end - startTs : null,
      after: [],
      ...(changed && changed.count > 0 ? { files: changed.files.slice(0, 200), filesCount: changed.count } : {}),
    }, changed ? end : undefined);
  }
}
