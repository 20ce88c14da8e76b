/**
 * The timeline page's HTML: a strict Content Security Policy (nothing inline but the one
 * script with the nonce; styles, images and fonts only from the extension's media folder;
 * no network), the stylesheet, the page's skeleton with the stable ids an integration test
 * can find, and the bundled script. Used by the webview panel and the benchmark harness.
 */

export interface TimelineHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** Escapes text for an HTML attribute or element. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; script-src 'nonce-${nonce}'; font-src ${cspSource};`;
}

export function timelineHtml(o: TimelineHtmlOptions): string {
  const csp = escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>Worktrace Timeline</title>
</head>
<body>
<div id="app" class="app">
  <header class="toolbar" role="toolbar" aria-label="Timeline controls">
    <label for="session-picker" class="toolbar-label">Session</label>
    <select id="session-picker" class="session-picker" aria-label="Session"></select>
    <span class="toolbar-group">
      <button id="zoom-out" type="button" class="tool" title="Zoom out (-)" aria-label="Zoom out">&#8722;</button>
      <button id="zoom-in" type="button" class="tool" title="Zoom in (+)" aria-label="Zoom in">+</button>
      <button id="zoom-fit" type="button" class="tool" title="Fit the session (0)" aria-label="Fit the whole session">Fit</button>
    </span>
    <label class="follow" title="Keep the newest events in view while recording"><input id="follow-live" type="checkbox"> Follow live</label>
    <span id="status" class="status" role="status" aria-live="polite"></span>
  </header>
  <div id="banner" class="banner" role="alert" hidden>
    <div class="banner-text"><strong id="banner-message"></strong><ul id="banner-detail"></ul></div>
    <button id="banner-close" type="button" class="tool" aria-label="Dismiss this message">Dismiss</button>
  </div>
  <div class="main">
    <section class="timeline" aria-label="Timeline">
      <div class="axis-row"><div class="axis-gutter"></div><canvas id="timeline-axis" class="axis" aria-hidden="true"></canvas></div>
      <div id="timeline-scroll" class="timeline-scroll">
        <ul id="lanes" class="lanes" aria-label="Lanes"></ul>
        <div id="timeline-plot" class="plot">
          <canvas id="timeline-canvas" class="plot-canvas" tabindex="0" role="application" aria-roledescription="timeline" aria-label="Timeline drawing" aria-describedby="timeline-help"></canvas>
        </div>
      </div>
      <div id="tooltip" class="tooltip" role="tooltip" hidden></div>
      <details class="help-legend">
        <summary>Keys and colours</summary>
        <p id="timeline-help" class="help">Drag, Shift+wheel or Shift+Left/Right to pan; wheel, Ctrl+wheel or +/- to zoom; 0 to fit. Left/Right: previous/next item in the lane; Up/Down: lane above/below; Enter: details (Escape comes back).</p>
        <ul id="legend" class="legend" aria-label="Colours"></ul>
      </details>
      <section class="events-section" aria-labelledby="events-title">
        <h2 id="events-title" class="section-title">Events <span id="events-count" class="count"></span></h2>
        <p id="not-drawn" class="not-drawn"></p>
        <div id="events" class="events" role="listbox" tabindex="0" aria-label="Events (time, lane, kind, summary)"><div id="events-spacer" class="events-spacer"></div></div>
      </section>
    </section>
    <aside id="details" class="details" aria-labelledby="details-title">
      <h2 id="details-title" class="section-title" tabindex="-1">Details</h2>
      <div id="details-body" class="details-body"><p class="placeholder">Select an item in the drawing or the list to see its details.</p></div>
    </aside>
  </div>
  <div id="announce" class="sr-only" aria-live="polite"></div>
</div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
