/**
 * The export formats' contracts: JSON Schemas written from each format's published
 * definition, kept under test/fixtures/formats/<format>/ (each folder's README names the
 * source), compiled with ajv (draft 2020-12), and a helper that runs an export.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import type { Episode } from '../../src/episodes/episode';
import type { ExportFormat } from '../../src/export/format';
import { findRepoRoot } from './schema';

export function fixturePath(...parts: string[]): string {
  return join(findRepoRoot(), 'test', 'fixtures', 'formats', ...parts);
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const detail = typeof params.additionalProperty === 'string' ? ` (${params.additionalProperty})` : '';
  return `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? error.keyword}${detail}`;
}

export interface Validator {
  /** The problems found (empty when valid). */
  (value: unknown): string[];
}

/** A validator for `test/fixtures/formats/<format>/<file>`. */
export function formatValidator(format: string, file: string): Validator {
  const schema = JSON.parse(readFileSync(fixturePath(format, file), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  const validate: ValidateFunction = ajv.compile(schema);
  return (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map(describe));
}

/** A JSON Schema (e.g. a tool's parameters) as a validator. */
export function schemaValidator(schema: object): Validator {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (value: unknown) => (validate(value) ? [] : (validate.errors ?? []).map(describe));
}

/** The bytes an export of these episodes writes. */
export function runExport(format: ExportFormat, episodes: readonly Episode[]): string {
  const writer = format.create();
  let out = writer.begin();
  for (const episode of episodes) out += writer.episode(episode);
  return out + writer.end();
}

/** The lines of a JSON Lines export, parsed. */
export function jsonLines(text: string): unknown[] {
  if (!text.endsWith('\n')) throw new Error('a JSON Lines export ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}
