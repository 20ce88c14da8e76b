import * as assert from 'node:assert/strict';
import { statusItem, workbench } from './workbench';

suite('workbench: the Worktrace status bar item', () => {
  test('is visible, named and labelled for screen readers', async () => {
    const { page, screenshot } = workbench();
    const item = statusItem(page);
    await item.waitFor({ state: 'visible' });
    assert.match(await item.innerText(), /Worktrace/);
    const label = await item.locator('[aria-label]').first().getAttribute('aria-label') ?? await item.getAttribute('aria-label');
    assert.match(label ?? '', /Worktrace is recording/);
    if (screenshot) {
      await page.screenshot({ path: screenshot });
    }
  });

  test('a click pauses capture and a second click resumes it', async () => {
    const { page } = workbench();
    const item = statusItem(page);
    await item.click();
    await page.locator('.statusbar-item[id$="worktrace.status"] [aria-label*="paused"], .statusbar-item[id$="worktrace.status"][aria-label*="paused"]').first().waitFor();
    await item.click();
    await page.locator('.statusbar-item[id$="worktrace.status"] [aria-label*="recording"], .statusbar-item[id$="worktrace.status"][aria-label*="recording"]').first().waitFor();
  });
});
