/**
 * Where a run's time goes, for the benchmark: with VSS_PREFLIGHT_TIMINGS=1 in the environment the
 * CLI ends with one stderr line "timings: start-up 0.81 s, read 0.20 s, ..." (phases in order,
 * each from the end of the one before; start-up counts from the process start). Off, it costs a
 * clock read per phase.
 */
const phases: [name: string, ms: number][] = [];
let last = 0; // performance.now() counts from the process start

/** The phase that just ended. */
export function phaseDone(name: string): void {
  const now = performance.now();
  phases.push([name, now - last]);
  last = now;
}

export const timingsWanted = (env: NodeJS.ProcessEnv) => env['VSS_PREFLIGHT_TIMINGS'] === '1';

export const timingsLine = () => `timings: ${phases.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`).join(', ')}\n`;
