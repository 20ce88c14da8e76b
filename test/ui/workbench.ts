/**
 * Shared state of the workbench suite: the live code-server page that the harness
 * (scripts/integration.mjs) opened and ran the in-host suite in.
 */
import type { Page } from 'playwright-core';
import type { TraceEvent } from '../../src/trace/events';
import { readTrace } from '../../src/trace/readTrace';
import { groupSessions } from '../../src/trace/sessionOrder';

export interface Workbench {
  page: Page;
  /** Absolute path of the workspace folder that is open. */
  workspace: string;
  /** Folder of the local trace files (worktrace.file.directory). */
  traces: string;
  /** The user settings file of the window (VS Code applies changes to it live). */
  userSettings: string;
  /** Where to save a screenshot of the workbench, if asked. */
  screenshot?: string;
}

let current: Workbench | undefined;

export function setWorkbench(workbench: Workbench): void {
  current = workbench;
}

export function workbench(): Workbench {
  if (!current) {
    throw new Error('the workbench suite runs only from scripts/integration.mjs');
  }
  return current;
}

/** The status bar entry of Worktrace (its DOM id is the item id). */
export function statusItem(page: Page) {
  return page.locator('.statusbar-item[id$="worktrace.status"]');
}

/** The little of the browser's globals the workbench tests use (they compile for Node). */
interface BrowserGlobals {
  navigator: { clipboard: { writeText(text: string): Promise<void> } };
}

/** Pastes text into the active editor through the real clipboard and Ctrl+V. */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  await page.evaluate((t) => (globalThis as unknown as BrowserGlobals).navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

/** Runs a command from the command palette, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  // Select the row that names exactly this command: the first row may be a look-alike
  // ("Terminal: Focus Terminal Tabs View") or a recently used one.
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.getByText(title, { exact: true }) }).first();
  await row.waitFor();
  await row.click();
}

/** Replaces the user settings through the settings.json editor of the workbench. */
export async function writeUserSettings(page: Page, settings: Record<string, unknown>): Promise<void> {
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tabs-container .tab.active').filter({ hasText: 'settings.json' }).waitFor();
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await pasteIntoEditor(page, JSON.stringify(settings, null, 2));
  await page.locator('.tabs-container .tab.active.dirty').waitFor();
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  await runCommand(page, 'View: Close Editor');
}

/** Opens a file at the top of the workspace by clicking it in the Explorer, as a user would. */
export async function openFromExplorer(page: Page, name: string): Promise<void> {
  // Earlier windows may have left another view open or folders expanded: show the Explorer, folders collapsed.
  await runCommand(page, 'View: Show Explorer');
  await runCommand(page, 'Collapse Folders in Explorer');
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.getByText(name, { exact: true }) }).first();
  await row.waitFor();
  await row.dblclick();
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor();
}

/** The active editor's text area. */
export function activeEditor(page: Page) {
  return page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
}

/**
 * Polls `probe` until it returns a value (files written by another process and the workbench
 * DOM have no event to await from here); fails naming `what` after `timeoutMs` (about 20 s).
 */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, describe?: () => string, timeoutMs = 20_000): Promise<T> {
  const { page } = workbench();
  for (let i = 0; i < timeoutMs / 200; i++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`timed out waiting for ${what}${describe ? `: ${describe()}` : ''}`);
}

/** The events of the newest session in the trace folder (this window's, unless it was reloaded since). */
export function newestSession(): TraceEvent[] {
  const sessions = groupSessions(readTrace(workbench().traces));
  return sessions.sort((a, b) => a.firstTs - b.firstTs).at(-1)?.events ?? [];
}

/** Opens a file by name through Quick Open (Ctrl+P), as a user would. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  // Quick Open's file search may not list a file created a moment ago yet: ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape'); // whatever a previous step left open
    await page.keyboard.press('Control+P');
    await page.keyboard.type(name);
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.getByText(name, { exact: true }) }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      await row.click();
      break;
    } catch (e) {
      if (attempt >= 6) throw e;
    }
  }
  await page.locator('.tabs-container .tab.active').filter({ hasText: name }).waitFor();
}
