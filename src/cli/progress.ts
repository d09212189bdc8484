import type { ProgressEvent } from '../collect/collect.js';

/**
 * One status line on stderr, redrawn in place: phase, counts and rate. Only on a terminal and
 * never with --quiet, so neither a pipe nor a report ever holds it.
 */
export function progressLine(write: (s: string) => void, now: () => number = Date.now): { update: (e: ProgressEvent) => void; done: () => void } {
  const started = now();
  let shown = false;
  return {
    update(e) {
      const seconds = (now() - started) / 1000;
      const rate = seconds > 1 && e.total ? `, ${Math.round(e.done / seconds)}/s` : '';
      write(`\r\u001b[2K${e.phase}: ${e.done}${e.total ? `/${e.total}` : ''}${rate}`);
      shown = true;
    },
    done() {
      if (shown) write('\r\u001b[2K');
    },
  };
}
