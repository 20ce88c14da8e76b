/**
 * Worktrace settings as the rest of the extension sees them: typed, validated, with
 * defaults. Reading them from VS Code is the VS Code layer's job (src/vscode/configuration.ts);
 * this module only validates, so bad values give a clear message and a safe fallback.
 */

export interface Settings {
  /** Folder for the local trace files; empty = the extension's global storage `traces` folder. */
  fileDirectory: string;
  /** Documents larger than this (UTF-8 bytes) are recorded by hash and size only. */
  maxDocumentBytes: number;
  /** Pause that closes an edit step (ms). */
  editStepPauseMs: number;
}

export const DEFAULT_SETTINGS: Settings = {
  fileDirectory: '',
  maxDocumentBytes: 2 * 1024 * 1024,
  editStepPauseMs: 2000,
};

export interface ParsedSettings {
  settings: Settings;
  /** One message per invalid value: what is wrong and what is used instead. */
  problems: string[];
}

/** Raw values as read from configuration, keyed by setting name without the `worktrace.` prefix. */
export type RawSettings = Record<string, unknown>;

function number(raw: RawSettings, key: string, fallback: number, min: number, max: number, problems: string[]): number {
  const value = raw[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push(`worktrace.${key} must be a number from ${min} to ${max} (got ${JSON.stringify(value)}); using ${fallback}.`);
    return fallback;
  }
  return value;
}

function string(raw: RawSettings, key: string, fallback: string, problems: string[]): string {
  const value = raw[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'string') {
    problems.push(`worktrace.${key} must be a string (got ${JSON.stringify(value)}); using the default.`);
    return fallback;
  }
  return value.trim();
}

export function parseSettings(raw: RawSettings): ParsedSettings {
  const problems: string[] = [];
  const settings: Settings = {
    fileDirectory: string(raw, 'file.directory', DEFAULT_SETTINGS.fileDirectory, problems),
    maxDocumentBytes: Math.round(number(raw, 'capture.maxDocumentKilobytes', DEFAULT_SETTINGS.maxDocumentBytes / 1024, 1, 1024 * 1024, problems) * 1024),
    editStepPauseMs: Math.round(number(raw, 'editStep.pauseSeconds', DEFAULT_SETTINGS.editStepPauseMs / 1000, 0.1, 600, problems) * 1000),
  };
  return { settings, problems };
}

/** The setting names this module reads (without the prefix), for the VS Code layer. */
export const SETTING_KEYS = ['file.directory', 'capture.maxDocumentKilobytes', 'editStep.pauseSeconds'] as const;
