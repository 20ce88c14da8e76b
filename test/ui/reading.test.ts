import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runCli } from '../../src/replay/cli';
import type { EventOf } from '../../src/trace/events';
import { activeEditor, newestSession, quickOpen, runCommand, statusItem, until, workbench } from './workbench';

/** The line numbers the editor shows now (read from the page), first and last. */
async function shownLines(page: Page): Promise<{ first: number; last: number }> {
  const numbers = (await page.locator('.editor-group-container.active .monaco-editor .margin-view-overlays .line-numbers').allInnerTexts()).map((t) => Number(t.trim())).filter((n) => Number.isInteger(n) && n > 0);
  return { first: Math.min(...numbers), last: Math.max(...numbers) };
}

const views = (file: string) => newestSession().filter((e): e is EventOf<'editor.view'> => e.kind === 'editor.view' && e.path === file && e.active);
const jumps = () => newestSession().filter((e): e is EventOf<'editor.navigate'> => e.kind === 'editor.navigate');

suite('workbench: what the engineer read (views and jumps)', () => {
  test('scrolling a long file, go to definition and back, a search result opened: the events match what the page showed, and --view prints those lines', async function () {
    this.timeout(180_000); // the TypeScript server starts for go to definition
    const { page, workspace, traces } = workbench();
    await statusItem(page).waitFor({ state: 'visible' });
    // Plain scripts (no require, no exports) of one jsconfig project: TypeScript's JavaScript
    // support shares their globals, so go to definition on helper() lands in helper.js itself.
    writeFileSync(path.join(workspace, 'jsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2020' }, include: ['src/**/*.js'] }, null, 2));
    const lines = ['// calls a helper defined in another script', ''];
    for (let i = 3; i <= 300; i++) lines.push(i === 250 ? 'helper();' : `// reading line ${i}`);
    writeFileSync(path.join(workspace, 'src', 'long.js'), lines.join('\n') + '\n');
    writeFileSync(path.join(workspace, 'src', 'helper.js'), '// a helper in another file\n\nfunction helper() {\n  return 42;\n}\n');
    const found = Array.from({ length: 60 }, (_, i) => (i === 39 ? 'const needle = "a needle to search for";' : `// filler ${i + 1}`));
    writeFileSync(path.join(workspace, 'src', 'found.js'), found.join('\n') + '\n');

    // Scrolling: the view event that follows says what the page shows.
    await quickOpen(page, 'long.js');
    const editor = activeEditor(page);
    await editor.hover();
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 400);
    await page.waitForTimeout(300); // let the scroll animation end before reading the line numbers from the DOM
    const shown = await shownLines(page);
    assert.ok(shown.first > 20, `scrolled down (lines ${shown.first}–${shown.last})`);
    const view = await until(`an editor.view of lines ${shown.first}–${shown.last}`, () => views('src/long.js').find((v) => Math.abs(v.ranges[0].start - shown.first) <= 1 && Math.abs(v.ranges.at(-1)!.end - shown.last) <= 1), () => JSON.stringify(views('src/long.js').map((v) => v.ranges)));

    // --view prints those lines.
    const out: string[] = [];
    const code = await runCli([traces, '--view', String(view.seq), '--session', view.session], { stdout: (l) => out.push(l), stderr: () => undefined });
    assert.equal(code, 0);
    const printed = out.join('\n');
    assert.match(printed, /src\/long\.js lines/);
    for (const n of [view.ranges[0].start + 1, view.ranges.at(-1)!.end - 1]) {
      assert.match(printed, new RegExp(`\\b${n} \\| // reading line ${n}\\b`), `line ${n} is printed`);
    }

    // Go to definition into another file, and back. Both scripts are opened first, so the
    // TypeScript server has them in one project whatever it loaded before (jsconfig or not).
    await quickOpen(page, 'helper.js');
    await quickOpen(page, 'long.js');
    await page.keyboard.press('Control+G');
    await page.keyboard.type('250');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight'); // inside `helper`
    // The TypeScript server answers across files only once it has loaded the project: ask again until it does.
    let toDefinition: EventOf<'editor.navigate'> | undefined;
    for (let attempt = 1; !toDefinition; attempt++) {
      await page.keyboard.press('F12');
      try {
        toDefinition = await until('a jump to the definition in helper.js', () => jumps().find((j) => j.to.path === 'src/helper.js'), undefined, 5_000);
      } catch (e) {
        if (attempt >= 12) throw e;
        await page.keyboard.press('Escape');
      }
    }
    assert.equal(toDefinition.from?.path, 'src/long.js');
    assert.equal(toDefinition.from?.line, 250);
    assert.equal(toDefinition.to.line, 3);
    assert.equal(toDefinition.via, 'definition');
    await page.locator('.tabs-container .tab.active').filter({ hasText: 'helper.js' }).waitFor();
    await runCommand(page, 'Go Back');
    const back = await until('the jump back to long.js', () => jumps().find((j) => j.seq > toDefinition.seq && j.to.path === 'src/long.js'));
    assert.equal(back.from?.path, 'src/helper.js');
    assert.equal(back.to.line, 250);

    // A search result opened.
    await page.keyboard.press('Control+Shift+F');
    await page.keyboard.type('a needle to search for');
    await page.keyboard.press('Enter');
    const result = page.locator('.search-view .monaco-list-row').filter({ hasText: 'a needle to search for' }).first();
    await result.waitFor();
    await result.click();
    const toResult = await until('the jump to the search result', () => jumps().find((j) => j.to.path === 'src/found.js'));
    assert.equal(toResult.to.line, 40);
    assert.equal(toResult.via, 'open');
  });
});
