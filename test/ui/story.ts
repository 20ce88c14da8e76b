/**
 * The short story the workbench tests record through the real page: a module and its test,
 * the test failing in a terminal, the fix typed into the editor and saved, the same test
 * passing (`fixed`), a commit. Files sit at the top of the workspace, named after `name`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { EventOf } from '../../src/trace/events';
import { activeEditor, newestSession, openFromExplorer, runCommand, until, workbench } from './workbench';

export interface Story {
  /** The module (`<name>.js`) and its test (`<name>.test.js`). */
  module: string;
  test: string;
  failing: EventOf<'test.run'>;
  fixed: EventOf<'test.run'>;
  commit: EventOf<'git.commit'>;
  /** The test's name (it appears as the failing test). */
  testName: string;
}

/** Runs a command in the workbench's terminal by typing it, as an engineer does. */
export async function typeInTerminal(page: Page, command: string): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Terminal: Focus Terminal');
  await page.locator('.terminal-wrapper.active .xterm-screen').first().click();
  await page.locator('.xterm.focus').first().waitFor();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Types `command` in the terminal until `recorded` finds what it should record (keystrokes sent while focus moves can be lost). */
async function runUntil<T>(page: Page, command: string, what: string, recorded: () => T | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await typeInTerminal(page, command);
    try {
      return await until(what, recorded, undefined, 20_000);
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

export async function recordStory(name: string, message: string): Promise<Story> {
  const { page, workspace } = workbench();
  const module = `${name}.js`;
  const test = `${name}.test.js`;
  const testName = `${name}: area of a 2 by 3 rectangle`;
  writeFileSync(path.join(workspace, module), 'function area(w, h) {\n  return w + h;\n}\n\nmodule.exports = { area };\n');
  writeFileSync(
    path.join(workspace, test),
    `const test = require('node:test');\nconst assert = require('node:assert');\nconst { area } = require('./${name}');\n\ntest('${testName}', async () => {\n  await new Promise((r) => setTimeout(r, 700));\n  assert.equal(area(2, 3), 6);\n});\n`,
  );
  const runs = () => newestSession().filter((e): e is EventOf<'test.run'> => e.kind === 'test.run' && e.command.includes(test));

  await runCommand(page, 'Terminal: Focus Terminal'); // creates one when there is none
  await page.locator('.terminal-wrapper.active .xterm').first().waitFor();
  await until('a terminal with shell integration', () => newestSession().find((e) => e.kind === 'terminal.open' && e.captured));
  const failing = await runUntil(page, `node --test ${test}`, 'the failing run', () => runs().find((r) => r.outcome === 'failed'));

  // The fix, typed: w + h → w * h.
  await openFromExplorer(page, module);
  await activeEditor(page).click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft'); // after the +
  await page.keyboard.press('Backspace');
  await page.keyboard.type('*');
  await page.keyboard.press('Control+S');
  await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  const fixed = await runUntil(page, `node --test ${test}`, 'the passing run marked fixed', () => runs().find((r) => r.outcome === 'passed' && r.transition === 'fixed'));
  execFileSync('git', ['add', module, test], { cwd: workspace });
  execFileSync('git', ['commit', '-q', '-m', message], { cwd: workspace });
  const commit = await until('the commit in the trace', () => newestSession().find((e): e is EventOf<'git.commit'> => e.kind === 'git.commit' && e.message === message));
  return { module, test, failing, fixed, commit, testName };
}
