import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { replayTrace } from '../../src/replay/replay';
import { readTrace } from '../../src/trace/readTrace';
import { groupSessions } from '../../src/trace/sessionOrder';
import { validateEvent } from '../support/schema';
import { openFromExplorer, pasteIntoEditor, statusItem, workbench } from './workbench';

/** This window's session: the newest one in the trace folder (sessions are grouped by workspace first, so sort by start). */
function lastSession() {
  const sessions = groupSessions(readTrace(workbench().traces));
  const last = sessions.sort((a, b) => a.firstTs - b.firstTs).at(-1);
  assert.ok(last, 'a session was recorded');
  return last.events;
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const { page } = workbench();
  for (let i = 0; i < 100; i++) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    await page.waitForTimeout(200); // polling files written by another process: there is no event to await here
  }
  const sessions = groupSessions(readTrace(workbench().traces));
  const summary = sessions.map((s) => `${s.id}: ${s.events.filter((e) => e.kind !== 'doc.open').map((e) => ('path' in e ? `${e.kind} ${String(e.path)}${e.kind === 'doc.edit' ? ` ${e.cause} ${JSON.stringify(e.changes)}` : ''}` : e.kind)).slice(-12).join('; ')}`);
  throw new Error(`timed out waiting for ${what}; sessions: ${summary.join('\n')}`);
}

suite('workbench: a real Ctrl+V paste', () => {
  test('is recorded as a paste and replays exactly', async () => {
    const { page, workspace } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });
    writeFileSync(path.join(workspace, 'pasted.js'), '// paste below\n');
    await openFromExplorer(page, 'pasted.js');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('Control+End');
    const clip = 'const fromClipboard = 42;\n';
    await pasteIntoEditor(page, clip);
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').filter({ hasText: 'fromClipboard' }).waitFor();
    await page.keyboard.press('Control+S');
    const disk = await until('the pasted text on disk', () => {
      const text = readFileSync(path.join(workspace, 'pasted.js'), 'utf8');
      return text.includes('fromClipboard') ? text : undefined;
    });
    const edit = await until('the paste in the trace', () => lastSession().find((e) => e.kind === 'doc.edit' && e.path === 'pasted.js' && e.changes.some((c) => c.text === clip)));
    assert.equal(edit.kind === 'doc.edit' ? edit.cause : undefined, 'paste');
    const rebuilt = replayTrace(lastSession()).documents.get('pasted.js');
    assert.equal(rebuilt?.text, disk);
    for (const event of lastSession()) {
      assert.deepEqual(validateEvent(event), [], `${event.kind} #${event.seq} validates`);
    }
  });
});
