import { useEffect, useRef, useState } from 'react';
import type { Parser } from './http';

/** Where a stream stands: opening, receiving, dropped (the browser reconnects), or over for good. */
export type EventStreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface EventStreamOptions<E> {
  /** The server-sent-events endpoint; undefined while there is nothing to follow. */
  url: string | undefined;
  /** The `event:` names to listen to. */
  types: readonly string[];
  /** The contract schema of one event; it gets `{ type, ...data }`, and events it refuses are dropped. */
  schema: Parser<E>;
  onEvent: (event: E) => void;
  /** The event after which nothing more comes (a stopped run's last status): the stream is closed. */
  isFinal: (event: E) => boolean;
  /** What is followed has stopped: a dropped connection then ends the stream instead of reconnecting for ever. */
  stopped: boolean;
  /** A new value opens the stream again (a stopped run was retried), resuming after the last event seen. */
  restartKey?: unknown;
}

/** How long after the browser gave a stream up it is opened again (about the browser's own retry delay). */
const REOPEN_MS = 3_000;

function withLastEventId(url: string, lastEventId: string | undefined): string {
  if (!lastEventId) return url;
  return `${url}${url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(lastEventId)}`;
}

/**
 * Follows a server-sent-events stream (the api's OTF-style tailer: stored events, then live ones).
 * The browser's EventSource resumes a dropped connection with the Last-Event-ID header by itself;
 * when the stream is opened again (`restartKey`), `?lastEventId=` does the same, so no event is
 * read twice. Each event is parsed with its contract before `onEvent` sees it.
 */
export function useEventStream<E>(options: EventStreamOptions<E>): {
  state: EventStreamState;
  connected: boolean;
  ended: boolean;
} {
  const { url, restartKey } = options;
  const latest = useRef(options);
  latest.current = options;
  // The last event id per url, kept across restarts of the same stream.
  const resume = useRef<{ url: string | undefined; lastEventId: string | undefined }>({
    url: undefined,
    lastEventId: undefined,
  });
  const [state, setState] = useState<EventStreamState>('connecting');
  const typesKey = options.types.join(' ');

  useEffect(() => {
    void restartKey;
    if (resume.current.url !== url) resume.current = { url, lastEventId: undefined };
    if (!url || typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const current = new EventSource(withLastEventId(url, resume.current.lastEventId), {
        withCredentials: true,
      });
      source = current;
      const end = () => {
        current.close();
        setState('ended');
      };
      current.onopen = () => setState('live');
      current.onerror = () => {
        if (latest.current.stopped) return end();
        setState('reconnecting');
        // The browser retries a dropped connection by itself, but gives up for good on an answer other than 200
        // (an api shutting down answers 503): then a new stream is opened, from the last event seen.
        if (current.readyState === EventSource.CLOSED) reopen = setTimeout(open, REOPEN_MS);
      };
      for (const type of typesKey.split(' ')) {
        current.addEventListener(type, (message: MessageEvent<string>) => {
          if (message.lastEventId) resume.current.lastEventId = message.lastEventId;
          const event = parseEvent(latest.current.schema, type, message.data);
          if (event === null) return;
          latest.current.onEvent(event);
          if (latest.current.isFinal(event)) end();
        });
      }
    };
    setState('connecting');
    open();
    return () => {
      clearTimeout(reopen);
      source?.close();
    };
  }, [url, restartKey, typesKey]);

  return { state, connected: state === 'live', ended: state === 'ended' };
}

/** One SSE `data` payload of the named event, checked by `schema`; null when it is not valid. */
function parseEvent<E>(schema: Parser<E>, type: string, data: string): E | null {
  try {
    const raw = JSON.parse(data) as unknown;
    if (typeof raw !== 'object' || raw === null) return null;
    const parsed = schema.safeParse({ type, ...raw });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
