/**
 * Reads a .cpuprofile written by the probe (`npm run bench -- --profile DIR`) and says what
 * Worktrace spent: the samples whose stack passes through Worktrace's bundle, in all and by
 * the Worktrace function nearest the top of the stack; and its longest stretches of samples in
 * a row (a long synchronous block), each with the functions it spent most in.
 * `node out/bench/vscode/profileSummary.js FILE…` prints it for each file.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Length of the profile (ms). */
  spanMs: number;
  /** Time in samples whose stack holds a frame of Worktrace's bundle (ms). */
  worktraceMs: number;
  /** By the innermost Worktrace function of each such stack (ms), largest first. */
  byFunction: [string, number][];
  /** The longest runs of consecutive Worktrace samples, longest first (at most 5). */
  stretches: Stretch[];
}

export interface Stretch {
  /** Offset from the profile's start (ms) and length (ms). */
  atMs: number;
  ms: number;
  /** The Worktrace frames it spent most in (innermost first, then their callers), ms each. */
  top: [string, number][];
}

/** Frames of the bench build of Worktrace (bench/vscode/extensionBuild.ts puts it in <tmp>/extension/dist). */
const isWorktrace = (url: string): boolean => /worktrace-bench-[^/]+\/extension\/dist\/[^/]+\.js$/.test(url);

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byFunction = new Map<string, number>();
  const nameOf = (frame: ProfileNode['callFrame']): string => `${frame.functionName || '(anonymous)'} :${frame.lineNumber + 1}`;
  let worktraceUs = 0;
  const stretches: { atUs: number; us: number; frames: Map<string, number> }[] = [];
  let current: { atUs: number; us: number; frames: Map<string, number> } | undefined;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    clock += profile.timeDeltas[i] ?? 0;
    const frames: string[] = [];
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const frame = byId.get(x)?.callFrame;
      if (frame && isWorktrace(frame.url)) frames.push(nameOf(frame));
    }
    if (frames.length === 0) {
      current = undefined;
      return;
    }
    worktraceUs += dt;
    byFunction.set(frames[0], (byFunction.get(frames[0]) ?? 0) + dt);
    if (!current) {
      current = { atUs: clock, us: 0, frames: new Map() };
      stretches.push(current);
    }
    current.us += dt;
    for (const name of new Set(frames)) current.frames.set(name, (current.frames.get(name) ?? 0) + dt);
  });
  return {
    spanMs: (profile.endTime - profile.startTime) / 1000,
    worktraceMs: worktraceUs / 1000,
    byFunction: [...byFunction].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]),
    stretches: stretches
      .sort((a, b) => b.us - a.us)
      .slice(0, 5)
      .map((s) => ({ atMs: s.atUs / 1000, ms: s.us / 1000, top: [...s.frames].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]).slice(0, 12) })),
  };
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    const s = summarizeProfile(file);
    process.stdout.write(`${file}: ${s.spanMs.toFixed(0)} ms profiled, ${s.worktraceMs.toFixed(1)} ms in Worktrace\n`);
    for (const [name, ms] of s.byFunction.slice(0, 15)) process.stdout.write(`  ${ms.toFixed(1).padStart(8)} ms  ${name}\n`);
    if (s.stretches.length > 0) process.stdout.write('  longest stretches of Worktrace samples in a row:\n');
    for (const st of s.stretches) {
      process.stdout.write(`  ${st.ms.toFixed(1).padStart(8)} ms at ${st.atMs.toFixed(0)} ms into the profile\n`);
      for (const [name, ms] of st.top) process.stdout.write(`    ${ms.toFixed(1).padStart(8)} ms  ${name}\n`);
    }
  }
}
