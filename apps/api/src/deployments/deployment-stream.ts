import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DeploymentStatus, terminalStatuses } from '@catalyst/contracts';
import type { DeploymentsRepository, EventRow } from './deployments.repository.js';
import type { DeploymentEventsHub } from './events.hub.js';
import type { IngestBacklog } from './ingest-backlog.js';

const PING_MS = 15_000;
/** Re-reads the rows now and then in case a NOTIFY was lost (the listener reconnecting, say). */
const SAFETY_POLL_MS = 5_000;
/** Rows read per query, and the most frames one write to a reader carries. */
const PAGE = 500;
/** Frames a feed keeps in memory for readers catching up (a reader further behind reads the database). */
const RECENT_FRAMES = 4 * PAGE;

/** What keeps a stream's reader entitled to it after the request's guard has run. */
export interface StreamAccess {
  /** Subscribes to the reader's session being revoked; returns the unsubscribe. */
  watchRevocation(onRevoked: () => void): () => void;
  /** Re-checked on every ping: the session is live (not expired or revoked) and still has the role. */
  stillAllowed(): Promise<boolean>;
  /** Called once when the stream ends, whatever ended it (frees the reader's stream slot). */
  onEnd(): void;
}

interface Frame {
  seq: number;
  text: string;
}

/** One SSE frame per stored event; built once per event, whatever the number of readers. */
function frameOf(row: EventRow): Frame {
  const data = { seq: row.seq, time: row.createdAt.toISOString(), ...(row.payload as object) };
  return { seq: row.seq, text: `id: ${row.seq}\nevent: ${row.type}\ndata: ${JSON.stringify(data)}\n\n` };
}

/** The frames after `seq`, in one string: the write a reader gets. */
function textAfter(frames: readonly Frame[], seq: number): string {
  const from = frames.findIndex((frame) => frame.seq > seq);
  if (from < 0) return '';
  return (from === 0 ? frames : frames.slice(from)).map((frame) => frame.text).join('');
}

/** One reader of a run's events: its response, the last event it has been sent, and its entitlement. */
export class StreamReader {
  private closed = false;
  private readonly unwatch?: () => void;

  constructor(
    readonly out: ServerResponse,
    public lastSent: number,
    private readonly access?: StreamAccess,
    private readonly onClose: (reader: StreamReader) => void = () => undefined,
  ) {
    this.unwatch = access?.watchRevocation(() => this.close());
    out.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes `text`, whose last event is `lastSeq`; false when the socket's buffer is full (wait for drain). */
  write(text: string | Buffer, lastSeq: number): boolean {
    if (this.closed) return false;
    if (!text.length) return true;
    this.lastSent = Math.max(this.lastSent, lastSeq);
    return this.out.write(text);
  }

  async ping(): Promise<void> {
    if (this.closed) return;
    this.out.write(': ping\n\n');
    if (this.access && !(await this.access.stillAllowed().catch(() => true))) this.close();
  }

  /**
   * Resolves true when the socket can take more (or the stream has closed), false when it has not drained
   * within `withinMs`: a reader that has stopped reading.
   */
  drained(withinMs: number): Promise<boolean> {
    if (this.closed || !this.out.writableNeedDrain) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.out.off('drain', onDrain);
        this.out.off('close', onDrain);
        resolve(drained);
      };
      const onDrain = () => done(true);
      const timer = setTimeout(() => done(false), withinMs);
      this.out.on('drain', onDrain);
      this.out.on('close', onDrain);
    });
  }

  /** Cut off: nothing more is buffered for it; its EventSource resumes from the last id it received. */
  drop(): void {
    this.out.destroy();
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    this.out.end();
    this.access?.onEnd();
    this.onClose(this);
  }
}

/**
 * One deployment's events, read once per notification and fanned out in memory to every reader this process
 * serves (OTF's pattern for run logs): a thousand readers cost one query per batch of events, not a thousand,
 * and each gets the batch in one write. A reader is either live (it has every event up to `head`, and gets
 * each new batch as it is read) or catching up: after joining from a Last-Event-ID, or when its socket was
 * full. Catching up writes from the feed's recent frames (or the database, for a reader further behind),
 * waiting for the socket to drain between writes, so a slow reader holds one write's worth of memory, never
 * more; one whose socket does not drain within the stall timeout is dropped. A reader goes live only in the
 * same turn of the event loop as the check that it has reached `head`, so no event is missed or sent twice.
 * While this process stores a burst of output, reads wait for it to pass (IngestBacklog): the run goes first.
 */
