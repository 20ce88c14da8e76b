/**
 * Who may set what. `.vscode/settings.json` belongs to the repository, not to the engineer:
 * whoever controls the repository (a team lead, or anyone who can push) may turn capture
 * off, narrow it and choose a destination (which the engineer then consents to), but only
 * the engineer's own settings (user or machine) may widen it. A workspace value that would
 * widen capture is ignored, and said so once.
 *
 * Plain Node: the VS Code layer passes the values of each level (`inspect()`), this module
 * decides the effective value.
 */

/**
 * - `any`: the usual precedence (workspace over user over default): the value does not
 *   widen capture (a destination still needs the engineer's consent; a batch size…).
 * - `engineer`: only the engineer's own settings count; a workspace value is ignored
 *   (storage folders, the insecure-token opt-in).
 * - `off-only`: a switch whose `true` records more: a workspace may turn it off, not on.
 * - `on-only`: a switch whose `true` records less (`respectGitignore`): a workspace may turn it on, not off.
 * - `lower-only`: a limit whose larger value records more: a workspace may lower it, not raise it.
 * - `union`: a list of things kept out (exclusions, redaction patterns): a workspace's
 *   entries are added to the engineer's (or to the defaults), never put in their place.
 */
export type TrustPolicy = 'any' | 'engineer' | 'off-only' | 'on-only' | 'lower-only' | 'union';

/** Every setting (without the `worktrace.` prefix) and who may set it; the README's table says why. */
export const SETTING_POLICY: Readonly<Record<string, TrustPolicy>> = {
  enabled: 'off-only',
  'file.directory': 'engineer',
  'file.gzip': 'any',
  'capture.maxDocumentKilobytes': 'lower-only',
  'editStep.pauseSeconds': 'any',
  destination: 'any',
  'endpoint.url': 'any',
  'endpoint.headers': 'any',
  'endpoint.timeoutSeconds': 'any',
  'endpoint.allowInsecureToken': 'engineer',
  'spool.maxMegabytes': 'engineer',
  'flush.maxBatchEvents': 'any',
  'flush.intervalSeconds': 'any',
  'capture.terminal': 'off-only',
  'capture.terminalOutput': 'off-only',
  'capture.terminalOutputKilobytes': 'lower-only',
  'capture.tasks': 'off-only',
  'capture.tests': 'off-only',
  'capture.debug': 'off-only',
  'capture.diagnostics': 'off-only',
  'capture.git': 'off-only',
  'capture.authorName': 'off-only',
  'capture.reading': 'off-only',
  'capture.viewDwellMilliseconds': 'any',
  'capture.diskChanges': 'off-only',
  'diskChanges.bulkThreshold': 'any',
  'diskChanges.storeMegabytes': 'engineer',
  'redact.patterns': 'union',
  exclude: 'union',
  respectGitignore: 'on-only',
  'episodes.idleMinutes': 'any',
};

/** The values of one setting at each level, as VS Code's `inspect()` gives them. */
export interface SettingLevels {
  defaultValue?: unknown;
  /** User (and remote/machine) settings: the engineer's own. */
  userValue?: unknown;
  /** `.vscode/settings.json` or the workspace file: the repository's. */
  workspaceValue?: unknown;
  /** A folder's `.vscode/settings.json` in a multi-root workspace: the repository's too. */
  workspaceFolderValue?: unknown;
}

export interface TrustedValue {
  /** The value to use (undefined: the default applies). */
  value: unknown;
  /** Set when the workspace asked for something only the engineer may grant: what and why, for the log and the tooltip. */
  ignored?: string;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The effective value of `worktrace.<key>` under its policy. Values of the wrong type are
 * passed on as they are (settings.ts reports them and falls back to the default).
 */
export function trustedValue(key: string, levels: SettingLevels): TrustedValue {
  const policy = SETTING_POLICY[key] ?? 'engineer';
  const workspace = levels.workspaceFolderValue !== undefined ? levels.workspaceFolderValue : levels.workspaceValue;
  const own = levels.userValue !== undefined ? levels.userValue : levels.defaultValue;
  const name = `worktrace.${key}`;
  if (workspace === undefined) {
    return { value: own };
  }
  switch (policy) {
    case 'any':
      return { value: workspace };
    case 'engineer':
      return same(workspace, own) ? { value: own } : { value: own, ignored: `${name}: only your user or machine settings may set it` };
    case 'off-only':
      if (workspace === false || same(workspace, own)) {
        return { value: workspace === false ? false : own };
      }
      return { value: own, ignored: `${name}: the workspace may turn it off, not on (turning it on records more)` };
    case 'on-only':
      if (workspace === true || same(workspace, own)) {
        return { value: workspace === true ? true : own };
      }
      return { value: own, ignored: `${name}: the workspace may turn it on, not off (turning it off records more)` };
    case 'lower-only': {
      if (typeof workspace !== 'number' || typeof own !== 'number') {
        return { value: own, ...(same(workspace, own) ? {} : { ignored: `${name}: the workspace value is not a number` }) };
      }
      if (workspace <= own) {
        return { value: workspace };
      }
      return { value: own, ignored: `${name}: the workspace may lower it, not raise it above ${own}` };
    }
    case 'union': {
      const mine = Array.isArray(own) ? (own as unknown[]) : [];
      if (!Array.isArray(workspace)) {
        return { value: own, ignored: `${name}: the workspace value is not a list` };
      }
      const merged = [...mine];
      for (const item of workspace as unknown[]) {
        if (!merged.some((m) => same(m, item))) {
          merged.push(item);
        }
      }
      // A list that only leaves entries out (an empty list, a subset) asks to remove them: say
      // so. A list with entries of its own is taken as additions (the usual case of a team lead).
      const dropped = mine.filter((m) => !(workspace as unknown[]).some((w) => same(w, m)));
      const adds = merged.length > mine.length;
      return dropped.length > 0 && !adds
        ? { value: merged, ignored: `${name}: the workspace's list is added to yours, it cannot remove ${dropped.map((d) => JSON.stringify(d)).join(', ')}` }
        : { value: merged };
    }
  }
}
