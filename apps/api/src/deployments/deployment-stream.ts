import type { ServerResponse } from 'node:http';
import { terminalStatuses } from '@catalyst/contracts';
import type { DeploymentsRepository } from './deployments.repository.js';
import type { DeploymentEventsHub } from './events.hub.js';

const PING_MS = 15_000;
/** Re-reads the rows now and then in case a NOTIFY was lost (the listener reconnecting, say). */
const SAFETY_POLL_MS = 5_000;

/**
 * One SSE reader, the OTF tailer pattern: subscribe first, then backfill from the requested id, then
 * stream; every write is a row read by sequence number, so there is no gap and no duplicate. The
 * stream ends after the final `deployment` event of a run that has stopped.
 */
export class DeploymentStream {
  private lastSent: number;
  private pulling = false;
  private pullAgain = false;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;

  constructor(
    private readonly id: string,
    afterSeq: number,
    private readonly repo: DeploymentsRepository,
    private readonly hub: DeploymentEventsHub,
    private readonly out: ServerResponse,
  ) {
    this.lastSent = afterSeq;
  }

  start(): void {
    this.unsubscribe = this.hub.subscribe(this.id, () => void this.pull());
    this.out.on('close', () => this.close());
    this.timers.push(setInterval(() => this.write(': ping\n\n'), PING_MS));
    this.timers.push(setInterval(() => void this.pull(), SAFETY_POLL_MS));
    void this.pull();
  }

  private async pull(): Promise<void> {
    if (this.closed) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    try {
      do {
        this.pullAgain = false;
        for (;;) {
          const rows = await this.repo.eventsAfter(this.id, this.lastSent);
          for (const row of rows) {
            const data = { seq: row.seq, time: row.createdAt.toISOString(), ...(row.payload as object) };
            this.write(`id: ${row.seq}\nevent: ${row.type}\ndata: ${JSON.stringify(data)}\n\n`);
            this.lastSent = row.seq;
          }
          if (rows.length < 500) break;
        }
      } while (this.pullAgain && !this.closed);
      await this.endIfStopped();
    } catch {
      this.close();
    } finally {
      this.pulling = false;
    }
  }

  private async endIfStopped(): Promise<void> {
    const row = await this.repo.get(this.id);
    if (!row) return this.close();
    if (terminalStatuses.includes(row.status as never) && this.lastSent >= row.eventSeq) this.close();
  }

  private write(chunk: string): void {
    if (!this.closed) this.out.write(chunk);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    this.out.end();
  }
}