export class DeploymentFeed {
  private head = 0;
  private recent: Frame[] = [];
  private readonly live = new Set<StreamReader>();
  private readonly catchingUp = new Set<StreamReader>();
  /** The last event of a run that has stopped; readers that have it are done. */
  private stoppedAt?: number;
  private pulling = false;
  private pullAgain = false;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    readonly id: string,
    private readonly repo: DeploymentsRepository,
    hub: DeploymentEventsHub,
    private readonly backlog: IngestBacklog,
    private readonly stallMs: number,
    private readonly onIdle: (feed: DeploymentFeed) => void,
  ) {
    // A notification names the newest event it announces; one this feed has read already asks nothing.
    this.unsubscribe = hub.subscribe(id, (seq) => {
      if (!(seq <= this.head)) void this.pull();
    });
    this.timers.push(setInterval(() => this.pingAll(), PING_MS));
    this.timers.push(setInterval(() => void this.pull(true), SAFETY_POLL_MS));
  }

  /** Learns where the run stands (the newest event and whether it has stopped) before the first reader joins. */
  async start(): Promise<boolean> {
    const row = await this.repo.get(this.id);
    if (!row) return false;
    this.head = row.eventSeq;
    this.noteStatus(row.status as DeploymentStatus, row.eventSeq);
    return true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get readers(): number {
    return this.live.size + this.catchingUp.size;
  }

  /** Adds `reader` (which has every event up to its `lastSent`): it catches up, then reads live. */
  join(reader: StreamReader): Promise<void> {
    return this.catchUp(reader, false);
  }

  private async catchUp(reader: StreamReader, mustDrainFirst: boolean): Promise<void> {
    this.catchingUp.add(reader);
    try {
      let mustDrain = mustDrainFirst;
      for (;;) {
        if (mustDrain && !(await reader.drained(this.stallMs))) return reader.drop();
        if (reader.isClosed) return;
        const head = this.head;
        if (reader.lastSent >= head) break;
        const frames = await this.framesAfter(reader.lastSent);
        // Nothing stored after it (the retention sweep took those rows) and nothing new read meanwhile.
        if (!frames.length && this.head === head) break;
        mustDrain = !reader.write(textAfter(frames, reader.lastSent), frames.at(-1)?.seq ?? reader.lastSent);
      }
      // No await since the last check: every event after `head` reaches the reader live.
      this.catchingUp.delete(reader);
      this.live.add(reader);
      this.endCaughtUpReaders();
    } catch {
      reader.close();
    } finally {
      this.catchingUp.delete(reader);
    }
  }

  /** Up to a page of frames after `seq`: from memory when the recent frames reach back that far. */
  private async framesAfter(seq: number): Promise<Frame[]> {
    const first = this.recent[0];
    if (first && first.seq <= seq + 1) {
      const from = this.recent.findIndex((frame) => frame.seq > seq);
      return from < 0 ? [] : this.recent.slice(from, from + PAGE);
    }
    return (await this.repo.eventsAfter(this.id, seq, PAGE)).map(frameOf);
  }

  /** Reads the events after `head` once, and hands each page to every live reader in one write. */
  async pull(checkStatus = false): Promise<void> {
    if (this.closed) return;
    if (this.pulling) {
      this.pullAgain = true;
      return;
    }
    this.pulling = true;
    try {
      let statusMayHaveChanged = checkStatus;
      do {
        this.pullAgain = false;
        for (;;) {
          // A burst this process is storing goes first; its events are then read in as few pages as they fill.
          await this.backlog.passed();
          if (this.closed) return;
          const rows = await this.repo.eventsAfter(this.id, this.head, PAGE);
          if (!rows.length) break;
          const frames = rows.map(frameOf);
          this.remember(frames);
          this.head = frames.at(-1)?.seq ?? this.head;
          const firstSeq = rows[0]?.seq ?? 0;
          // Encoded once: a thousand writes of one string would encode it a thousand times.
          const page = Buffer.from(frames.map((frame) => frame.text).join(''));
          for (const reader of this.live) {
            // A reader that caught up from the database may have some of this page already.
            const flushed = reader.write(
              reader.lastSent < firstSeq ? page : textAfter(frames, reader.lastSent),
              this.head,
            );
            if (!flushed) {
              this.live.delete(reader);
              void this.catchUp(reader, true);
            }
          }
          if (rows.some((row) => row.type === 'deployment')) statusMayHaveChanged = true;
          if (rows.length < PAGE) break;
        }
      } while (this.pullAgain && !this.closed);
      if (statusMayHaveChanged) {
        const row = await this.repo.get(this.id);
        if (!row) return this.close();
        this.noteStatus(row.status as DeploymentStatus, row.eventSeq);
        this.endCaughtUpReaders();
      }
    } catch {
      // The database is unreachable for now: the next notification or safety poll tries again.
    } finally {
      this.pulling = false;
    }
  }

  private remember(frames: Frame[]): void {
    this.recent.push(...frames);
    if (this.recent.length > 2 * RECENT_FRAMES) this.recent = this.recent.slice(-RECENT_FRAMES);
  }

  private noteStatus(status: DeploymentStatus, eventSeq: number): void {
    this.stoppedAt = terminalStatuses.includes(status) ? eventSeq : undefined;
  }

  /** A stopped run's stream ends after its last event: the reader's EventSource is not to reconnect. */
  private endCaughtUpReaders(): void {
    if (this.stoppedAt === undefined) return;
    for (const reader of this.live) if (reader.lastSent >= this.stoppedAt) reader.close();
  }

  private pingAll(): void {
    for (const reader of this.live) void reader.ping();
  }

  /** A reader has gone; the feed stops listening once nobody reads it. */
  forget(reader: StreamReader): void {
    this.live.delete(reader);
    this.catchingUp.delete(reader);
    if (this.readers === 0) this.close();
  }

  /**
   * Sends what is stored now to every reader, then ends their streams: the api is shutting down, and each
   * EventSource reconnects to another replica from its Last-Event-ID. Bounded, so a reader that does not read
   * cannot hold the shutdown.
   */
  async finish(withinMs = 2_000): Promise<void> {
    const flush = (async () => {
      while (this.pulling && !this.closed) await sleep(10);
      await this.pull();
    })();
    await Promise.race([flush, sleep(withinMs)]);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe();
    for (const reader of [...this.live, ...this.catchingUp]) reader.close();
    this.onIdle(this);
  }
}
