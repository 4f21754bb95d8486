import { type DeploymentEvent, deploymentEventSchema } from '@catalyst/contracts';
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource';
import { type EventStreamOptions, useEventStream } from './useEventStream';

const time = '2026-01-01T10:00:00.000Z';
const LOGS = '/api/v1/deployments/7c9e6679-7425-40de-944b-e07fc1f90ae7/logs';

function follow(overrides: Partial<EventStreamOptions<DeploymentEvent>> = {}) {
  const events: DeploymentEvent[] = [];
  const initial: EventStreamOptions<DeploymentEvent> = {
    url: LOGS,
    types: ['log', 'deployment'],
    schema: deploymentEventSchema,
    onEvent: (event) => events.push(event),
    isFinal: (event) => event.type === 'deployment' && event.status === 'failed',
    stopped: false,
    restartKey: 0,
    ...overrides,
  };
  const hook = renderHook((options: EventStreamOptions<DeploymentEvent>) => useEventStream(options), {
    initialProps: initial,
  });
  const source = () => FakeEventSource.instances.at(-1) as FakeEventSource;
  return { ...hook, events, initial, source };
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('useEventStream', () => {
  it('hands over only events the contract accepts, and says when it is live', () => {
    const { result, events, source } = follow();
    expect(source().url).toBe(LOGS);
    expect(result.current.state).toBe('connecting');
    act(() => source().onopen?.());
    expect(result.current.connected).toBe(true);

    act(() => {
      source().emit('log', { seq: 1, time, phase: 'preflight', stream: 'stdout', line: 'ok' });
      source().emit('log', { seq: 2, time, phase: 'preflight', stream: 'sideways', line: 'bad' });
      source().emit('deployment', { seq: 3, time, status: 'exploded' });
    });
    expect(events).toEqual([{ type: 'log', seq: 1, time, phase: 'preflight', stream: 'stdout', line: 'ok' }]);
  });

  it('closes for good after the final event', () => {
    const { result, events, source } = follow();
    act(() => source().emit('deployment', { seq: 4, time, status: 'failed', error: 'tofu-apply failed' }));
    expect(events.map((e) => e.type)).toEqual(['deployment']);
    expect(source().closed).toBe(true);
    expect(result.current.ended).toBe(true);
  });

  it('lets the browser reconnect a running stream, but ends a stopped one on error', () => {
    const { result, rerender, initial, source } = follow();
    act(() => source().onerror?.());
    expect(result.current.state).toBe('reconnecting');
    expect(source().closed).toBe(false);

    rerender({ ...initial, stopped: true });
    act(() => source().onerror?.());
    expect(result.current.state).toBe('ended');
    expect(source().closed).toBe(true);
  });

  it('opens a new stream from the last event seen when the browser gives one up (a 503 from an api going down)', () => {
    vi.useFakeTimers();
    try {
      const { result, source, unmount } = follow();
      act(() => source().emit('log', { seq: 7, time, phase: 'dns', stream: 'stdout', line: 'delegated' }));
      const first = source();
      act(() => first.fail());
      expect(result.current.state).toBe('reconnecting');
      expect(FakeEventSource.instances).toHaveLength(1);

      act(() => vi.advanceTimersByTime(3_000));
      expect(FakeEventSource.instances).toHaveLength(2);
      expect(source().url).toBe(`${LOGS}?lastEventId=7`);
      act(() => source().onopen?.());
      expect(result.current.state).toBe('live');

      // Given up again and then left: no stream is opened after the page has gone.
      act(() => source().fail());
      unmount();
      act(() => vi.advanceTimersByTime(10_000));
      expect(FakeEventSource.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens again on a new restart key from the last event seen, and not for other renders', () => {
    const { rerender, initial, source } = follow();
    act(() => source().emit('log', { seq: 7, time, phase: 'dns', stream: 'stdout', line: 'delegated' }));
    const first = source();
    rerender({ ...initial, onEvent: () => {} });
    expect(FakeEventSource.instances).toHaveLength(1);

    rerender({ ...initial, restartKey: 1 });
    expect(first.closed).toBe(true);
    expect(source().url).toBe(`${LOGS}?lastEventId=7`);

    rerender({ ...initial, restartKey: 1, url: `${LOGS}?x=1` });
    expect(source().url).toBe(`${LOGS}?x=1`);
  });

  it('follows nothing without a url', () => {
    const { result } = follow({ url: undefined });
    expect(FakeEventSource.instances).toHaveLength(0);
    expect(result.current.connected).toBe(false);
  });
});
