import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { recordStory } from './story';
import { runCommand, statusItem, until, workbench } from './workbench';

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
    const { page } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });
    const story = await recordStory('tl', 'Compute the area as a product');
    const fixed = story.fixed;

    await runCommand(page, 'Worktrace: Open Timeline');
    const frame = await timelineFrame(page);
    await frame.locator('#events [role=option].event-row').first().waitFor();
    const lanes = await frame.locator('#lanes li.lane').allInnerTexts();
    for (const lane of ['Tests', 'Terminal & tasks', 'Commits', 'tl.js']) {
      assert.ok(lanes.some((l) => l.includes(lane)), `a lane ${lane} among ${lanes.join(', ')}`);
    }

    const failingRow = frame.locator('#events .event-row').filter({ has: frame.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: /failed: [1-9]/ }).last();
    await failingRow.click();
    await frame.locator('#details').filter({ hasText: story.testName }).waitFor();
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
      await light.locator('#events .event-row').filter({ has: light.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: /failed: [1-9]/ }).last().click();
      await light.locator('#details').filter({ hasText: story.testName }).waitFor();
      await page.screenshot({ path: path.join(screenshotFolder(), 'timeline-light.png') });
      process.stdout.write(`      screenshots: ${screenshotFolder()}/timeline-dark.png, timeline-light.png\n`);
    } finally {
      await page.locator('.tabs-container .tab').filter({ hasText: 'tl.js' }).first().click();
      await chooseTheme(page, 'Dark Modern');
    }

    // The picture for the README: the timeline alone, the fixed run selected.
    await runCommand(page, 'View: Hide Panel');
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'View: Join All Editor Groups');
    await page.locator('.tabs-container .tab').filter({ hasText: 'Worktrace Timeline' }).first().click();
    const overview = await timelineFrame(page);
    await overview.locator('#zoom-fit').click();
    await overview.locator('#events .event-row').filter({ has: overview.locator('.ev-kind', { hasText: 'test.run' }) }).filter({ hasText: 'fixed' }).first().click();
    await overview.locator('#details').filter({ hasText: 'fixed' }).first().waitFor();
    await page.screenshot({ path: path.join(screenshotFolder(), 'timeline-overview.png') });
    await runCommand(page, 'View: Show Explorer');
  });
});
