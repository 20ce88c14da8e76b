/**
 * Entry of the timeline page (bundled by scripts/build.mjs into media/dist/timeline.js).
 * Errors inside the page go to the host, which writes them to the Worktrace log.
 */
import { App } from './app';

try {
  const app = new App();
  window.addEventListener('error', (e) => app.reportError(`${e.message} at ${e.filename}:${e.lineno}`));
  window.addEventListener('unhandledrejection', (e) => app.reportError(`unhandled rejection: ${String(e.reason)}`));
  app.start();
} catch (e) {
  document.body.textContent = `The timeline could not start: ${e instanceof Error ? e.message : String(e)}`;
}
