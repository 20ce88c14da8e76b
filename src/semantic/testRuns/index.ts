/**
 * Recognising test runs in terminals and tasks, for the `test.run` event: which command
 * lines run tests, and what a runner's output says about the run (counts, outcome, names
 * of the failing tests). Plain Node; never imports `vscode`.
 *
 * Output parsing is line based: every runner's parser walks the lines once and matches
 * short, anchored patterns; lines longer than `MAX_PARSED_LINE` are skipped (no
 * summary line is that long), so megabytes of output parse in linear time.
 *
 * This file is the folder's public face (import from `semantic/testRuns`); the parts:
 * - types.ts: runners, outcomes, `TestSummary`, limits
 * - commandLine.ts: splitting a shell command line into simple commands
 * - recognise.ts: which runner a command line starts (`recogniseTestCommand`)
 * - task.ts: whether a VS Code task runs tests (`recogniseTestTask`)
 * - common.ts: what the output parsers share (RunnerParse, the Found accumulator, counts)
 * - jest.ts, vitest.ts, mocha.ts, nodeTest.ts, pytest.ts, goTest.ts, cargo.ts, maven.ts,
 *   gradle.ts, dotnet.ts, rspec.ts, phpunit.ts: one output parser per runner
 * - output.ts: `OUTPUT_PARSERS`, the one list of parsers, and `parseTestOutput`
 *
 * Adding a runner: its name in `TestRunner` and `TEST_RUNNERS` (types.ts), its command in
 * recognise.ts, its parser in a file of its own, listed in `OUTPUT_PARSERS` (output.ts)
 * and exported below.
 */
export type { TestOutcome, TestRunner, TestSummary } from './types';
export { MAX_FAILING_NAMES, MAX_NAME_LENGTH, MAX_PARSED_LINE, TEST_RUNNERS } from './types';
export { splitCommands } from './commandLine';
export { MAX_COMMAND_LINE, recogniseTestCommand } from './recognise';
export type { TestTaskMatch } from './task';
export { recogniseTestTask } from './task';
export type { OutputParser, RunnerParse } from './common';
export { parseJest } from './jest';
export { parseVitest } from './vitest';
export { parseMocha } from './mocha';
export { parseNode } from './nodeTest';
export { parsePytest } from './pytest';
export { parseGo } from './goTest';
export { parseCargo } from './cargo';
export { parseMaven } from './maven';
export { parseGradle } from './gradle';
export { parseDotnet } from './dotnet';
export { parseRspec } from './rspec';
export { parsePhpunit } from './phpunit';
export { OUTPUT_PARSERS, outputLines, parseTestOutput } from './output';
