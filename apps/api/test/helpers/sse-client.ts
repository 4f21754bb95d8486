export interface SseEvent {
  id?: number;
  event?: string;
  data: Record<string, unknown>;
}

/**
 * A real SSE client over HTTP (fetch + stream parsing), recording every event and comment it sees,
 * so tests can check order, ids and the end of the stream.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private readonly controller = new AbortController();
  private done?: Promise<void>;
  private reader?: ReadableStreamDefaultReader<Uint8Array>;
  private waiters: (() => void)[] = [];
  status = 0;
  headers?: Headers;

  constructor(
    private readonly url: string,
    private readonly headersIn: Record<string, string>,
  ) {}

  async open(): Promise<this> {
    const response = await fetch(this.url, {
      headers: { accept: 'text/event-stream', ...this.headersIn },
      signal: this.controller.signal,
    });
    this.status = response.status;
    this.headers = response.headers;
    if (!response.ok || !response.body) {
      this.ended = true;
      return this;
    }
    const reader = response.body.getReader();
    this.reader = reader;
    const decoder = new TextDecoder();
    this.done = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let boundary = buffer.indexOf('\n\n');
          while (boundary >= 0) {
            this.parse(buffer.slice(0, boundary));
            buffer = buffer.slice(boundary + 2);
            boundary = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted by close()
      } finally {
        this.ended = true;
        this.wake();
      }
    })();
    return this;
  }

  /** Waits until an event matches (or the stream ends). */
  async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 60_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.ended)
        throw new Error(
          `stream ended without the awaited event; last: ${JSON.stringify(this.events.at(-1))}`,
        );
      if (Date.now() > deadline)
        throw new Error(`timed out; last event: ${JSON.stringify(this.events.at(-1))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  async waitForEnd(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  get lastId(): number {
    return this.events.at(-1)?.id ?? 0;
  }

  close(): Promise<void> {
    // Aborting the request alone does not always settle a read already waiting on Node's fetch body,
    // which left close() pending forever; cancelling the reader settles it and drops the connection.
    void this.reader?.cancel().catch(() => undefined);
    this.controller.abort();
    return this.done ?? Promise.resolve();
  }

  private parse(block: string): void {
    const event: Partial<SseEvent> & { dataLines: string[] } = { dataLines: [] };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) event.id = Number(line.slice(4));
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) event.dataLines.push(line.slice(6));
    }
    if (event.dataLines.length) {
      this.events.push({ id: event.id, event: event.event, data: JSON.parse(event.dataLines.join('\n')) });
      this.wake();
    }
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
