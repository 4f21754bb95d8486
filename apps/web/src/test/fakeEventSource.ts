/** A stand-in EventSource the test drives by hand (install with vi.stubGlobal('EventSource', FakeEventSource)). */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  static readonly CLOSED = 2;
  readyState = 0;
  listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  /** What a browser does when the server answers other than 200: it gives the stream up and reports an error. */
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
  /** Delivers one event; its `seq` becomes the event id, as the api's `id:` line makes it. */
  emit(type: string, data: Record<string, unknown>) {
    const lastEventId = typeof data.seq === 'number' ? String(data.seq) : '';
    for (const listener of this.listeners.get(type) ?? []) {
      listener(new MessageEvent(type, { data: JSON.stringify(data), lastEventId }));
    }
  }
}
