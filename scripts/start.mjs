// `npm start`: builds the .vsix, installs it into the cached code-server the way a user
// installs an extension (--install-extension), and serves a real VS Code on
// http://127.0.0.1:8080 with a small sample workspace (a git repository with code and a
// test) opened. Ctrl+C stops it.
//   --port N            another port (or WORKTRACE_PORT)
//   --folder DIR        open this folder instead of the sample workspace
//   --screenshot FILE   once the workbench is up, save a headless screenshot of it
//   --exit              stop after the screenshot (a smoke test of the packaged extension)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeServerCli, ROOT, startCodeServer } from './code-server.mjs';
import { CHROMIUM_ARGS, makeWorkspace } from './integration.mjs';

const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const port = Number(opt('--port') ?? process.env.WORKTRACE_PORT ?? 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`invalid port ${opt('--port') ?? process.env.WORKTRACE_PORT}: give a number from 1 to 65535`);
  process.exit(2);
}
const state = join(ROOT, '.vscode-test', 'start');
const folder = resolve(opt('--folder') ?? join(state, 'sample-workspace'));

console.log('building the extension package (npm run package)…');
const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
if (pkg.status !== 0) process.exit(pkg.status ?? 1);
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = join(ROOT, `worktrace-${version}.vsix`);

const extensions = join(state, 'extensions');
const userData = join(state, 'user-data');
mkdirSync(extensions, { recursive: true });
mkdirSync(userData, { recursive: true });
console.log(`installing ${vsix} into code-server…`);
console.log(codeServerCli(['--install-extension', vsix, '--force', '--extensions-dir', extensions, '--user-data-dir', userData]).trim());
if (!opt('--folder') && !existsSync(join(folder, '.git'))) makeWorkspace(folder);

const server = await startCodeServer({ port, userDataDir: userData, extensionsDir: extensions, extraArgs: [], timeoutMs: 90_000 });
const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nWorktrace is running in VS Code at ${url}\n(Ctrl+C stops it)`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

const screenshot = opt('--screenshot');
if (screenshot) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.WORKTRACE_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    const item = page.locator('.statusbar-item[id$="worktrace.status"]');
    await item.waitFor({ state: 'visible', timeout: 90_000 });
    console.log(`status bar item worktrace.status: "${(await item.innerText()).trim()}" (${await item.locator('[aria-label]').first().getAttribute('aria-label')})`);
    await page.screenshot({ path: resolve(screenshot) });
    console.log(`screenshot saved to ${resolve(screenshot)}`);
  } finally {
    await browser.close();
  }
  if (argv.includes('--exit')) await stop();
}
