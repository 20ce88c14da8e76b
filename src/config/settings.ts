/**
 * Worktrace settings as the rest of the extension sees them: typed, validated, with
 * defaults. Reading them from VS Code is the VS Code layer's job (src/vscode/configuration.ts);
 * this module only validates, so bad values give a clear message and a safe fallback.
 */

export type DestinationKind = 'file' | 'http' | 'otlp';
export const DESTINATIONS: readonly DestinationKind[] = ['file', 'http', 'otlp'];

export interface Settings {
  /** worktrace.enabled: capture in this workspace. */
  enabled: boolean;
  /** Folder for the local trace files; empty = the extension's global storage `traces` folder. */
  fileDirectory: string;
  fileGzip: boolean;
  /** Documents larger than this (UTF-8 bytes) are recorded by hash and size only. */
  maxDocumentBytes: number;
  /** Pause that closes an edit step (ms). */
  editStepPauseMs: number;
  /** The destination as written in settings (validated by `destinationProblem`). */
  destination: string;
  endpointUrl: string;
  endpointHeaders: Record<string, string>;
  endpointTimeoutMs: number;
  /** worktrace.endpoint.allowInsecureToken (machine scope): send the token over plain http to a non-loopback host. */
  allowInsecureToken: boolean;
  spoolMaxBytes: number;
  maxBatchEvents: number;
  flushIntervalMs: number;
  capture: CaptureSwitches;
  /** Characters kept from the start and from the end of a command's output. */
  terminalOutputChars: number;
  /** How long visible ranges or a selection must stay to be recorded (ms). */
  viewDwellMs: number;
  /** More files changed on disk by one command than this: one file.bulk summary. */
  bulkThreshold: number;
  /** Cap of the content store of changes on disk (bytes). */
  diskStoreBytes: number;
  /** Extra secret patterns (worktrace.redact.patterns). */
  redactPatterns: string[];
  /** Globs of excluded files (worktrace.exclude). */
  exclude: string[];
  respectGitignore: boolean;
  /** worktrace.episodes.idleMinutes: a gap this long ends an inferred episode (ms). */
  episodeIdleMs: number;
}

