import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import { parseSettings, SETTING_KEYS, type ParsedSettings, type RawSettings, type Settings } from '../config/settings';
import { trustedValue } from '../config/trust';

/**
 * Reads `worktrace.*` settings level by level (`inspect()`), applies who may set what
 * (config/trust.ts: a workspace may narrow capture, only the engineer may widen it),
 * validates them and announces changes. What a workspace asked for and was refused is
 * logged once and kept for the status bar tooltip.
 */
export class Configuration extends Disposable {
  private parsed: ParsedSettings;
  private refused: string[] = [];
  private readonly logged = new Set<string>();
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

  /** Workspace settings that asked for what only the engineer may grant, and were ignored. */
  get ignoredWorkspaceSettings(): readonly string[] {
    return this.refused;
  }

  private read(): ParsedSettings {
    const all = sectionLevels();
    const config = all ? undefined : vscode.workspace.getConfiguration('worktrace');
    const raw: RawSettings = {};
    const refused: string[] = [];
    for (const key of SETTING_KEYS) {
      const levels = all ? levelsOf(all, key) : config?.inspect(key);
      const trusted = trustedValue(key, {
        defaultValue: levels?.defaultValue,
        userValue: levels?.globalValue,
        workspaceValue: levels?.workspaceValue,
        workspaceFolderValue: levels?.workspaceFolderValue,
      });
      raw[key] = trusted.value;
      if (trusted.ignored) {
        refused.push(trusted.ignored);
      }
    }
    this.refused = refused;
    for (const message of refused) {
      if (!this.logged.has(message)) {
        this.logged.add(message);
        this.log.warn(`ignored a workspace setting: ${message}. Only your own (user or machine) settings may widen what Worktrace records.`);
      }
    }
    const parsed = parseSettings(raw);
    for (const problem of parsed.problems) {
      this.log.warn(problem);
    }
    return parsed;
  }
}

interface Levels {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * Every level of the whole `worktrace` section in one `inspect()`: one call instead of one per
 * setting (each costs the extension host about a millisecond at start-up). Undefined when
 * VS Code does not answer for a section.
 */
function sectionLevels(): Levels | undefined {
  const levels = vscode.workspace.getConfiguration().inspect<Record<string, unknown>>('worktrace');
  return levels && typeof levels.defaultValue === 'object' && levels.defaultValue !== null ? levels : undefined;
}

/** One setting's value at each level, out of the section's (`file.directory` → `.file.directory`). */
function levelsOf(all: Levels, key: string): Levels {
  const pick = (tree: unknown): unknown => key.split('.').reduce<unknown>((v, part) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined), tree);
  return { defaultValue: pick(all.defaultValue), globalValue: pick(all.globalValue), workspaceValue: pick(all.workspaceValue), workspaceFolderValue: pick(all.workspaceFolderValue) };
}
