// `npm test`: type check, lint, build, unit tests (plain Node), integration tests (inside
// a real VS Code: code-server 4.100.3 driven headless), then one line `N passed, N failed`
// counting unit and integration tests together. Exits non-zero on any failure.
//   --only unit|integration   run one tier (checks and build still run)
//   --no-checks               skip tsc and ESLint (quicker local loops)
//   --screenshot FILE         save a screenshot of the workbench
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './code-server.mjs';
import { runIntegration } from './integration.mjs';

const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const screenshot = argv.includes('--screenshot') ? argv[argv.indexOf('--screenshot') + 1] : undefined;
const problems = [];
/** The failed tests' titles, repeated just above the last line so a log's tail names them. */
const failures = [];
let passed = 0;
let failed = 0;

function step(title) {
  process.stdout.write(`\n=== ${title}\n`);
}

function check(title, cmd, args) {
  step(title);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) problems.push(`${title} failed (exit ${r.status})`);
  return r.status === 0;
}

function files(dir, suffix) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(suffix)) out.push(p);
    }
  };
  try {
    walk(dir);
  } catch {
    /* no such folder */
  }
  return out.sort();
}

if (!argv.includes('--no-checks')) {
  check('type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit']);
  check('type check of the timeline page (tsc --noEmit -p media)', 'npx', ['tsc', '--noEmit', '-p', 'media']);
  check('lint (eslint)', 'npx', ['eslint', '--max-warnings', '0', '.']);
}
if (!check('build', 'node', ['scripts/build.mjs', '--tests'])) {
  console.log(`\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

if (only !== 'integration') {
  step('unit and fault tests (mocha, plain Node, real processes and sockets)');
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 20_000, reporter: 'spec' });
  for (const f of [...files(join(ROOT, 'out', 'test', 'unit'), '.test.js'), ...files(join(ROOT, 'out', 'test', 'faults'), '.test.js')]) mocha.addFile(f);
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
    runner.on('fail', (test, err) => failures.push(`unit: ${test.fullTitle()}: ${String(err?.message ?? err).split('\n')[0]}`));
  });
  passed += stats.passes;
  failed += stats.failures;
  console.log(`unit: ${stats.passes} passed, ${stats.failures} failed`);
}

if (only !== 'unit') {
  step('integration tests (real VS Code: code-server, headless Chromium)');
  try {
    const r = await runIntegration({ screenshot });
    passed += r.passed;
    failed += r.failed;
    failures.push(...(r.failures ?? []).map((t) => `integration: ${t}`));
    console.log(`integration: ${r.passed} passed, ${r.failed} failed`);
    if (r.exitCode !== 0 && r.failed === 0) problems.push(`the in-host run exited with ${r.exitCode}`);
  } catch (e) {
    failed += 1;
    problems.push(`integration harness: ${e?.message ?? e}`);
  }
}

for (const f of failures) console.log(`failed: ${f}`);
for (const p of problems) console.log(`problem: ${p}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
