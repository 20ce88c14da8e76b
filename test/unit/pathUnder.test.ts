import * as assert from 'node:assert/strict';
import { isAtOrUnder } from '../../src/trace/pathUnder';

suite('isAtOrUnder (trace paths)', () => {
  test('the folder itself and paths below it, with or without the trailing slash', () => {
    assert.equal(isAtOrUnder('src', 'src'), true);
    assert.equal(isAtOrUnder('src/a.ts', 'src'), true);
    assert.equal(isAtOrUnder('src/deep/b.ts', 'src/'), true);
  });

  test('a sibling that only starts with the same letters is not under it', () => {
    assert.equal(isAtOrUnder('srcx/a.ts', 'src'), false);
    assert.equal(isAtOrUnder('sr', 'src'), false);
    assert.equal(isAtOrUnder('lib/src/a.ts', 'src'), false);
  });
});
