import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { parseSettings, SETTING_KEYS, type ParsedSettings, type RawSettings, type Settings } from '../config/settings';

/** Reads `worktrace.*` settings, validates them and announces changes. */
export class Configuration extends Disposable {
  private parsed: ParsedSettings;
  private readonly changed = this.register(new vscode.EventEmitter<Settings>());
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Logger) {
    super();
    this.parsed = this.read();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('worktrace')) {
          this.parsed = this.read();
          this.changed.fire(this.parsed.settings);
        }
      }),
    );
  }

  get settings(): Settings {
    return this.parsed.settings;
  }

  get problems(): readonly string[] {
    return this.parsed.problems;
  }

  private read(): ParsedSettings {
    const config = vscode.workspace.getConfiguration('worktrace');
    const raw: RawSettings = {};
    for (const key of SETTING_KEYS) {
      raw[key] = config.get(key);
    }
    const parsed = parseSettings(raw);
    for (const problem of parsed.problems) {
      this.log.warn(problem);
    }
    return parsed;
  }
}
