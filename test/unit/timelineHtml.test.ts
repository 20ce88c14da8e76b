import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { contentSecurityPolicy, escapeHtml, timelineHtml } from '../../src/timeline/html';

const ROOT = path.resolve(__dirname, '..', '..', '..');

suite('timeline page HTML', () => {
  const html = timelineHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'n0nce+/=', scriptUri: 'https://x.vscode-cdn.net/media/dist/timeline.js', styleUri: 'https://x.vscode-cdn.net/media/timeline.css' });

  test('a strict CSP: scripts by nonce only; styles, images and fonts from the extension only; nothing else', () => {
    assert.equal(contentSecurityPolicy('SRC', 'N'), "default-src 'none'; img-src SRC data:; style-src SRC; script-src 'nonce-N'; font-src SRC;");
    assert.ok(html.includes(`content="${escapeHtml(contentSecurityPolicy('https://x.vscode-cdn.net', 'n0nce+/='))}"`));
  });

  test('one script, with the nonce and a source; no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0]?.[1] ?? '', /nonce="n0nce\+\/="/);
    assert.match(scripts[0]?.[1] ?? '', /src="https:\/\/x\.vscode-cdn\.net\/media\/dist\/timeline\.js"/);
    assert.equal(scripts[0]?.[2], '');
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, /\sstyle=/);
    assert.doesNotMatch(html, /\son[a-z]+=/);
  });

  test('the parts an integration test finds by id', () => {
    for (const id of ['session-picker', 'timeline-canvas', 'timeline-axis', 'lanes', 'events', 'details', 'details-title', 'details-body', 'banner', 'status', 'zoom-in', 'zoom-out', 'zoom-fit', 'follow-live', 'announce', 'legend', 'not-drawn']) {
      assert.ok(html.includes(`id="${id}"`), id);
    }
    assert.match(html, /id="events" class="events" role="listbox"/);
  });

  test('the page code sets no style attribute (the CSP would refuse it) and uses no innerHTML', () => {
    const files = readdirSync(path.join(ROOT, 'media', 'timeline')).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('app.ts') && files.includes('detailsPanel.ts'));
    for (const file of files) {
      const source = readFileSync(path.join(ROOT, 'media', 'timeline', file), 'utf8');
      assert.doesNotMatch(source, /setAttribute\(\s*['"]style['"]/, file);
      assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, file);
    }
  });
});
