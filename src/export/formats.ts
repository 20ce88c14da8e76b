/**
 * The export formats `--format` can name, in the order `--help` lists them. Plain Node.
 */
import { agentTraceFormat } from './agentTrace';
import { atifFormat } from './atif';
import { chromeTraceFormat } from './chromeTrace';
import type { ExportFormat } from './format';
import { messagesFormat } from './messages';
import { openhandsFormat } from './openhands';
import { worktraceFormat } from './worktrace';

export const FORMATS: readonly ExportFormat[] = [worktraceFormat, atifFormat, openhandsFormat, messagesFormat, chromeTraceFormat, agentTraceFormat];

/** The format of this name, if any. */
export function findFormat(name: string): ExportFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}
