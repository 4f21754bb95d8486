import { setTimeout as sleep } from 'node:timers/promises';

export interface IngestBacklogTiming {
  /** How long storage must have kept up before a burst counts as over (gaps between tofu's pipe reads). */
  quietMs: number;
  /** The longest a fan-out waits for a burst to pass: readers of a run that never pauses still get its output. */
  maxWaitMs: number;
}

const TIMING: IngestBacklogTiming = { quietMs: 10, maxWaitMs: 250 };

/**
 * Whether this process is behind on storing a run's output: events were queued while a write was in flight (a
 * burst, such as tofu printing hundreds of lines at once). The live fan-out to readers waits for a burst to pass,
 * at most `maxWaitMs`, so the bytes a thousand watchers pull through the machine's cores are moved after the run
 * has stored its burst, not while (watchers cost the run nothing). A run printing at a steady pace has no backlog:
 * its readers get each line as soon as it is stored. Only this process's writers count: a run stored by another
 * replica does not compete for this one's cores.
 */
export class IngestBacklog {
  private behind = 0;
  private caughtUpAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly timing: IngestBacklogTiming = TIMING) {}

  /** A writer has events queued behind its write in flight; `caughtUp` is called once it has none. */
  fellBehind(): void {
    this.behind++;
  }

  caughtUp(): void {
    this.behind--;
    this.caughtUpAt = performance.now();
  }

  /** True while some writer is behind, or caught up less than `quietMs` ago. */
  get inBurst(): boolean {
    return this.behind > 0 || performance.now() - this.caughtUpAt < this.timing.quietMs;
  }

  /** Resolves once no burst is being stored, or after `maxWaitMs` if one goes on. */
  async passed(): Promise<void> {
    const until = performance.now() + this.timing.maxWaitMs;
    while (this.inBurst) {
      const left = until - performance.now();
      if (left <= 0) return;
      await sleep(Math.min(this.timing.quietMs, left));
    }
  }
}