/** Which collectors run (worktrace.capture.*); turning one off disposes its listeners. */
export interface CaptureSwitches {
  terminal: boolean;
  terminalOutput: boolean;
  tasks: boolean;
  tests: boolean;
  debug: boolean;
  diagnostics: boolean;
  git: boolean;
  authorName: boolean;
  /** editor.view, editor.selection, editor.navigate */
  reading: boolean;
  /** file.change, file.bulk */
  diskChanges: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enabled: true,
  fileDirectory: '',
  fileGzip: false,
  maxDocumentBytes: 2 * 1024 * 1024,
  editStepPauseMs: 2000,
  destination: 'file',
  endpointUrl: '',
  endpointHeaders: {},
  endpointTimeoutMs: 30_000,
  allowInsecureToken: false,
  spoolMaxBytes: 512 * 1024 * 1024,
  maxBatchEvents: 500,
  flushIntervalMs: 15_000,
  capture: { terminal: true, terminalOutput: true, tasks: true, tests: true, debug: true, diagnostics: true, git: true, authorName: false, reading: true, diskChanges: true },
  terminalOutputChars: 8 * 1024,
  viewDwellMs: 500,
  bulkThreshold: 200,
  diskStoreBytes: 256 * 1048576,
  redactPatterns: [],
  exclude: ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/*.p12', '**/secrets/**', '**/.aws/**', '**/.ssh/**'],
  respectGitignore: true,
  episodeIdleMs: 30 * 60_000,
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

function boolean(raw: RawSettings, key: string, fallback: boolean, problems: string[]): boolean {
  const value = raw[key];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    problems.push(`worktrace.${key} must be true or false (got ${JSON.stringify(value)}); using ${String(fallback)}.`);
    return fallback;
  }
  return value;
}

const FORBIDDEN_HEADERS = new Set(['authorization', 'content-type', 'content-encoding', 'content-length', 'idempotency-key', 'host']);

function headers(raw: RawSettings, key: string, problems: string[]): Record<string, string> {
  const value = raw[key];
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`worktrace.${key} must be an object of header names to values; ignoring it.`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      problems.push(`worktrace.${key}: header ${JSON.stringify(name)} must have a token name and a string value; ignoring it.`);
    } else if (FORBIDDEN_HEADERS.has(name.toLowerCase())) {
      problems.push(`worktrace.${key}: header ${name} is set by Worktrace itself${name.toLowerCase() === 'authorization' ? ' (set the token with "Worktrace: Set Endpoint Token", kept in the OS keychain)' : ''}; ignoring it.`);
    } else {
      out[name] = v;
    }
  }
  return out;
}

function strings(raw: RawSettings, key: string, problems: string[]): string[] {
  const value = raw[key];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    problems.push(`worktrace.${key} must be a list of strings; ignoring it.`);
    return [];
  }
  return value as string[];
}

export function parseSettings(raw: RawSettings): ParsedSettings {
  const problems: string[] = [];
  const settings: Settings = {
    enabled: boolean(raw, 'enabled', true, problems),
    fileDirectory: string(raw, 'file.directory', DEFAULT_SETTINGS.fileDirectory, problems),
    fileGzip: boolean(raw, 'file.gzip', DEFAULT_SETTINGS.fileGzip, problems),
    maxDocumentBytes: Math.round(number(raw, 'capture.maxDocumentKilobytes', DEFAULT_SETTINGS.maxDocumentBytes / 1024, 1, 1024 * 1024, problems) * 1024),
    editStepPauseMs: Math.round(number(raw, 'editStep.pauseSeconds', DEFAULT_SETTINGS.editStepPauseMs / 1000, 0.1, 600, problems) * 1000),
    destination: string(raw, 'destination', DEFAULT_SETTINGS.destination, problems),
    endpointUrl: string(raw, 'endpoint.url', DEFAULT_SETTINGS.endpointUrl, problems),
    endpointHeaders: headers(raw, 'endpoint.headers', problems),
    endpointTimeoutMs: Math.round(number(raw, 'endpoint.timeoutSeconds', DEFAULT_SETTINGS.endpointTimeoutMs / 1000, 1, 600, problems) * 1000),
    allowInsecureToken: boolean(raw, 'endpoint.allowInsecureToken', false, problems),
    spoolMaxBytes: Math.round(number(raw, 'spool.maxMegabytes', DEFAULT_SETTINGS.spoolMaxBytes / 1048576, 1, 1024 * 1024, problems) * 1048576),
    maxBatchEvents: Math.round(number(raw, 'flush.maxBatchEvents', DEFAULT_SETTINGS.maxBatchEvents, 1, 100_000, problems)),
    flushIntervalMs: Math.round(number(raw, 'flush.intervalSeconds', DEFAULT_SETTINGS.flushIntervalMs / 1000, 0.1, 3600, problems) * 1000),
    capture: {
      terminal: boolean(raw, 'capture.terminal', true, problems),
      terminalOutput: boolean(raw, 'capture.terminalOutput', true, problems),
      tasks: boolean(raw, 'capture.tasks', true, problems),
      tests: boolean(raw, 'capture.tests', true, problems),
      debug: boolean(raw, 'capture.debug', true, problems),
      diagnostics: boolean(raw, 'capture.diagnostics', true, problems),
      git: boolean(raw, 'capture.git', true, problems),
      authorName: boolean(raw, 'capture.authorName', false, problems),
      reading: boolean(raw, 'capture.reading', true, problems),
      diskChanges: boolean(raw, 'capture.diskChanges', true, problems),
    },
    bulkThreshold: Math.round(number(raw, 'diskChanges.bulkThreshold', 200, 1, 100_000, problems)),
    diskStoreBytes: Math.round(number(raw, 'diskChanges.storeMegabytes', 256, 1, 65_536, problems) * 1048576),
    terminalOutputChars: Math.round(number(raw, 'capture.terminalOutputKilobytes', 8, 0, 1024, problems) * 1024),
    viewDwellMs: Math.round(number(raw, 'capture.viewDwellMilliseconds', 500, 50, 10_000, problems)),
    redactPatterns: strings(raw, 'redact.patterns', problems),
    exclude: raw.exclude === undefined || raw.exclude === null ? DEFAULT_SETTINGS.exclude : strings(raw, 'exclude', problems),
    respectGitignore: boolean(raw, 'respectGitignore', true, problems),
    episodeIdleMs: Math.round(number(raw, 'episodes.idleMinutes', 30, 1, 1440, problems) * 60_000),
  };
  return { settings, problems };
}

/**
 * Why the configured destination cannot be used, or undefined when it can. Until it is
 * fixed, events stay in the local spool: nothing is lost.
 */
export function destinationProblem(settings: Settings): string | undefined {
  if (!(DESTINATIONS as readonly string[]).includes(settings.destination)) {
    return `worktrace.destination "${settings.destination}" is not one of ${DESTINATIONS.join(', ')}`;
  }
  if (settings.destination === 'file') {
    return undefined;
  }
  if (!settings.endpointUrl) {
    return `worktrace.destination is "${settings.destination}" but worktrace.endpoint.url is empty: set the URL of the receiver or collector`;
  }
  let url: URL;
  try {
    url = new URL(settings.endpointUrl);
  } catch {
    return `worktrace.endpoint.url "${settings.endpointUrl}" is not a valid URL (expected e.g. https://collector.example.com:4318)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `worktrace.endpoint.url must use http or https (got ${url.protocol})`;
  }
  if (url.username || url.password) {
    return 'worktrace.endpoint.url must not contain credentials: set the token with "Worktrace: Set Endpoint Token" (kept in the OS keychain)';
  }
  return undefined;
}

/** The setting names this module reads (without the prefix), for the VS Code layer. */
export const SETTING_KEYS = [
  'enabled',
  'file.directory',
  'file.gzip',
  'capture.maxDocumentKilobytes',
  'editStep.pauseSeconds',
  'destination',
  'endpoint.url',
  'endpoint.headers',
  'endpoint.timeoutSeconds',
  'endpoint.allowInsecureToken',
  'spool.maxMegabytes',
  'flush.maxBatchEvents',
  'flush.intervalSeconds',
  'capture.terminal',
  'capture.terminalOutput',
  'capture.terminalOutputKilobytes',
  'capture.tasks',
  'capture.tests',
  'capture.debug',
  'capture.diagnostics',
  'capture.git',
  'capture.authorName',
  'capture.reading',
  'capture.viewDwellMilliseconds',
  'capture.diskChanges',
  'diskChanges.bulkThreshold',
  'diskChanges.storeMegabytes',
  'redact.patterns',
  'exclude',
  'respectGitignore',
  'episodes.idleMinutes',
] as const;
