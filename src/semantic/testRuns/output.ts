/**
 * What a test run's output says: every runner's parser runs over the output's lines
 * ({@link OUTPUT_PARSERS}, the one list of parsers), one result is chosen, and the outcome
 * follows from it and the exit code. Plain Node; never imports `vscode`.
 */
import { stripTerminalSequences } from '../terminalText';
import { parseCargo } from './cargo';
import type { OutputParser, RunnerParse } from './common';
import { parseDotnet } from './dotnet';
import { parseGo } from './goTest';
import { parseGradle } from './gradle';
import { parseJest } from './jest';
import { parseMaven } from './maven';
import { parseMocha } from './mocha';
import { parseNode } from './nodeTest';
import { parsePhpunit } from './phpunit';
import { parsePytest } from './pytest';
import { parseRspec } from './rspec';
import { MAX_PARSED_LINE, type TestOutcome, type TestRunner, type TestSummary } from './types';
import { parseVitest } from './vitest';

export const OUTPUT_PARSERS: readonly OutputParser[] = [parseJest, parseVitest, parseMocha, parseNode, parsePytest, parseGo, parseCargo, parseMaven, parseGradle, parseDotnet, parseRspec, parsePhpunit];

/** Compile errors and tool failures that mean no test ran, whatever the runner. */
function genericError(lines: readonly string[]): boolean {
  for (const line of lines) {
    if (/\(\d+,\d+\): error TS\d+:/.test(line) || /:\d+:\d+ - error TS\d+:/.test(line)) return true; // tsc
    if (line.startsWith('npm ERR! ') || line.startsWith('npm error ') || line.startsWith('ERR_PNPM_') || line.startsWith('error Command failed with exit code')) return true;
  }
  return false;
}

/** The output's lines for the parsers: escape sequences removed, lines over {@link MAX_PARSED_LINE} blanked. */
export function outputLines(output: string): string[] {
  const raw = output.includes('\x1b') || output.includes('\r') || output.includes('\x9b') || output.includes('\b');
  const lines = (raw ? stripTerminalSequences(output) : output).split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].length > MAX_PARSED_LINE) lines[i] = '';
  return lines;
}

/**
 * What a test run's output says: counts, outcome and failing tests. `output` may be raw
 * terminal output (escape sequences are stripped here) or already stripped text.
 *
 * Every runner's format is tried whatever `runner` says (`npm test` may run jest, mocha,
 * vitest, `node --test`…). When several formats have counts, the one of `runner` wins,
 * else the one whose summary comes last; formats without counts are considered only when
 * none has counts. Counts of one format are summed over its summaries (cargo's unit,
 * integration and doc tests; Maven modules; Gradle test tasks; dotnet test projects;
 * consecutive mocha runs…), except jest's and vitest's, whose TTY view redraws the
 * summary: their last summary holds. See {@link TestSummary.outcome} for the outcomes.
 */
export function parseTestOutput(output: string, exitCode: number | null | undefined, runner?: TestRunner): TestSummary {
  const lines = outputLines(output);
  const exitKnown = typeof exitCode === 'number';
  const exitFailed = exitKnown && exitCode !== 0;
  const chosen = choose(
    OUTPUT_PARSERS.map((parse) => parse(lines)).filter((r): r is RunnerParse => r !== undefined),
    runner,
  );
  if (!chosen) {
    const outcome: TestOutcome = exitFailed || genericError(lines) ? 'errored' : exitKnown ? 'passed' : 'unknown';
    return { outcome, failing: [] };
  }
  const summary: TestSummary = { outcome: 'unknown', failing: chosen.failing, detected: chosen.runner };
  if (chosen.counted) {
    summary.passed = chosen.passed;
    summary.failed = chosen.failed;
    summary.skipped = chosen.skipped;
    if (chosen.noTestsRan) summary.outcome = 'errored';
    else if ((chosen.failed ?? 0) > 0) summary.outcome = 'failed';
    else if (chosen.errored || exitFailed) summary.outcome = 'errored';
    else summary.outcome = 'passed';
  } else if (chosen.errored) {
    summary.outcome = 'errored';
  } else if (chosen.failedMarker) {
    summary.outcome = 'failed';
  } else {
    summary.outcome = exitFailed ? 'errored' : 'passed'; // a success marker
  }
  return summary;
}

function choose(found: readonly RunnerParse[], hint: TestRunner | undefined): RunnerParse | undefined {
  const counted = found.filter((r) => r.counted);
  const pool = counted.length > 0 ? counted : found;
  if (pool.length === 0) return undefined;
  return pool.find((r) => r.runner === hint) ?? pool.reduce((best, r) => (r.lastLine > best.lastLine ? r : best));
}
