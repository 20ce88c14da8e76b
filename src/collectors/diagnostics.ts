import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { guard, type Logger } from '../common/logger';
import type { DiagnosticCounts, NewEventOf, TraceSink } from '../trace/events';
import type { TracePaths } from '../vscode/paths';

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

interface FileState {
  counts: DiagnosticCounts;
  keys: Set<string>;
}

function key(d: vscode.Diagnostic): string {
  return `${d.severity}|${d.range.start.line}|${String(typeof d.code === 'object' ? d.code.value : (d.code ?? ''))}|${d.message}`;
}

/**
 * Turns diagnostics into `diagnostics.change` events: per file, error and warning counts
 * before and after, and up to 20 new diagnostics. A language server can publish many
 * times a second: the handler only notes which files changed; they are compared at most
 * once per `throttleMs`, and an event is written only when the counts changed.
 */
export class DiagnosticsCollector extends Disposable {
  private readonly state = new Map<string, FileState>();
  private readonly dirty = new Map<string, vscode.Uri>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: TraceSink,
    private readonly paths: TracePaths,
    private readonly throttleMs: number,
    log: Logger,
  ) {
    super();
    this.register(
      vscode.languages.onDidChangeDiagnostics(
        guard(log, 'diagnostics', (e: vscode.DiagnosticChangeEvent) => {
          for (const uri of e.uris) {
            this.dirty.set(uri.toString(), uri);
          }
          this.timer ??= setTimeout(guard(log, 'diagnostics.change', () => this.flush()), this.throttleMs);
        }),
      ),
    );
    // Start from what is known now, without events: only changes are recorded.
    const seed = setTimeout(
      guard(log, 'diagnostics seed', () => {
        for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
          if (!this.state.has(uri.toString())) {
            this.state.set(uri.toString(), this.measure(diagnostics));
          }
        }
      }),
      0,
    );
    this.register({
      dispose: () => {
        clearTimeout(seed);
        clearTimeout(this.timer);
      },
    });
  }

  private measure(diagnostics: readonly vscode.Diagnostic[]): FileState {
    const counts = { errors: 0, warnings: 0 };
    const keys = new Set<string>();
    for (const d of diagnostics) {
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
      keys.add(key(d));
    }
    return { counts, keys };
  }

  private flush(): void {
    this.timer = undefined;
    const uris = [...this.dirty.values()];
    this.dirty.clear();
    for (const uri of uris) {
      const location = this.paths.locate(uri);
      if (!location || location.outside) {
        continue; // messages of files outside the workspace would reveal their content
      }
      const diagnostics = vscode.languages.getDiagnostics(uri);
      const before = this.state.get(uri.toString()) ?? { counts: { errors: 0, warnings: 0 }, keys: new Set<string>() };
      const after = this.measure(diagnostics);
      this.state.set(uri.toString(), after);
      if (before.counts.errors === after.counts.errors && before.counts.warnings === after.counts.warnings) {
        continue;
      }
      const added: NewEventOf<'diagnostics.change'>['new'] = [];
      for (const d of diagnostics) {
        if (added.length >= 20) break;
        if (!before.keys.has(key(d))) {
          const code = typeof d.code === 'object' ? d.code.value : d.code;
          added.push({
            severity: SEVERITY[d.severity] ?? 'info',
            message: d.message.slice(0, 2000),
            ...(d.source ? { source: d.source } : {}),
            ...(code !== undefined ? { code: String(code) } : {}),
            line: d.range.start.line + 1,
          });
        }
      }
      this.sink.emit({ kind: 'diagnostics.change', path: location.path, before: before.counts, after: after.counts, new: added });
    }
  }
}
