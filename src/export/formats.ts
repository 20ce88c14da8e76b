/**
 * The export formats `--format` can name. Plain Node.
 */
import type { ExportFormat } from './format';
import { worktraceFormat } from './worktrace';

export const FORMATS: readonly ExportFormat[] = [worktraceFormat];

/** The format of this name, if any. */
export function findFormat(name: string): ExportFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}
