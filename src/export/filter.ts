/**
 * `--filter`: which episodes an export keeps. Each filter is `key=value` or a bare key; a
 * `--filter` may hold several separated by commas, and `--filter` may be repeated. Filters of
 * different keys must all match; several values of one key (e.g. `outcome=done` and
 * `outcome=abandoned`, or two `repo=`) match when any of them does. Plain Node.
 *
 * - `outcome=done|abandoned|handed-off|unknown`: `outcome.status` (explicit or inferred).
 * - `min-steps=N`: at least N steps.
 * - `fixed`: a test went from failing to passing in the episode (`figures.fixed` > 0).
 * - `from=YYYY-MM-DD`, `to=YYYY-MM-DD`: the episode starts on or after the first moment of
 *   `from`, on or before the last moment of `to` (UTC days, both inclusive).
 * - `repo=<root or branch>`: the episode involves that repository or branch. A root is the
 *   repository's folder relative to the workspace as the trace records it (`.` for the
 *   workspace folder itself, `services/api`; a trailing `/` is ignored); a branch is its
 *   short name (`main`, `feature/login`). It matches a root or branch of `start.repos` (where
 *   the episode began), a checkout step's repository or target branch, or a commit step's
 *   repository or branch.
 * - `explicit`: only episodes of an explicit task (Start Task…), not inferred ones.
 */
import type { Episode } from '../episodes/episode';

export const OUTCOMES = ['done', 'abandoned', 'handed-off', 'unknown'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

/** The filter keys, for help and messages. */
export const FILTER_KEYS = ['outcome', 'min-steps', 'fixed', 'from', 'to', 'repo', 'explicit'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

const DAY_MS = 86_400_000;

export interface EpisodeFilter {
  /** Whether `episode` is kept. */
  matches(episode: Episode): boolean;
  /** The filters as given, normalised (`outcome=done, min-steps=3`); empty when none. */
  readonly description: string;
}

export type FilterParse = { ok: true; filter: EpisodeFilter } | { ok: false; message: string };

/** Milliseconds of 00:00 UTC of a `YYYY-MM-DD` day, or undefined when it is not a real date. */
export function parseDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) {
    return undefined;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? ms : undefined;
}

function normaliseRepo(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

/** Roots and branches an episode involves (see the module comment). */
function reposOf(episode: Episode): Set<string> {
  const names = new Set<string>();
  const add = (name: string | null): void => {
    if (name !== null && name !== '') names.add(normaliseRepo(name));
  };
  for (const repo of episode.start.repos) {
    add(repo.root);
    add(repo.branch);
  }
  for (const step of episode.steps) {
    if (step.type === 'checkout') {
      add(step.action.repo);
      add(step.action.to);
    } else if (step.type === 'commit') {
      add(step.action.repo);
      add(step.action.branch);
    }
  }
  return names;
}

/**
 * Parses the `--filter` values (each possibly comma-separated). Never throws; a message
 * names the filter that is wrong and what is expected.
 */
export function parseFilters(specs: readonly string[]): FilterParse {
  const outcomes = new Set<OutcomeName>();
  const repos = new Set<string>();
  let minSteps: number | undefined;
  let fixed = false;
  let explicit = false;
  let from: number | undefined;
  let to: number | undefined;
  const described: string[] = [];
  const items = specs.flatMap((spec) => spec.split(',')).map((item) => item.trim());
  for (const item of items) {
    if (item === '') {
      return { ok: false, message: 'empty --filter (filters are separated by commas: --filter outcome=done,min-steps=3)' };
    }
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      return { ok: false, message: `unknown filter ${JSON.stringify(key)} (known: ${FILTER_KEYS.join(', ')})` };
    }
    const k = key as FilterKey;
    if (k === 'fixed' || k === 'explicit') {
      if (value !== undefined) {
        return { ok: false, message: `the filter ${k} takes no value (got ${JSON.stringify(item)})` };
      }
      if (k === 'fixed') fixed = true;
      else explicit = true;
      described.push(k);
      continue;
    }
    if (value === undefined || value === '') {
      return { ok: false, message: `the filter ${k} needs a value: ${k}=…` };
    }
    switch (k) {
      case 'outcome':
        if (!(OUTCOMES as readonly string[]).includes(value)) {
          return { ok: false, message: `outcome=${value}: the outcome is one of ${OUTCOMES.join(', ')}` };
        }
        outcomes.add(value as OutcomeName);
        break;
      case 'min-steps': {
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
          return { ok: false, message: `min-steps=${value}: needs a whole number of steps (0 or more)` };
        }
        if (minSteps !== undefined) {
          return { ok: false, message: 'min-steps given twice' };
        }
        minSteps = Number(value);
        break;
      }
      case 'from':
      case 'to': {
        const day = parseDay(value);
        if (day === undefined) {
          return { ok: false, message: `${k}=${value}: needs a date as YYYY-MM-DD (UTC)` };
        }
        if ((k === 'from' ? from : to) !== undefined) {
          return { ok: false, message: `${k} given twice` };
        }
        if (k === 'from') from = day;
        else to = day + DAY_MS - 1;
        break;
      }
      case 'repo':
        repos.add(normaliseRepo(value));
        break;
    }
    described.push(`${k}=${value}`);
  }
  if (from !== undefined && to !== undefined && from > to) {
    return { ok: false, message: 'from= is after to=: no episode could match' };
  }
  const filter: EpisodeFilter = {
    description: described.join(', '),
    matches(episode: Episode): boolean {
      if (outcomes.size > 0 && !outcomes.has(episode.outcome.status)) return false;
      if (minSteps !== undefined && episode.steps.length < minSteps) return false;
      if (fixed && episode.figures.fixed === 0) return false;
      if (explicit && episode.goal.source !== 'explicit') return false;
      if (from !== undefined && episode.start.ts < from) return false;
      if (to !== undefined && episode.start.ts > to) return false;
      if (repos.size > 0) {
        const involved = reposOf(episode);
        if (![...repos].some((r) => involved.has(r))) return false;
      }
      return true;
    },
  };
  return { ok: true, filter };
}
