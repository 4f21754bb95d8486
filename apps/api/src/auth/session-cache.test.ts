import { describe, expect, it } from 'vitest';
import type { Principal } from './roles.decorator.js';
import { SessionCache } from './session-cache.js';

/** A cache on a hand-moved clock, with a revocation channel the test fires itself. */
function cacheWith(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 1_000_000;
  const watchers = new Map<string, Set<() => void>>();
  const cache = new SessionCache({
    ttlMs: options.ttlMs ?? 5_000,
    maxEntries: options.maxEntries ?? 100,
    now: () => now,
    watch: (sessionId, onRevoked) => {
      const set = watchers.get(sessionId) ?? new Set();
      set.add(onRevoked);
      watchers.set(sessionId, set);
      return () => set.delete(onRevoked);
    },
  });
  return {
    cache,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
    /** What a revocation NOTIFY for the session does: calls its subscribers. */
    notifyRevoked: (sessionId: string) => {
      for (const onRevoked of [...(watchers.get(sessionId) ?? [])]) onRevoked();
    },
    watching: () => [...watchers.values()].reduce((n, set) => n + set.size, 0),
  };
}

const principal = (n: number): Principal => ({
  userId: `user-${n}`,
  email: `u${n}@example.com`,
  roles: ['member'],
  sessionId: `session-${n}`,
});

describe('SessionCache', () => {
  it('answers a checked session by token and by session id until the TTL ends', () => {
    const { cache, advance, now } = cacheWith({ ttlMs: 5_000 });
    cache.remember(principal(1), now() + 3_600_000, 'token-1');
    expect(cache.forToken('token-1')).toEqual(principal(1));
    expect(cache.forSession('session-1')).toEqual(principal(1));
    expect(cache.forToken('token-2')).toBeUndefined();
    advance(4_999);
    expect(cache.forToken('token-1')).toEqual(principal(1));
    advance(1);
    expect(cache.forToken('token-1')).toBeUndefined();
    expect(cache.forSession('session-1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never outlives the session's own expiry, and does not keep an already expired one", () => {
    const { cache, advance, now } = cacheWith({ ttlMs: 5_000 });
    cache.remember(principal(1), now() + 1_000, 'token-1');
    advance(999);
    expect(cache.forToken('token-1')).toEqual(principal(1));
    advance(1);
    expect(cache.forToken('token-1')).toBeUndefined();

    cache.remember(principal(2), now(), 'token-2');
    expect(cache.forToken('token-2')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a session the moment its revocation arrives, and does not remember it again', () => {
    const { cache, now, notifyRevoked, watching } = cacheWith();
    cache.remember(principal(1), now() + 3_600_000, 'token-1');
    cache.remember(principal(2), now() + 3_600_000, 'token-2');
    notifyRevoked('session-1');
    expect(cache.forToken('token-1')).toBeUndefined();
    expect(cache.forSession('session-1')).toBeUndefined();
    expect(cache.forToken('token-2')).toEqual(principal(2));
    expect(watching()).toBe(1);

    // A lookup that read the session just before the sign-out committed must not cache it afterwards.
    cache.remember(principal(1), now() + 3_600_000, 'token-1');
    expect(cache.forToken('token-1')).toBeUndefined();
  });

  it('is bounded: the oldest entries make room and stop watching for revocations', () => {
    const { cache, now, watching } = cacheWith({ maxEntries: 3 });
    for (let n = 1; n <= 5; n++) cache.remember(principal(n), now() + 3_600_000, `token-${n}`);
    expect(cache.size).toBe(3);
    expect(watching()).toBe(3);
    expect(cache.forToken('token-1')).toBeUndefined();
    expect(cache.forToken('token-2')).toBeUndefined();
    for (const n of [3, 4, 5]) expect(cache.forToken(`token-${n}`)).toEqual(principal(n));
  });

  it('keeps one entry per session: a re-check replaces it rather than adding another', () => {
    const { cache, now, watching } = cacheWith();
    cache.remember(principal(1), now() + 3_600_000);
    cache.remember(principal(1), now() + 3_600_000, 'token-1');
    expect(cache.size).toBe(1);
    expect(watching()).toBe(1);
    expect(cache.forToken('token-1')).toEqual(principal(1));
  });

  it('bounds the memory of revocations too', () => {
    const { cache, advance, now } = cacheWith({ maxEntries: 3 });
    for (let n = 1; n <= 5; n++) cache.revoke(`session-${n}`);
    // The two oldest revocations were forgotten to stay within the bound; a revoked session can never be found
    // live by the database again, so forgetting them only matters for a lookup already in flight.
    cache.remember(principal(1), now() + 3_600_000, 'token-1');
    expect(cache.forToken('token-1')).toEqual(principal(1));
    cache.remember(principal(5), now() + 3_600_000, 'token-5');
    expect(cache.forToken('token-5')).toBeUndefined();
    advance(60_000);
    cache.revoke('session-9');
    cache.remember(principal(5), now() + 3_600_000, 'token-5');
    expect(cache.forToken('token-5')).toEqual(principal(5));
  });
});
