import * as assert from 'node:assert/strict';
import { EditorSaves, SAVE_WINDOW_MS } from '../../../src/disk/editorSaves';

suite('disk/EditorSaves', () => {
  test('an announced save explains one report; unwritten until the editor tells what it wrote', () => {
    let now = 0;
    const saves = new EditorSaves(() => now);
    saves.expect('a.ts');
    assert.equal(saves.take('a.ts'), true);
    assert.equal(saves.isUnwritten('a.ts'), true, 'the report came before the saved event');
    assert.equal(saves.take('a.ts'), false, 'one report per save');
    saves.written('a.ts');
    assert.equal(saves.isUnwritten('a.ts'), false);
    assert.equal(saves.take('a.ts'), false, 'the saved event of a taken save expects nothing more');
    saves.written('b.ts'); // saved without an announcement: the next report is the save, already written
    assert.equal(saves.take('b.ts'), true);
    assert.equal(saves.isUnwritten('b.ts'), false);
    saves.expect('c.ts');
    now += SAVE_WINDOW_MS + 1;
    assert.equal(saves.take('c.ts'), false, 'past the window: not the save');
  });
});
