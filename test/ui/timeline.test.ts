import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { EventOf } from '../../src/trace/events';
import { activeEditor, newestSession, openFromExplorer, runCommand, statusItem, until, workbench } from './workbench';

/** The webview frame of the timeline: the nested frame whose document holds the canvas. */
async function timelineFrame(page: Page): Promise<Frame> {
  return until('the timeline webview', async () => {
    for (const frame of page.frames()) {
      if (frame.url().includes('/webview/') && (await frame.locator('#timeline-canvas').count().catch(() => 0)) > 0) {
        return frame;
      }
    }
    return undefined;
  });
}

/** Runs a command in the workbench's terminal by typing it, as an engineer does. */
async function typeInTerminal(page: Page, command: string): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await runCommand(page, 'Terminal: Focus Terminal');
  await page.locator('.xterm.focus').first().waitFor();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Picks a colour theme through the command palette; resolves once the workbench shows it. */
async function chooseTheme(page: Page, name: 'Light Modern' | 'Dark Modern'): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await page.keyboard.type(name);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: name }).first().click();
  await page.locator(name === 'Dark Modern' ? '.monaco-workbench.vs-dark' : '.monaco-workbench.vs:not(.vs-dark)').first().waitFor();
}

/** Where the screenshots go: WORKTRACE_SCREENSHOTS, or a temp folder (printed). */
function screenshotFolder(): string {
  const folder = process.env.WORKTRACE_SCREENSHOTS ?? path.join(tmpdir(), 'worktrace-screenshots');
  mkdirSync(folder, { recursive: true });
  return folder;
}

suite('workbench: the timeline view', () => {
  test('a recorded story: lanes and the event list, a failing run with its failing test, an edit step with its diff, and the link that opens the file; light and dark screenshots', async function () {
    this.timeout(240_000); // a whole story through the page: terminal runs, typing, a commit, two themes
    const { page, workspace } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });
    writeFileSync(path.join(workspace, 'tl.js'), 'function area(w, h) {\n  return w + h;\n}\n\nmodule.exports = { area };\n');
    writeFileSync(
      path.join(workspace, 'tl.test.js'),
      "const test = require('node:test');\nconst assert = require('node:assert');\nconst { area } = require('./tl');\n\ntest('area of a 2 by 3 rectangle', async () => {\n  await new Promise((r) => setTimeout(r, 700));\n  assert.equal(area(2, 3), 6);\n});\n",
    );
    const runs = () => newestSession().filter((e): e is EventOf<'test.run'> => e.kind === 'test.run' && e.command.includes('tl.test.js'));

    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first().waitFor();
    await until('shell integration in the new terminal', () => newestSession().find((e) => e.kind === 'terminal.open' && e.captured));
    await typeInTerminal(page, 'node --test tl.test.js');
    await until('the failing run', () => runs().find((r) => r.outcome === 'failed'));

    // The fix, typed: w + h → w * h.
    await openFromExplorer(page, 'tl.js');
    await activeEditor(page).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft'); // after the +
    await page.keyboard.press('Backspace');
    await page.keyboard.type('*');
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    await typeInTerminal(page, 'node --test tl.test.js');
    const fixed = await until('the passing run marked fixed', () => runs().find((r) => r.outcome === 'passed' && r.transition === 'fixed'));
    execFileSync('git', ['add', 'tl.js', 'tl.test.js'], { cwd: workspace });
    execFileSync('git', ['commit', '-q', '-m', 'Compute the area as a product'], { cwd: workspace });
    await until('the commit in the trace', () => newestSession().find((e) => e.kind === 'git.commit' && e.message.startsWith('Compute the area')));

    await runCommand(page, 'Worktrace: Open Timeline');
    const frame = await timelineFrame(page);
    await frame.locator('#events [role=option].event-row').first().waitFor();
    const lanes = await frame.locator('#lanes li.lane').allInnerTexts();
    for (const lane of ['Tests', 'Terminal & tasks', 'Commits', 'tl.js']) {
      assert.ok(lanes.some((l) => l.includes(lane)), `a lane ${lane} among ${lanes.join(', ')}`);
    }

    const failingRow = frame.locator('#events .event-row').filter({ has: frame.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: 'failed' }).first();
    await failingRow.click();
    await frame.locator('#details').filter({ hasText: 'area of a 2 by 3 rectangle' }).waitFor();
    await page.screenshot({ path: path.join(screenshotFolder(), 'timeline-dark.png') });

    const editRow = frame.locator('#events .event-row').filter({ has: frame.locator('.ev-kind', { hasText: 'edit.step' }) }).filter({ hasText: 'tl.js' }).last();
    await editRow.click();
    await frame.locator('#details .diff-add').filter({ hasText: 'w * h' }).waitFor();
    await frame.locator('#details .diff-del').filter({ hasText: 'w + h' }).waitFor();
    assert.ok(fixed.after.length > 0, 'the fixed run lists the edit steps it tested');

    await frame.locator('#open-file').click();
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'tl.js' }).waitFor();
    const cursor = await page.locator('.statusbar-item[id$="status.editor.selection"]').innerText();
    assert.match(cursor, /Ln 2\b/, `the file opens at the changed line (${cursor})`);
    await page.locator('.tabs-container .tab').filter({ hasText: 'Worktrace Timeline' }).first().click();

    // The same view in the light theme, chosen as an engineer does (focus out of the webview first).
    await page.locator('.tabs-container .tab').filter({ hasText: 'tl.js' }).first().click();
    await chooseTheme(page, 'Light Modern');
    try {
      await page.locator('.tabs-container .tab').filter({ hasText: 'Worktrace Timeline' }).first().click();
      const light = await timelineFrame(page);
      await light.locator('body.vscode-light').waitFor();
      await light.locator('#events .event-row').filter({ has: light.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: 'failed' }).first().click();
      await light.locator('#details').filter({ hasText: 'area of a 2 by 3 rectangle' }).waitFor();
      await page.screenshot({ path: path.join(screenshotFolder(), 'timeline-light.png') });
      process.stdout.write(`      screenshots: ${screenshotFolder()}/timeline-dark.png, timeline-light.png\n`);
    } finally {
      await page.locator('.tabs-container .tab').filter({ hasText: 'tl.js' }).first().click();
      await chooseTheme(page, 'Dark Modern');
    }

    // The picture for the README: the timeline alone, the fixed run selected.
    await runCommand(page, 'View: Hide Panel');
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.tabs-container .tab').filter({ hasText: 'Worktrace Timeline' }).first().click();
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    const overview = await timelineFrame(page);
    await overview.locator('#zoom-fit').click();
    await overview.locator('#events .event-row').filter({ has: overview.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: 'fixed' }).first().click();
    await overview.locator('#details').filter({ hasText: 'fixed' }).first().waitFor();
    await page.screenshot({ path: path.join(screenshotFolder(), 'timeline-overview.png') });
    await runCommand(page, 'View: Toggle Maximize Editor Group');
    await runCommand(page, 'View: Show Explorer');
  });
});
