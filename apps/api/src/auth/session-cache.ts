import type { Principal } from './roles.decorator.js';

/** How long a checked session is trusted without asking the database again. */
export const SESSION_CACHE_TTL_MS = 5_000;
/** Sessions remembered at most; past this the oldest entry makes room. */
export const SESSION_CACHE_MAX_ENTRIES = 10_000;
/** How long a revocation is remembered, so a lookup in flight when it arrived cannot cache the session again. */
const REVOKED_MEMORY_MS = 60_000;

interface Entry {
  token: string | undefined;
  principal: Principal;
  /** Epoch ms after which the entry is not used: the TTL, never past the session's own expiry. */
  until: number;
  unwatch: () => void;
}

export interface SessionCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Subscribes to the revocation of one session (SessionRevocations.watch); returns the unsubscribe. */
  watch: (sessionId: string, onRevoked: () => void) => () => void;
  now?: () => number;
}

/**
 * Sessions this process checked in the last few seconds, so a request does not pay a token verification and a
 * database round trip each time. A revocation (signed out, on any replica: its NOTIFY) removes the entry at once; an
 * entry never outlives its session's expiry; the entries are bounded. Keyed by the session token (the exact string
 * verified before) and by session id (for long-lived responses re-checking their principal).
 */
export class SessionCache {
  private readonly byToken = new Map<string, Entry>();
  private readonly bySession = new Map<string, Entry>();
  /** Sessions revoked recently, oldest first, with when the revocation was seen. */
  private readonly revoked = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: SessionCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.bySession.size;
  }

  /** The principal of a token checked within the TTL, if its session is still unrevoked and unexpired. */
  forToken(token: string): Principal | undefined {
    return this.fresh(this.byToken.get(token));
  }

  /** The principal of a session checked within the TTL, if still unrevoked and unexpired. */
  forSession(sessionId: string): Principal | undefined {
    return this.fresh(this.bySession.get(sessionId));
  }

  /**
   * Remembers a session the database just found live. `expiresAt` is the session's expiry (epoch ms). Refused for a
   * session revoked meanwhile: the lookup may have read it just before the sign-out committed.
   */
  remember(principal: Principal, expiresAt: number, token?: string): void {
    const { sessionId } = principal;
    if (this.revoked.has(sessionId)) return;
    const now = this.now();
    const until = Math.min(now + this.options.ttlMs, expiresAt);
    if (until <= now) return;
    const previous = this.bySession.get(sessionId);
    if (previous) this.drop(previous);
    while (this.bySession.size >= this.options.maxEntries) {
      const oldest = this.bySession.values().next().value;
      if (!oldest) break;
      this.drop(oldest);
    }
    const entry: Entry = { token, principal, until, unwatch: () => {} };
    entry.unwatch = this.options.watch(sessionId, () => this.revoke(sessionId));
    this.bySession.set(sessionId, entry);
    if (token !== undefined) this.byToken.set(token, entry);
  }

  /** Forgets a revoked session at once and keeps it from being remembered again. */
  revoke(sessionId: string): void {
    const now = this.now();
    for (const [id, seenAt] of this.revoked) {
      if (now - seenAt < REVOKED_MEMORY_MS && this.revoked.size < this.options.maxEntries) break;
      this.revoked.delete(id);
    }
    this.revoked.delete(sessionId);
    this.revoked.set(sessionId, now);
    const entry = this.bySession.get(sessionId);
    if (entry) this.drop(entry);
  }

  /** Forgets everything (the process stops). */
  clear(): void {
    for (const entry of [...this.bySession.values()]) this.drop(entry);
    this.revoked.clear();
  }

  private fresh(entry: Entry | undefined): Principal | undefined {
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.principal;
    this.drop(entry);
    return undefined;
  }

  private drop(entry: Entry): void {
    entry.unwatch();
    if (this.bySession.get(entry.principal.sessionId) === entry)
      this.bySession.delete(entry.principal.sessionId);
    if (entry.token !== undefined && this.byToken.get(entry.token) === entry)
      this.byToken.delete(entry.token);
  }
}
