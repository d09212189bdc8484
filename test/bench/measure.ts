/**
 * Run a command as a child process and measure its wall time and peak RSS: with GNU time
 * (`/usr/bin/time -v`, "Maximum resident set size") when `which time` finds one that takes -v,
 * else by polling VmHWM (the kernel's peak RSS) in /proc/<pid>/status.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallMs: number;
  peakRssKb: number | null;
  /** How the peak was read: 'time -v', 'VmHWM' or 'none'. */
  rssSource: string;
  /** performance.now() when the command was started, to place the fake's calls in its run. */
  startedMs: number;
  /** CPU seconds of the command and its threads (GNU time's user and system time); null without GNU time. */
  cpu: { userS: number; systemS: number } | null;
  stderrTail: string;
}

let gnuTime: string | null | undefined;
/** GNU time's path, or null when `which time` finds none or it does not take -v. */
function findGnuTime(): string | null {
  if (gnuTime !== undefined) return gnuTime;
  const which = spawnSync('which', ['time'], { encoding: 'utf8' });
  const path = which.status === 0 ? which.stdout.trim().split('\n')[0] : undefined;
  const works = path ? spawnSync(path, ['-v', '-o', '/dev/null', 'true']).status === 0 : false;
  return (gnuTime = works && path ? path : null);
}

const vmHwmKb = (pid: number): number | null => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // gone, or no /proc
  }
};

const TAIL = 4000;

/** Run `command args` with `env`; after `timeoutMs` its process group is killed. `scratch` is a folder for GNU time's output. */
export function measure(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number; scratch: string }): Promise<Measured> {
  const time = findGnuTime();
  const timeOut = join(options.scratch, `time-${process.pid}-${Date.now()}.txt`);
  const [cmd, argv] = time ? [time, ['-v', '-o', timeOut, command, ...args]] : [command, args];
  const started = performance.now();
  // detached: its own process group, so a timeout ends the command and anything it started.
  const child = spawn(cmd, argv, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-TAIL)));
  let polled: number | null = null;
  const poll = time ? undefined : setInterval(() => (polled = Math.max(polled ?? 0, vmHwmKb(child.pid!) ?? 0) || null), 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakRssKb: number | null = polled;
      let cpu: Measured['cpu'] = null;
      let exit = code;
      if (time) {
        try {
          const text = readFileSync(timeOut, 'utf8');
          const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
          peakRssKb = rss ? Number(rss[1]) : null;
          const user = /User time \(seconds\): ([\d.]+)/.exec(text);
          const system = /System time \(seconds\): ([\d.]+)/.exec(text);
          if (user && system) cpu = { userS: Number(user[1]), systemS: Number(system[1]) };
          // GNU time exits with the command's status; "Exit status" says so explicitly.
          const status = /Exit status: (\d+)/.exec(text);
          if (status) exit = Number(status[1]);
        } catch {
          peakRssKb = null;
        }
        rmSync(timeOut, { force: true });
      }
      resolve({ code: exit, signal, timedOut, wallMs, peakRssKb, rssSource: time ? 'time -v' : polled ? 'VmHWM' : 'none', startedMs: started, cpu, stderrTail: stderr });
    });
  });
}
