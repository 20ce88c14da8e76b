/**
 * Validation of events against schema/worktrace-1.schema.json, for unit tests and for
 * the integration tests that run inside VS Code (so the schema is found by walking up
 * from this file to the repository root, wherever the compiled file lives).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

export const SCHEMA_FILE = join('schema', 'worktrace-1.schema.json');

/** The repository root: the nearest folder above `from` whose package.json is named "worktrace". */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'worktrace') {
          return dir;
        }
      } catch {
        // not the manifest we look for; keep walking up
      }
    }
    if (dirname(dir) === dir) {
      throw new Error(`no package.json named "worktrace" above ${from}`);
    }
  }
}

/** The schema document, parsed. */
export function loadSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(findRepoRoot(), SCHEMA_FILE), 'utf8')) as Record<string, unknown>;
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    compiled = ajv.compile(loadSchema());
  }
  return compiled;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.unevaluatedProperty === 'string'
      ? ` (${params.unevaluatedProperty})`
      : typeof params.additionalProperty === 'string'
        ? ` (${params.additionalProperty})`
        : '';
  return `${where} ${error.message ?? error.keyword}${detail}`;
}

/** Validates one event; returns the problems found (empty when the event is valid). */
export function validateEvent(e: unknown): string[] {
  const validate = validator();
  return validate(e) ? [] : (validate.errors ?? []).map(describeError);
}
