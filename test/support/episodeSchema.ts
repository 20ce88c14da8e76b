/**
 * Validation of episodes against schema/worktrace-episode-1.schema.json (ajv, draft 2020-12,
 * strict), as test/support/schema.ts does for events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { findRepoRoot } from './schema';

export const EPISODE_SCHEMA_FILE = join('schema', 'worktrace-episode-1.schema.json');

export function loadEpisodeSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(findRepoRoot(), EPISODE_SCHEMA_FILE), 'utf8')) as Record<string, unknown>;
}

let compiled: ValidateFunction | undefined;

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const name = typeof params.unevaluatedProperty === 'string' ? params.unevaluatedProperty : typeof params.additionalProperty === 'string' ? params.additionalProperty : undefined;
  return `${error.instancePath === '' ? '/' : error.instancePath} ${error.message ?? error.keyword}${name === undefined ? '' : ` (${name})`}`;
}

/** The problems of one episode (empty when it is valid). */
export function validateEpisode(episode: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: true }).compile(loadEpisodeSchema());
  return compiled(episode) ? [] : (compiled.errors ?? []).map(describe);
}
