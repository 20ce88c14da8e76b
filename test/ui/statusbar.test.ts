import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { replayTrace } from '../../src/replay/replay';
import { readTrace } from '../../src/trace/readTrace';
import { groupSessions } from '../../src/trace/sessionOrder';
import { openFromExplorer, statusItem, workbench } from './workbench';

function label(page: ReturnType<typeof workbench>['page'], text: string) {
  return page.locator(`.statusbar-item[id$="worktrace.status"] [aria-label*="${text}"], .statusbar-item[id$="worktrace.status"][aria-label*="${text}"]`).first();
}

suite('workbench: the Worktrace status bar item', () => {
  test('is visible, named and labelled for screen readers', async () => {
    const { page, screenshot } = workbench();
    const item = statusItem(page);
    await item.waitFor({ state: 'visible' });
    assert.match(await item.innerText(), /Worktrace/);
    await label(page, 'Worktrace is recording').waitFor();
    if (screenshot) {
      await page.screenshot({ path: screenshot });
    }
  });

  test('a click pauses: text typed while paused is not captured; a second click resumes and replay stays exact', async () => {
    const { page, workspace, traces } = workbench();
    writeFileSync(path.join(workspace, 'clicked.txt'), 'start\n');
    await openFromExplorer(page, 'clicked.txt');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('before ');
    await statusItem(page).click();
    await label(page, 'paused').waitFor();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('WHILEPAUSED ');
    await statusItem(page).click();
    await label(page, 'recording').waitFor();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('after');
    await page.keyboard.press('Control+S');
    await page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    const disk = readFileSync(path.join(workspace, 'clicked.txt'), 'utf8');
    assert.equal(disk, 'start\nbefore WHILEPAUSED after');
    // The trace of this window (the newest session) reaches the trace folder within a few seconds.
    let events: ReturnType<typeof readTrace> = [];
    for (let i = 0; i < 100; i++) {
      events = groupSessions(readTrace(traces)).sort((a, b) => a.firstTs - b.firstTs).at(-1)?.events ?? [];
      if (events.some((e) => e.kind === 'doc.save' && e.path === 'clicked.txt')) break;
      await page.waitForTimeout(200); // polling files another process writes: there is no event to await here
    }
    const edits = events.filter((e) => e.kind === 'doc.edit' && e.path === 'clicked.txt');
    assert.ok(edits.length > 0);
    assert.ok(!JSON.stringify(edits).includes('WHILEPAUSED'), 'keystrokes typed while paused are not in the trace');
    assert.ok(events.some((e) => e.kind === 'capture.pause') && events.some((e) => e.kind === 'capture.resume'));
    assert.equal(replayTrace(events).documents.get('clicked.txt')?.text, disk, 'replay is exact across the pause');
  });

  test('a pause survives a window reload', async () => {
    const { page } = workbench();
    await statusItem(page).click();
    await label(page, 'paused').waitFor();
    await page.reload();
    await statusItem(page).waitFor({ state: 'visible', timeout: 60_000 });
    await label(page, 'paused').waitFor({ timeout: 60_000 });
    await statusItem(page).click();
    await label(page, 'recording').waitFor();
  });
});
