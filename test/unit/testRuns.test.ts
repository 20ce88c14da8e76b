import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import {
  MAX_FAILING_NAMES,
  parseCargo,
  parseMocha,
  parseTestOutput,
  recogniseTestCommand,
  recogniseTestTask,
  splitCommands,
  type TestRunner,
  type TestSummary,
} from '../../src/semantic/testRuns';
import { stripTerminalSequences } from '../../src/semantic/terminalText';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'test-output');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

interface Expectation {
  file: string;
  exit: number | null;
  outcome: TestSummary['outcome'];
  detected: TestRunner;
  counts?: { passed: number; failed: number; skipped: number };
  failing: string[];
}

const EXPECTED: Expectation[] = [
  // jest
  { file: 'jest-pass.txt', exit: 0, outcome: 'passed', detected: 'jest', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'jest-fail.txt', exit: 1, outcome: 'failed', detected: 'jest', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['math › subtracts', 'math › nested › multiplies big numbers'] },
  { file: 'jest-tty-fail.txt', exit: 1, outcome: 'failed', detected: 'jest', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['math › subtracts', 'math › nested › multiplies big numbers'] },
  { file: 'jest-error.txt', exit: 1, outcome: 'errored', detected: 'jest', counts: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  // vitest
  { file: 'vitest-pass.txt', exit: 0, outcome: 'passed', detected: 'vitest', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'vitest-fail.txt', exit: 1, outcome: 'failed', detected: 'vitest', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['math.test.js > math > subtracts', 'math.test.js > math > nested > multiplies big numbers'] },
  { file: 'vitest-tty-fail.txt', exit: 1, outcome: 'failed', detected: 'vitest', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['math.test.js > math > subtracts', 'math.test.js > math > nested > multiplies big numbers'] },
  { file: 'vitest-error.txt', exit: 1, outcome: 'errored', detected: 'vitest', counts: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  // mocha
  { file: 'mocha-pass.txt', exit: 0, outcome: 'passed', detected: 'mocha', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'mocha-fail.txt', exit: 2, outcome: 'failed', detected: 'mocha', counts: { passed: 1, failed: 2, skipped: 1 }, failing: ['math subtracts', 'math nested multiplies big numbers'] },
  { file: 'mocha-tty-fail.txt', exit: 2, outcome: 'failed', detected: 'mocha', counts: { passed: 1, failed: 2, skipped: 1 }, failing: ['math subtracts', 'math nested multiplies big numbers'] },
  { file: 'mocha-error.txt', exit: 1, outcome: 'errored', detected: 'mocha', failing: [] },
  // node --test
  { file: 'node-tap-pass.txt', exit: 0, outcome: 'passed', detected: 'node', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'node-tap-fail.txt', exit: 1, outcome: 'failed', detected: 'node', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['subtracts', 'multiplies big numbers'] },
  { file: 'node-tty-pass.txt', exit: 0, outcome: 'passed', detected: 'node', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'node-tty-fail.txt', exit: 1, outcome: 'failed', detected: 'node', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['subtracts', 'multiplies big numbers'] },
  { file: 'node-tap-error.txt', exit: 1, outcome: 'errored', detected: 'node', counts: { passed: 0, failed: 1, skipped: 0 }, failing: ['/tmp/wtfix/js/node-error/broken.test.js'] },
  { file: 'node-tty-error.txt', exit: 1, outcome: 'errored', detected: 'node', counts: { passed: 0, failed: 1, skipped: 0 }, failing: ['/tmp/wtfix/js/node-error/broken.test.js'] },
  // pytest
  { file: 'pytest-pass.txt', exit: 0, outcome: 'passed', detected: 'pytest', counts: { passed: 2, failed: 0, skipped: 2 }, failing: [] },
  ...['pytest-fail.txt', 'pytest-tty-quiet-fail.txt', 'pytest-verbose-fail.txt'].map(
    (file): Expectation => ({
      file,
      exit: 1,
      outcome: 'failed',
      detected: 'pytest',
      counts: { passed: 2, failed: 4, skipped: 1 },
      failing: ['test_math.py::test_subtracts', 'test_math.py::TestNested::test_multiplies_big_numbers', 'test_math.py::test_equal[2-3]', 'test_math.py::test_uses_broken'],
    }),
  ),
  { file: 'pytest-error.txt', exit: 2, outcome: 'errored', detected: 'pytest', counts: { passed: 0, failed: 1, skipped: 0 }, failing: ['test_broken.py'] },
  { file: 'pytest-empty.txt', exit: 5, outcome: 'errored', detected: 'pytest', counts: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  // go
  { file: 'go-pass.txt', exit: 0, outcome: 'passed', detected: 'go', counts: { passed: 2, failed: 0, skipped: 0 }, failing: [] },
  { file: 'go-fail.txt', exit: 1, outcome: 'failed', detected: 'go', counts: { passed: 1, failed: 1, skipped: 0 }, failing: ['TestSub', 'TestTable', 'TestTable/big'] },
  { file: 'go-verbose-pass.txt', exit: 0, outcome: 'passed', detected: 'go', counts: { passed: 4, failed: 0, skipped: 1 }, failing: [] },
  { file: 'go-verbose-fail.txt', exit: 1, outcome: 'failed', detected: 'go', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['TestSub', 'TestTable', 'TestTable/big'] },
  { file: 'go-build-error.txt', exit: 2, outcome: 'errored', detected: 'go', counts: { passed: 1, failed: 0, skipped: 0 }, failing: [] },
  // cargo
  { file: 'cargo-pass.txt', exit: 0, outcome: 'passed', detected: 'cargo', counts: { passed: 6, failed: 0, skipped: 1 }, failing: [] },
  { file: 'cargo-fail.txt', exit: 101, outcome: 'failed', detected: 'cargo', counts: { passed: 3, failed: 3, skipped: 1 }, failing: ['tests::subtracts', 'integration_panics', 'src/lib.rs - sub (line 10)'] },
  { file: 'cargo-tty-fail.txt', exit: 101, outcome: 'failed', detected: 'cargo', counts: { passed: 3, failed: 3, skipped: 1 }, failing: ['tests::subtracts', 'integration_panics', 'src/lib.rs - sub (line 10)'] },
  { file: 'cargo-compile-error.txt', exit: 101, outcome: 'errored', detected: 'cargo', failing: [] },
  // maven
  { file: 'maven-pass.txt', exit: 0, outcome: 'passed', detected: 'maven', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'maven-fail.txt', exit: 1, outcome: 'failed', detected: 'maven', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['CalcTest.subtracts', 'CalcTest.explodes'] },
  { file: 'maven-color-fail.txt', exit: 1, outcome: 'failed', detected: 'maven', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['CalcTest.subtracts', 'CalcTest.explodes'] },
  { file: 'maven-compile-error.txt', exit: 1, outcome: 'errored', detected: 'maven', failing: [] },
  // gradle
  { file: 'gradle-pass.txt', exit: 0, outcome: 'passed', detected: 'gradle', failing: [] },
  { file: 'gradle-fail.txt', exit: 1, outcome: 'failed', detected: 'gradle', counts: { passed: 2, failed: 2, skipped: 1 }, failing: ['com.example.CalcTest > explodes', 'com.example.CalcTest > subtracts'] },
  { file: 'gradle-modern-fail.txt', exit: 1, outcome: 'failed', detected: 'gradle', counts: { passed: 3, failed: 2, skipped: 1 }, failing: ['CalcTest > subtracts()', 'CalcTest > Nested > multipliesBigNumbers()'] },
  { file: 'gradle-compile-error.txt', exit: 1, outcome: 'errored', detected: 'gradle', failing: [] },
  // dotnet
  { file: 'dotnet-pass.txt', exit: 0, outcome: 'passed', detected: 'dotnet', counts: { passed: 3, failed: 0, skipped: 1 }, failing: [] },
  { file: 'dotnet-fail.txt', exit: 1, outcome: 'failed', detected: 'dotnet', counts: { passed: 5, failed: 2, skipped: 1 }, failing: ['Calc.Tests.CalcTests.Subtracts', 'Calc.Tests.CalcTests.Adds(a: 100, b: 200, expected: 301)'] },
  { file: 'dotnet-build-error.txt', exit: 1, outcome: 'errored', detected: 'dotnet', failing: [] },
  // rspec
  { file: 'rspec-pass.txt', exit: 0, outcome: 'passed', detected: 'rspec', counts: { passed: 2, failed: 0, skipped: 1 }, failing: [] },
  { file: 'rspec-fail.txt', exit: 1, outcome: 'failed', detected: 'rspec', counts: { passed: 1, failed: 2, skipped: 1 }, failing: ['Calc subtracts', 'Calc with big numbers multiplies'] },
  { file: 'rspec-tty-fail.txt', exit: 1, outcome: 'failed', detected: 'rspec', counts: { passed: 1, failed: 2, skipped: 1 }, failing: ['Calc subtracts', 'Calc with big numbers multiplies'] },
  { file: 'rspec-error.txt', exit: 1, outcome: 'errored', detected: 'rspec', counts: { passed: 0, failed: 0, skipped: 0 }, failing: [] },
  // phpunit
  { file: 'phpunit-pass.txt', exit: 0, outcome: 'passed', detected: 'phpunit', counts: { passed: 3, failed: 0, skipped: 0 }, failing: [] },
  { file: 'phpunit-fail.txt', exit: 2, outcome: 'failed', detected: 'phpunit', counts: { passed: 1, failed: 3, skipped: 1 }, failing: ['CalcTest::testExplodes', 'CalcTest::testSubtracts', 'CalcTest::testMultipliesBigNumbers'] },
  { file: 'phpunit-tty-fail.txt', exit: 2, outcome: 'failed', detected: 'phpunit', counts: { passed: 1, failed: 3, skipped: 1 }, failing: ['CalcTest::testExplodes', 'CalcTest::testSubtracts', 'CalcTest::testMultipliesBigNumbers'] },
  { file: 'phpunit-error.txt', exit: 255, outcome: 'errored', detected: 'phpunit', failing: [] },
];

function expectedSummary(e: Expectation): TestSummary {
  const s: TestSummary = { outcome: e.outcome, failing: e.failing, detected: e.detected };
  if (e.counts) Object.assign(s, e.counts);
  return s;
}

suite('parseTestOutput: fixtures', () => {
  test('every fixture has an expectation', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
    assert.deepEqual(EXPECTED.map((e) => e.file).sort(), files);
  });

  for (const e of EXPECTED) {
    test(`${e.file}: ${e.outcome}`, () => {
      assert.deepEqual(parseTestOutput(fixture(e.file), e.exit), expectedSummary(e));
    });
  }

  test('TTY captures parse the same raw or stripped', () => {
    for (const e of EXPECTED.filter((x) => x.file.includes('-tty-'))) {
      const raw = fixture(e.file);
      assert.ok(raw.includes('\x1b['), `${e.file} has escape sequences`);
      assert.deepEqual(parseTestOutput(stripTerminalSequences(raw), e.exit), parseTestOutput(raw, e.exit), e.file);
    }
  });

  test('counts and failing names do not depend on the exit code being known', () => {
    for (const e of EXPECTED.filter((x) => x.counts && x.outcome !== 'errored')) {
      const s = parseTestOutput(fixture(e.file), undefined);
      assert.equal(s.outcome, e.outcome, e.file);
      assert.deepEqual({ passed: s.passed, failed: s.failed, skipped: s.skipped }, e.counts, e.file);
      assert.deepEqual(s.failing, e.failing, e.file);
    }
  });
});

suite('parseTestOutput: the runner hint', () => {
  test('finds mocha output under npm, and under a wrong hint', () => {
    const expected = parseTestOutput(fixture('mocha-fail.txt'), 2);
    assert.equal(expected.detected, 'mocha');
    assert.deepEqual(parseTestOutput(fixture('mocha-fail.txt'), 2, 'npm'), expected);
    assert.deepEqual(parseTestOutput(fixture('mocha-fail.txt'), 2, 'jest'), expected);
    assert.deepEqual(parseTestOutput(fixture('node-tap-fail.txt'), 1, 'yarn').detected, 'node');
    assert.deepEqual(parseTestOutput(fixture('vitest-fail.txt'), 1, 'pnpm').detected, 'vitest');
  });

  test('with two formats counted, the hinted one wins, else the one whose summary comes last', () => {
    const both = `${fixture('mocha-pass.txt')}\n${fixture('jest-fail.txt')}`;
    assert.equal(parseTestOutput(both, 1).detected, 'jest');
    assert.equal(parseTestOutput(both, 1).outcome, 'failed');
    const hinted = parseTestOutput(both, 1, 'mocha');
    assert.equal(hinted.detected, 'mocha');
    assert.equal(hinted.passed, 2);
    assert.equal(hinted.outcome, 'errored', 'mocha passed but the command failed');
  });
});

suite('parseTestOutput: outcomes', () => {
  test('nothing recognisable: errored on a failing exit code, passed on 0, unknown without', () => {
    assert.deepEqual(parseTestOutput('npm warn something\nall good', 1), { outcome: 'errored', failing: [] });
    assert.deepEqual(parseTestOutput('all good', 0), { outcome: 'passed', failing: [] });
    assert.deepEqual(parseTestOutput('all good', undefined), { outcome: 'unknown', failing: [] });
    assert.deepEqual(parseTestOutput('', null), { outcome: 'unknown', failing: [] });
  });

  test('compile errors before the tests (tsc, npm) are errored even without an exit code', () => {
    const tsc = '> tsc -p . && mocha\n\nsrc/a.ts(3,7): error TS2322: Type \'string\' is not assignable to type \'number\'.\n';
    assert.deepEqual(parseTestOutput(tsc, undefined), { outcome: 'errored', failing: [] });
    assert.equal(parseTestOutput('src/a.ts:3:7 - error TS2322: Type…', undefined).outcome, 'errored');
    assert.equal(parseTestOutput('npm error Missing script: "test"\n', undefined).outcome, 'errored');
  });

  test('counts without failures and a failing exit code: errored (the command failed, no test did)', () => {
    const s = parseTestOutput(`${fixture('mocha-pass.txt')}\n> eslint .\n  1 error\n`, 1, 'npm');
    assert.equal(s.outcome, 'errored');
    assert.equal(s.passed, 2);
    assert.equal(s.failed, 0);
  });

  test('log lines that merely look like a runner\'s are not taken for it', () => {
    assert.deepEqual(parseTestOutput('ERROR could not reach the registry\nFAILED to start\n', 1), { outcome: 'errored', failing: [] });
    assert.deepEqual(parseTestOutput('ok 3 - not go\nBUILD FAILED\n', 1), { outcome: 'errored', failing: [], detected: 'gradle' });
  });

  test('a failing format without counts is failed', () => {
    assert.equal(parseTestOutput('--- FAIL: TestX (0.00s)\n', undefined).outcome, 'failed');
    assert.deepEqual(parseTestOutput('--- FAIL: TestX (0.00s)\n', 1).failing, ['TestX']);
  });

  test('jest: no tests found is errored; with --passWithNoTests it passed', () => {
    const none = 'No tests found, exiting with code 1\nRun with `--passWithNoTests` to exit with code 0\n\nTest Suites: 0 total\nTests:       0 total\n';
    assert.equal(parseTestOutput(none, 1).outcome, 'errored');
    assert.equal(parseTestOutput('Test Suites: 0 total\nTests:       0 total\n', 0).outcome, 'passed');
  });

  test('jest: a suite that fails to run next to passing suites is errored', () => {
    const out = 'FAIL ./b.test.js\n  ● Test suite failed to run\n\n    SyntaxError\n\nPASS ./a.test.js\n\nTest Suites: 1 failed, 1 passed, 2 total\nTests:       2 passed, 2 total\n';
    const s = parseTestOutput(out, undefined);
    assert.equal(s.outcome, 'errored');
    assert.equal(s.passed, 2);
    assert.deepEqual(s.failing, []);
  });

  test('jest: todo tests count as skipped', () => {
    assert.deepEqual(parseTestOutput('Tests:       1 failed, 2 todo, 3 passed, 6 total\n', 1), { outcome: 'failed', passed: 3, failed: 1, skipped: 2, failing: [], detected: 'jest' });
  });

  test('vitest: the last summary of a redrawn TTY view holds', () => {
    const out = ' Test Files  0 passed (1)\n      Tests  0 passed (0)\n ✓ a.test.ts (3 tests) 2ms\n Test Files  1 passed (1)\n      Tests  3 passed (3)\n';
    assert.deepEqual(parseTestOutput(out, 0), { outcome: 'passed', passed: 3, failed: 0, skipped: 0, failing: [], detected: 'vitest' });
  });

  test('vitest: failing names from × lines when no FAIL section was printed', () => {
    const out = ' ❯ a.test.ts (2 tests | 1 failed) 3ms\n   × adds numbers 2ms\n   ✓ subtracts\n      Tests  1 failed | 1 passed (2)\n';
    assert.deepEqual(parseTestOutput(out, 1).failing, ['adds numbers']);
  });

  test('mocha: consecutive runs are summed; hook failures are named', () => {
    const out = '  3 passing (5ms)\n\n  2 passing (1s)\n  1 failing\n\n  1) db\n       "before all" hook for "reads":\n     Error: connect ECONNREFUSED\n';
    assert.deepEqual(parseTestOutput(out, 1), { outcome: 'failed', passed: 5, failed: 1, skipped: 0, failing: ['db "before all" hook for "reads"'], detected: 'mocha' });
  });

  test('mocha: the numbered failure list is read only after the summary, in sequence', () => {
    const r = parseMocha(['  suite', '    1) looks like an entry', '  0 passing (1ms)', '  1 failing', '', '  1) top-level test:', '     Error: see 2) below', '  3) not in sequence:']);
    assert.deepEqual(r?.failing, ['top-level test']);
  });

  test('node: TAP TODO and SKIP directives are not failures', () => {
    const out = 'TAP version 13\nnot ok 1 - later # TODO\nok 2 - skipped # SKIP\nnot ok 3 - real\n  ---\n  ...\n1..3\n# tests 3\n# pass 0\n# fail 1\n# skipped 1\n# todo 1\n';
    assert.deepEqual(parseTestOutput(out, 1), { outcome: 'failed', passed: 0, failed: 1, skipped: 2, failing: ['real'], detected: 'node' });
  });

  test('pytest: quiet summaries, deselected tests, xpassed, no tests ran', () => {
    assert.deepEqual(parseTestOutput('..x.\n3 passed, 1 xfailed, 2 deselected in 0.05s\n', 0), { outcome: 'passed', passed: 3, failed: 0, skipped: 1, failing: [], detected: 'pytest' });
    assert.equal(parseTestOutput('=== 1 xpassed, 2 warnings in 1.20s ===', 0).passed, 1);
    assert.equal(parseTestOutput('============ no tests ran in 0.01s ============', 5).outcome, 'errored');
    assert.equal(parseTestOutput('= 1 failed, 1 passed in 62.00s (0:01:02) =', 1).failed, 1);
  });

  test('cargo: a compile error in one target with results from others is still counted', () => {
    const r = parseCargo(['test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s', 'error[E0425]: cannot find value `x`', 'error: could not compile `calc` (test "it") due to 1 previous error']);
    assert.equal(r?.counted, true);
    assert.equal(r?.errored, true);
    assert.equal(parseTestOutput(['test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s', 'error[E0425]: cannot find value `x`'].join('\n'), 101).outcome, 'errored');
  });

  test('maven: the aggregated results of several modules are summed', () => {
    const out = [
      '[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.05 s -- in a.ATest',
      '[INFO] Results:',
      '[INFO] ',
      '[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0',
      '[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.05 s <<< FAILURE! -- in b.BTest',
      '[ERROR] b.BTest.fails -- Time elapsed: 0.01 s <<< FAILURE!',
      '[INFO] Results:',
      '[INFO] ',
      '[ERROR] Failures: ',
      '[ERROR]   BTest.fails:9 expected: <1> but was: <2>',
      '[INFO] ',
      '[ERROR] Tests run: 2, Failures: 1, Errors: 0, Skipped: 0',
      '[INFO] BUILD FAILURE',
    ].join('\n');
    assert.deepEqual(parseTestOutput(out, 1), { outcome: 'failed', passed: 4, failed: 1, skipped: 0, failing: ['BTest.fails'], detected: 'maven' });
  });

  test('maven: surefire 2 lists and failure lines', () => {
    const out = ['Running com.example.CalcTest', 'Tests run: 2, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.01 sec <<< FAILURE!', 'subtracts(com.example.CalcTest)  Time elapsed: 0.003 sec  <<< FAILURE!', '', 'Results :', '', 'Failed tests: ', '  subtracts(com.example.CalcTest): expected:<3> but was:<2>', '', 'Tests run: 2, Failures: 1, Errors: 0, Skipped: 0'].join('\n');
    assert.deepEqual(parseTestOutput(out, 1), { outcome: 'failed', passed: 1, failed: 1, skipped: 0, failing: ['subtracts(com.example.CalcTest)'], detected: 'maven' });
  });

  test('dotnet: the .NET Core 3 summary block', () => {
    const out = 'Failed   Calc.Tests.Subtracts [3ms]\nTest Run Failed.\nTotal tests: 5\n     Passed: 4\n     Failed: 1\n Total time: 1.2 Seconds\n';
    assert.deepEqual(parseTestOutput(out, 1), { outcome: 'failed', passed: 4, failed: 1, skipped: 0, failing: ['Calc.Tests.Subtracts'], detected: 'dotnet' });
  });

  test('phpunit: OK with skipped tests, and other issue sections are not failures', () => {
    const out = 'There was 1 risky test:\n\n1) CalcTest::testNothing\nThis test did not perform any assertions\n\nOK, but incomplete, skipped, or risky tests!\nTests: 4, Assertions: 3, Skipped: 1, Risky: 1.\n';
    assert.deepEqual(parseTestOutput(out, 0), { outcome: 'passed', passed: 3, failed: 0, skipped: 1, failing: [], detected: 'phpunit' });
  });

  test('rspec: errors outside of examples next to examples run make a run without failures errored', () => {
    assert.equal(parseTestOutput('3 examples, 0 failures, 1 error occurred outside of examples\n', undefined).outcome, 'errored');
  });

  test('failing names are capped', () => {
    const out = Array.from({ length: 80 }, (_, i) => `--- FAIL: Test${i} (0.00s)`).join('\n') + '\nFAIL\tpkg\t0.01s\n';
    const s = parseTestOutput(out, 1);
    assert.equal(s.failing.length, MAX_FAILING_NAMES);
    assert.equal(s.failing[0], 'Test0');
    assert.equal(s.failed, 1, 'without -v the counts are packages');
  });

  test('stays fast on megabytes of output full of near-misses', () => {
    const nearMisses = [
      'Tests: ' + '1 '.repeat(2000),
      '      Tests  ' + '1 passed | '.repeat(300),
      '=' + ' in '.repeat(1000) + 'x',
      '✖ ' + ' ('.repeat(1500),
      '  Failed ' + ' ['.repeat(1500),
      'x > y'.repeat(600) + ' FAILE',
      '!' + ' Interrupted: !'.repeat(200) + 'x',
      'ok ' + ' '.repeat(3000) + 'x',
      'test ' + ' ... '.repeat(700) + 'FAILE',
      'a'.repeat(10_000),
    ];
    const out = Array.from({ length: 400 }, () => nearMisses.join('\n')).join('\n') + '\n  2 passing (3ms)\n';
    assert.ok(out.length > 4_000_000);
    const started = process.hrtime.bigint();
    const s = parseTestOutput(out, 0);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.equal(s.detected, 'mocha');
    assert.equal(s.passed, 2);
  });
});

suite('recogniseTestCommand', () => {
  const positives: [string, TestRunner][] = [
    ['npm test', 'npm'],
    ['npm t', 'npm'],
    ['npm run test', 'npm'],
    ['npm run test:unit', 'npm'],
    ['npm run-script test-e2e -- --grep foo', 'npm'],
    ['npm --silent test', 'npm'],
    ['npm test --workspace=packages/app', 'npm'],
    ['npm cit', 'npm'],
    ['yarn test', 'yarn'],
    ['yarn run test:unit', 'yarn'],
    ['yarn test:watch', 'yarn'],
    ['yarn workspace @acme/app test', 'yarn'],
    ['pnpm test', 'pnpm'],
    ['pnpm -r test', 'pnpm'],
    ['pnpm --filter app run test', 'pnpm'],
    ['npx jest', 'jest'],
    ['npx --yes jest --ci', 'jest'],
    ['jest', 'jest'],
    ['./node_modules/.bin/jest src', 'jest'],
    ['yarn jest --watch', 'jest'],
    ['npm exec -- jest', 'jest'],
    ['vitest', 'vitest'],
    ['npx vitest run', 'vitest'],
    ['pnpm exec vitest run --coverage', 'vitest'],
    ['pnpm vitest', 'vitest'],
    ['mocha', 'mocha'],
    ['npx mocha "test/**/*.test.js"', 'mocha'],
    ['node --test', 'node'],
    ['node --test test/', 'node'],
    ['node --import tsx --test src/**/*.test.ts', 'node'],
    ['node --experimental-strip-types --test', 'node'],
    ['pytest', 'pytest'],
    ['pytest -k "not slow" tests/', 'pytest'],
    ['python -m pytest', 'pytest'],
    ['python3 -m pytest -x', 'pytest'],
    ['py.test', 'pytest'],
    ['uv run pytest', 'pytest'],
    ['poetry run pytest -q', 'pytest'],
    ['go test ./...', 'go'],
    ['go test -v -run TestFoo ./pkg/...', 'go'],
    ['cargo test', 'cargo'],
    ['cargo +nightly test --workspace', 'cargo'],
    ['cargo t', 'cargo'],
    ['mvn test', 'maven'],
    ['./mvnw test', 'maven'],
    ['mvn -q verify', 'maven'],
    ['mvn -pl core -am clean test', 'maven'],
    ['mvn surefire:test -Dtest=CalcTest', 'maven'],
    ['gradle test', 'gradle'],
    ['./gradlew test', 'gradle'],
    ['./gradlew :app:testDebugUnitTest', 'gradle'],
    ['gradlew.bat check', 'gradle'],
    ['./gradlew integrationTest --tests "*Calc*"', 'gradle'],
    ['dotnet test', 'dotnet'],
    ['dotnet test --filter Category=Unit', 'dotnet'],
    ['rspec', 'rspec'],
    ['bundle exec rspec spec/models', 'rspec'],
    ['bin/rspec', 'rspec'],
    ['bundle exec rake spec', 'rspec'],
    ['phpunit', 'phpunit'],
    ['vendor/bin/phpunit --filter testAdd', 'phpunit'],
    ['php vendor/bin/phpunit', 'phpunit'],
    // prefixes, wrappers, chains, pipes
    ['CI=1 npm test', 'npm'],
    ['NODE_ENV=test FORCE_COLOR=0 npx jest', 'jest'],
    ['env CI=true go test ./...', 'go'],
    ['time cargo test', 'cargo'],
    ['time -p pytest', 'pytest'],
    ['nice -n 10 npm test', 'npm'],
    ['timeout 300 npm test', 'npm'],
    ['xvfb-run -a npm test', 'npm'],
    ['npx cross-env CI=1 jest', 'jest'],
    ['dotenv -e .env.test -- vitest run', 'vitest'],
    ['cd app && npm test', 'npm'],
    ['cd app; npm test', 'npm'],
    ['npm run build && npm test', 'npm'],
    ['npm ci || true; pytest', 'pytest'],
    ['npm test | tee log.txt', 'npm'],
    ['npm test 2>&1 | tee log.txt', 'npm'],
    ['(cd app && npm test)', 'npm'],
    ['{ npm test; }', 'npm'],
    ['npm test && go test ./...', 'npm'],
    ["sh -c 'npm test'", 'npm'],
    ['bash -lc "cd app && pytest"', 'pytest'],
    ['$env:CI=1; npm test', 'npm'],
    ['npm.cmd test', 'npm'],
    ['C:\\tools\\node_modules\\.bin\\jest.cmd', 'jest'],
    ['.\\gradlew.bat test', 'gradle'],
    ['npm test # run the tests', 'npm'],
  ];
  for (const [line, runner] of positives) {
    test(`recognises ${line}`, () => assert.equal(recogniseTestCommand(line), runner));
  }

  const negatives = [
    'npm install',
    'npm i -D jest',
    'npm run build',
    'npm run lint -- test/',
    'npm run pretest',
    'git commit -m "test"',
    "git commit -m 'npm test'",
    'echo test',
    'echo "npm test"',
    'cat test.txt',
    'ls test/',
    'node test.js',
    'node scripts/run.js --test',
    'node -e "require(\'node:test\')" --test',
    'python test.py',
    'python -m unittest',
    'go build ./...',
    'go vet ./...',
    'cargo build',
    'cargo testify',
    'mvn package',
    'mvn install',
    'mvn -DskipTests verify',
    'gradle build',
    './gradlew compileTestJava',
    'dotnet build',
    'sudo npm test',
    'jest --version',
    'vitest bench',
    'yarn add vitest',
    'pnpm install',
    'npx prettier --check test/',
    'bundle install',
    'sh -c "ls test"',
    'grep -r test src | wc -l',
    '',
    '   ',
  ];
  for (const line of negatives) {
    test(`does not recognise ${JSON.stringify(line)}`, () => assert.equal(recogniseTestCommand(line), undefined));
  }

  test('splits commands at operators outside quotes only', () => {
    assert.deepEqual(splitCommands(`a "b && c" 'd|e' f\\;g && h; i | j & k`), [['a', 'b && c', 'd|e', 'f;g'], ['h'], ['i'], ['j'], ['k']]);
    assert.deepEqual(splitCommands('cmd 2>&1 >log &>all'), [['cmd', '2>&1', '>log', '&>all']]);
    assert.deepEqual(splitCommands('a "x \\" y" b # c && d\ne'), [['a', 'x " y', 'b'], ['e']]);
  });

  test('is linear on a very long command line', () => {
    const line = `${'a'.repeat(100_000)} && "${'b'.repeat(100_000)} && npm test`;
    const started = process.hrtime.bigint();
    assert.equal(recogniseTestCommand(line), undefined); // past the examined length, inside a quote
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000);
  });
});

suite('recogniseTestTask', () => {
  test('a task whose command line runs tests, whatever its group', () => {
    assert.deepEqual(recogniseTestTask('check everything', 'build', 'cargo test --workspace'), { runner: 'cargo', reason: 'command' });
    assert.deepEqual(recogniseTestTask('whatever', undefined, 'npm test'), { runner: 'npm', reason: 'command' });
  });

  test('a task in the test group, with the runner from its name when it tells', () => {
    assert.deepEqual(recogniseTestTask('run all checks', 'test'), { reason: 'group' });
    assert.deepEqual(recogniseTestTask('npm: test', 'test'), { runner: 'npm', reason: 'group' });
    assert.deepEqual(recogniseTestTask('custom', 'test', './scripts/check.sh'), { reason: 'group' });
  });

  test('a task named like a test command or script, outside the build group', () => {
    assert.deepEqual(recogniseTestTask('npm: test', undefined), { runner: 'npm', reason: 'name' });
    assert.deepEqual(recogniseTestTask('npm: test:unit - packages/app', undefined), { runner: 'npm', reason: 'name' });
    assert.deepEqual(recogniseTestTask('yarn: test', undefined), { runner: 'yarn', reason: 'name' });
    assert.deepEqual(recogniseTestTask('rust: cargo test', undefined), { runner: 'cargo', reason: 'name' });
    assert.deepEqual(recogniseTestTask('cargo test', undefined), { runner: 'cargo', reason: 'name' });
    assert.deepEqual(recogniseTestTask('gradle: test', undefined), { runner: 'gradle', reason: 'name' });
    assert.deepEqual(recogniseTestTask('test', undefined), { reason: 'name' });
    assert.deepEqual(recogniseTestTask('Run tests', undefined), { reason: 'name' });
  });

  test('not a test task', () => {
    assert.equal(recogniseTestTask('npm: build', undefined), undefined);
    assert.equal(recogniseTestTask('npm: test', 'build'), undefined);
    assert.equal(recogniseTestTask('tsc: watch - tsconfig.json', 'build', 'tsc -w'), undefined);
    assert.equal(recogniseTestTask('npm: lint', undefined, 'npm run lint'), undefined);
    assert.equal(recogniseTestTask('deploy test environment', undefined), undefined);
  });
});
