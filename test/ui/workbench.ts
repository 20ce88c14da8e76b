/**
 * Shared state of the workbench suite: the live code-server page that the harness
 * (scripts/integration.mjs) opened and ran the in-host suite in.
 */
import type { Page } from 'playwright-core';

export interface Workbench {
  page: Page;
  /** Absolute path of the workspace folder that is open. */
  workspace: string;
  /** Folder of the local trace files (worktrace.file.directory). */
  traces: string;
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
