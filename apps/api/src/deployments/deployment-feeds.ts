import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { DeploymentFeed, type StreamAccess, StreamReader } from './deployment-stream.js';
import { DeploymentsRepository } from './deployments.repository.js';
import { DeploymentEventsHub } from './events.hub.js';
import { IngestBacklog } from './ingest-backlog.js';

/**
 * This process's live feeds, one per deployment somebody here is reading: made by its first reader, closed
 * with its last. Every reader of a deployment shares that one feed's reads (DeploymentFeed).
 */
@Injectable()
export class DeploymentFeeds {
  private readonly feeds = new Map<string, Promise<DeploymentFeed | undefined>>();

  constructor(
    private readonly repo: DeploymentsRepository,
    private readonly hub: DeploymentEventsHub,
    private readonly backlog: IngestBacklog,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /**
   * Streams deployment `id`'s events after `afterSeq` to `out` until the run has stopped and the reader has its
   * last event, the reader goes, falls behind, or loses its access. Resolves once the reader is live (or gone).
   */
  async follow(id: string, afterSeq: number, out: ServerResponse, access?: StreamAccess): Promise<void> {
    for (;;) {
      const feed = await this.feedOf(id);
      if (!feed) {
        out.end();
        access?.onEnd();
        return;
      }
      // A feed whose last reader left while this one waited for it is gone: make a new one.
      if (feed.isClosed) continue;
      const reader = new StreamReader(out, afterSeq, access, (r) => feed.forget(r));
      return feed.join(reader);
    }
  }

  /** Ends every stream after sending what is stored (shutdown; see DeploymentFeed.finish). */
  async finishAll(): Promise<void> {
    const feeds = await Promise.all(this.feeds.values());
    await Promise.all(feeds.map((feed) => feed?.finish()));
  }

  private feedOf(id: string): Promise<DeploymentFeed | undefined> {
    let feed = this.feeds.get(id);
    if (!feed) {
      const created = new DeploymentFeed(
        id,
        this.repo,
        this.hub,
        this.backlog,
        this.config.streams.stallSeconds * 1000,
        () => {
          if (this.feeds.get(id) === feed) this.feeds.delete(id);
        },
      );
      feed = created.start().then(
        (found) => {
          if (found) return created;
          created.close();
          return undefined;
        },
        (error: unknown) => {
          created.close();
          throw error;
        },
      );
      this.feeds.set(id, feed);
    }
    return feed;
  }
}
