/** When each service's calls began and ended, sampled from the growing list of recorded calls. */
export class Timeline {
  static readonly EVERY_MS = 200;
  private readonly started = performance.now();
  private readonly spans = new Map<string, { first: number; last: number }>();
  private seen = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly calls: readonly { service: string }[]) {
    this.seen = calls.length;
    this.timer = setInterval(() => this.sample(), Timeline.EVERY_MS);
  }

  private sample() {
    const now = (performance.now() - this.started) / 1000;
    for (; this.seen < this.calls.length; this.seen++) {
      const service = this.calls[this.seen]!.service;
      const span = this.spans.get(service);
      if (span) span.last = now;
      else this.spans.set(service, { first: now, last: now });
    }
  }

  stop() {
    clearInterval(this.timer);
    this.sample();
  }

  describe(): string {
    return [...this.spans].sort(([, a], [, b]) => a.first - b.first).map(([s, { first, last }]) => `${s} ${first.toFixed(1)}–${last.toFixed(1)}`).join(', ');
  }
}
