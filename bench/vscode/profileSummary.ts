/**
 * Reads a .cpuprofile written by the probe (`npm run bench -- --profile DIR`) and says what
 * Worktrace spent: the samples whose stack passes through Worktrace's bundle, in all and by
 * the Worktrace function nearest the top of the stack.
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
}

/** Frames of the bench build of Worktrace (bench/vscode/extensionBuild.ts puts it in <tmp>/extension/dist). */
const isWorktrace = (url: string): boolean => /worktrace-bench-[^/]+\/extension\/dist\/[^/]+\.js$/.test(url);

export function summarizeProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byFunction = new Map<string, number>();
  let worktraceUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const frame = byId.get(x)?.callFrame;
      if (frame && isWorktrace(frame.url)) {
        worktraceUs += dt;
        const name = `${frame.functionName || '(anonymous)'} :${frame.lineNumber + 1}`;
        byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
        return;
      }
    }
  });
  return {
    spanMs: (profile.endTime - profile.startTime) / 1000,
    worktraceMs: worktraceUs / 1000,
    byFunction: [...byFunction].map(([k, v]): [string, number] => [k, v / 1000]).sort((a, b) => b[1] - a[1]),
  };
}

if (require.main === module) {
  for (const file of process.argv.slice(2)) {
    const s = summarizeProfile(file);
    process.stdout.write(`${file}: ${s.spanMs.toFixed(0)} ms profiled, ${s.worktraceMs.toFixed(1)} ms in Worktrace\n`);
    for (const [name, ms] of s.byFunction.slice(0, 15)) process.stdout.write(`  ${ms.toFixed(1).padStart(8)} ms  ${name}\n`);
  }
}
