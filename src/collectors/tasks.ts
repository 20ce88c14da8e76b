import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { TraceSink } from '../trace/events';

/**
 * Turns task processes into `task.run` events (name, source, group, exit code, timing).
 * Not fired by VS Code for CustomExecution tasks.
 */
export class TaskCollector extends Disposable {
  private readonly started = new Map<vscode.TaskExecution, number>();

  constructor(
    private readonly sink: TraceSink,
    log: Logger,
  ) {
    super();
    this.register(vscode.tasks.onDidStartTaskProcess(guard(log, 'task start', (e: vscode.TaskProcessStartEvent) => void this.started.set(e.execution, Date.now()))));
    this.register(vscode.tasks.onDidEndTaskProcess(guard(log, 'task.run', (e: vscode.TaskProcessEndEvent) => this.end(e))));
  }

  private end(e: vscode.TaskProcessEndEvent): void {
    const startTs = this.started.get(e.execution);
    this.started.delete(e.execution);
    const task = e.execution.task;
    this.sink.emit({
      kind: 'task.run',
      name: task.name,
      source: task.source,
      ...(task.group?.id ? { group: task.group.id } : {}),
      exitCode: e.exitCode ?? null,
      startTs: startTs ?? null,
      durationMs: startTs !== undefined ? Date.now() - startTs : null,
      after: [],
    });
  }
}
