/** The colour legend under the drawing (swatches styled by timeline.css, no inline styles). */
import { h } from './dom';

const ENTRIES: readonly [string, string][] = [
  ['typed', 'typed (also undo, redo, multi-cursor)'],
  ['pasted', 'pasted'],
  ['completion', 'completion, suggestion, snippet'],
  ['assistant', 'assistant, extension'],
  ['tool', 'format, refactor, programmatic, terminal or task on disk'],
  ['external', 'changed on disk (reloaded)'],
  ['ok', 'passed, exit 0'],
  ['fail', 'failed, non-zero exit, exception'],
  ['unknown', 'outcome unknown'],
  ['git', 'git'],
  ['reading', 'reading, navigation'],
  ['privacy', 'secrets redacted'],
  ['warning', 'events lost, terminal not captured'],
  ['goal', 'task'],
  ['pause', 'capture paused'],
];

export function renderLegend(root: HTMLElement): void {
  root.replaceChildren(...ENTRIES.map(([name, label]) => h('li', {}, h('span', { class: `swatch swatch-${name}`, 'aria-hidden': 'true' }), label)));
}
