/**
 * Bench build only: whether the shims name where each timer was set and which collector
 * subscribed each listener (a stack taken at each): with WORKTRACE_BENCH_ORIGINS=1, or with
 * --profile unless WORKTRACE_BENCH_ORIGINS=0.
 */
export const traceOrigins = process.env.WORKTRACE_BENCH_ORIGINS === undefined ? process.env.WORKTRACE_BENCH_CPU_PROFILE !== undefined : process.env.WORKTRACE_BENCH_ORIGINS !== '0';
