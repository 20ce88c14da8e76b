import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startReceiver, type Receiver } from '../../src/receiver/receiver';
import { openFromExplorer, statusItem, workbench, writeUserSettings } from './workbench';

/**
 * With an http destination and no consent, nothing reaches the receiver; the engineer
 * clicks "Allow" on the real notification, and events arrive.
 */
suite('workbench: consent before events leave the machine', () => {
  let receiver: Receiver;
  let original: string;

  suiteSetup(async () => {
    receiver = await startReceiver({ db: path.join(mkdtempSync(path.join(tmpdir(), 'worktrace-consent-')), 'events.db') });
    original = readFileSync(workbench().userSettings, 'utf8');
  });

  suiteTeardown(async () => {
    await writeUserSettings(workbench().page, JSON.parse(original) as Record<string, unknown>);
    await receiver.close();
  });

  test('no request before Allow; events arrive after it', async () => {
    const { page, workspace } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });
    const settings = JSON.parse(original) as Record<string, unknown>;
    await writeUserSettings(page, { ...settings, 'worktrace.destination': 'http', 'worktrace.endpoint.url': `${receiver.url}/ingest` });
    const notice = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Worktrace would send' });
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), new RegExp(`${receiver.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    // Work meanwhile: open a file and type.
    writeFileSync(path.join(workspace, 'consent.txt'), 'before consent\n');
    await openFromExplorer(page, 'consent.txt');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.click();
    await page.keyboard.type('typed while waiting');
    await page.keyboard.press('Control+S');
    assert.equal(receiver.stats().requests, 0, 'nothing was sent without consent');
    await notice.getByRole('button', { name: 'Allow' }).click();
    // What waited in the spool arrives, batch by batch: wait for each new batch until the file's events are there.
    const arrived = (): boolean => receiver.events().some((e) => e.kind === 'doc.save' && e.path === 'consent.txt');
    while (!arrived()) {
      await receiver.waitForCount(receiver.count() + 1, 30_000);
    }
    assert.ok(receiver.events().some((e) => e.kind === 'doc.edit' && e.path === 'consent.txt'), 'the keystrokes made while waiting arrived');
    assert.ok(receiver.events().some((e) => e.kind === 'doc.open' && e.path === 'consent.txt'));
  });
});
