import type { Logger } from 'pino';
import type { HelmRelease } from './helmrelease-state.js';
import type { SovereignKube } from './kube.client.js';

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

function isGone(error: unknown): boolean {
  const e = error as { code?: number; statusCode?: number; body?: unknown } | null;
  return (
    e?.code === 410 ||
    e?.statusCode === 410 ||
    /\b410\b|Gone|Expired/.test(String((e as Error | null)?.message ?? ''))
  );
}

/** Releases of one name may live in many namespaces (one per tenant environment). */
function keyOf(item: HelmRelease): string {
  return `${item.metadata.namespace ?? ''}/${item.metadata.name}`;
}

/**
 * List + watch of HelmReleases that never gives up: bookmarks advance the resourceVersion, a 410
 * (expired version, as an event or an HTTP status) triggers a fresh list, and any other end of the
 * stream — a dropped connection, client-node's inactivity timeout — reconnects from the last version
 * with backoff. (client-node's own informer stops for good on such errors, hence this loop.)
 */
export class HelmReleaseWatcher {
  private resourceVersion = '';
  private readonly known = new Set<string>();
  private abort?: AbortController;
  private timer?: NodeJS.Timeout;
  private backoffMs = MIN_BACKOFF_MS;
  private stopped = false;

  constructor(
    private readonly kube: SovereignKube,
    private readonly logger: Logger,
    private readonly onRelease: (release: HelmRelease) => void,
    private readonly onDeleted: (name: string, namespace: string) => void,
    /** Called after each full list, when the picture is complete again. */
    private readonly onSynced: () => void = () => undefined,
  ) {}

  start(): void {
    void this.cycle();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    try {
      if (!this.resourceVersion) await this.relist();
      const abort = await this.kube.watchHelmReleases(
        this.resourceVersion,
        (type, object) => !this.stopped && this.onEvent(type, object),
        (error) => this.onDone(error),
      );
      // stop() may have come while the watch was being opened.
      if (this.stopped) abort.abort();
      else this.abort = abort;
    } catch (error) {
      this.onDone(error);
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.kube.listHelmReleases();
    const seen = new Set(items.map(keyOf));
    for (const key of this.known) if (!seen.has(key)) this.deleted(key);
    for (const item of items) this.upsert(item);
    this.resourceVersion = resourceVersion;
    if (!this.stopped) this.onSynced();
  }

  private onEvent(type: string, object: unknown): void {
    this.backoffMs = MIN_BACKOFF_MS;
    const item = object as HelmRelease & { code?: number };
    if (type === 'ERROR') {
      if (isGone(item)) this.resourceVersion = '';
      return;
    }
    if (item.metadata?.resourceVersion) this.resourceVersion = item.metadata.resourceVersion;
    if (type === 'ADDED' || type === 'MODIFIED') this.upsert(item);
    if (type === 'DELETED') this.deleted(keyOf(item));
  }

  private onDone(error: unknown): void {
    if (this.stopped) return;
    if (error && isGone(error)) this.resourceVersion = '';
    if (error)
      this.logger.debug(
        { reason: String((error as Error).message ?? error) },
        'HelmRelease watch ended; reconnecting',
      );
    const delay = error ? this.backoffMs : 0;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.timer = setTimeout(() => void this.cycle(), delay);
  }

  private upsert(item: HelmRelease): void {
    this.known.add(keyOf(item));
    this.onRelease(item);
  }

  private deleted(key: string): void {
    this.known.delete(key);
    const [namespace = '', name = ''] = key.split('/');
    this.onDeleted(name, namespace);
  }
}
