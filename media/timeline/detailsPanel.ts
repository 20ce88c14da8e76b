/**
 * The details panel beside the timeline: what the host built for the selected item (fields,
 * a diff with +/- colouring, an output excerpt, failing tests, files, a commit message), the
 * links of the story as buttons that select the linked item, and for items with a place in
 * a file an "Open file at line N" button that asks the host to open it.
 */
import { formatClock, formatCount, formatDuration } from '../../src/timeline/format';
import type { ItemDetails } from '../../src/timeline/protocol';
import { h } from './dom';

/** Most diff or output lines rendered (each is an element). */
const MAX_LINES = 3000;

export interface DetailsHandlers {
  follow(item: number): void;
  open(path: string, line: number): void;
}

function codeBlock(text: string, truncated: boolean, className: string, diff: boolean): HTMLElement {
  const pre = h('pre', { class: `code ${className}`, tabindex: '0' });
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  const shown = lines.slice(0, MAX_LINES);
  for (const line of shown) {
    let cls: string | undefined;
    if (diff) {
      if (line.startsWith('+') && !line.startsWith('+++')) {
        cls = 'diff-add';
      } else if (line.startsWith('-') && !line.startsWith('---')) {
        cls = 'diff-del';
      } else if (line.startsWith('@@')) {
        cls = 'diff-hunk';
      }
    }
    pre.append(h('span', { class: cls }, line));
  }
  const frag = h('div', {}, pre);
  if (lines.length > shown.length || truncated) {
    frag.append(h('p', { class: 'note' }, lines.length > shown.length ? `${formatCount(lines.length - shown.length)} more lines not shown.` : 'Cut short: the rest is in the trace file.'));
  }
  return frag;
}

export class DetailsPanel {
  private shown = -1;

  constructor(
    private readonly title: HTMLElement,
    private readonly body: HTMLElement,
    private readonly handlers: DetailsHandlers,
  ) {
    body.addEventListener('click', (e) => {
      const target = e.target as HTMLElement | null;
      const link = target?.closest<HTMLElement>('.item-link');
      if (link?.dataset.index) {
        this.handlers.follow(Number(link.dataset.index));
        return;
      }
      const open = target?.closest<HTMLElement>('.open-file');
      if (open?.dataset.path && open.dataset.line) {
        this.handlers.open(open.dataset.path, Number(open.dataset.line));
      }
    });
  }

  get item(): number {
    return this.shown;
  }

  clear(text = 'Select an item in the drawing or the list to see its details.'): void {
    this.shown = -1;
    this.title.textContent = 'Details';
    this.body.replaceChildren(h('p', { class: 'placeholder' }, text));
  }

  loading(item: number, summary: string): void {
    this.shown = item;
    this.title.textContent = 'Details';
    this.body.replaceChildren(h('p', { class: 'details-heading' }, summary), h('p', { class: 'placeholder' }, 'Loading details…'));
  }

  show(d: ItemDetails): void {
    this.shown = d.index;
    this.title.textContent = `Details: ${d.kind}`;
    const parts: (Node | undefined)[] = [];
    parts.push(h('p', { class: 'details-heading', id: 'details-heading' }, d.title));
    parts.push(h('p', { class: 'details-meta' }, `${formatClock(d.ts, 'millis')}${d.durationMs !== null ? ` · ${formatDuration(d.durationMs)}` : ''} · ${d.lane}`));
    if (d.open) {
      parts.push(
        h(
          'button',
          { type: 'button', id: 'open-file', class: 'open-file', 'data-path': d.open.path, 'data-line': String(d.open.line), title: `Open ${d.open.path} at line ${d.open.line}`, 'aria-label': `Open ${d.open.path} at line ${d.open.line}` },
          `Open file at line ${d.open.line}`,
        ),
      );
    }
    if (d.fields.length) {
      const dl = h('dl', { class: 'fields' });
      for (const f of d.fields) {
        dl.append(h('dt', {}, f.label), h('dd', {}, f.value));
      }
      parts.push(dl);
    }
    if (d.message) {
      parts.push(h('h3', {}, d.kind === 'diagnostics.change' ? 'New problems' : d.kind === 'goal' ? 'Note' : 'Message'), codeBlock(d.message, false, 'message', false));
    }
    for (const links of d.links) {
      const ul = h('ul', { class: 'link-list' });
      for (const item of links.items) {
        ul.append(h('li', {}, h('button', { type: 'button', class: 'item-link', 'data-index': String(item.index) }, `${formatClock(item.ts)} ${item.kind}: ${item.summary}`)));
      }
      if (links.missing) {
        ul.append(h('li', { class: 'note' }, `${links.missing} not in this session`));
      }
      parts.push(h('section', { class: 'links', 'aria-label': links.label }, h('h3', {}, links.label), ul));
    }
    if (d.failing?.length) {
      parts.push(h('h3', {}, `Failing tests (${d.failing.length})`), h('ul', { class: 'failing-list' }, ...d.failing.map((name) => h('li', {}, name))));
    }
    if (d.files?.length) {
      const ul = h('ul', { class: 'file-list' });
      for (const f of d.files.slice(0, 500)) {
        ul.append(
          h(
            'li',
            {},
            `${f.change ? `${f.change} ` : ''}${f.path} `,
            f.added !== null ? h('span', { class: 'added' }, `+${f.added}`) : undefined,
            f.removed !== null ? ' ' : undefined,
            f.removed !== null ? h('span', { class: 'removed' }, `−${f.removed}`) : undefined,
          ),
        );
      }
      parts.push(h('h3', {}, `Files (${formatCount(d.files.length)})`), ul);
    }
    if (d.diff) {
      parts.push(h('h3', {}, 'Diff'), codeBlock(d.diff.text, d.diff.truncated, 'diff', true));
    }
    if (d.output) {
      parts.push(h('h3', {}, 'Output'), codeBlock(d.output.text, d.output.truncated, 'output', false));
    }
    this.body.replaceChildren(...parts.filter((p): p is Node => p !== undefined));
  }

  /** Moves focus into the panel (Enter on an item). */
  focus(): void {
    this.title.focus();
  }
}
