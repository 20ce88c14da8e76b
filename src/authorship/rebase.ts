/**
 * Carrying authorship over to a new full snapshot of a document the tracker already knows
 * (a `doc.open` after the file changed while it was closed, a `file.change` with `text`):
 * lines that did not change keep their runs, the rest gets the origin of whatever made the
 * change. Plain Node; never imports `vscode`.
 */
import { diffArrays } from 'diff';
import type { Origin } from './author';
import { splitLinesKeepingBreaks } from './lines';
import type { Run } from './runs';

/** Beyond this many differing lines the diff gives up and the whole new text gets the new origin. */
export const REBASE_MAX_EDIT_LENGTH = 4000;

/**
 * Runs for `newText`: where a line (with its line break) is unchanged from `oldText` it keeps
 * its runs (`slice` of the old runs at an offset), a line that is new or changed gets `origin`.
 */
export function rebaseRuns(oldText: string, newText: string, slice: (offset: number, length: number) => Run[], origin: Origin): Run[] {
  if (oldText === newText) {
    return slice(0, oldText.length);
  }
  const changes = diffArrays(splitLinesKeepingBreaks(oldText), splitLinesKeepingBreaks(newText), { maxEditLength: REBASE_MAX_EDIT_LENGTH });
  if (changes === undefined) {
    return [{ origin, length: newText.length }];
  }
  const runs: Run[] = [];
  let oldPos = 0;
  for (const change of changes) {
    let length = 0;
    for (const line of change.value) {
      length += line.length;
    }
    if (change.added) {
      runs.push({ origin, length });
    } else if (change.removed) {
      oldPos += length;
    } else {
      runs.push(...slice(oldPos, length));
      oldPos += length;
    }
  }
  return runs;
}
