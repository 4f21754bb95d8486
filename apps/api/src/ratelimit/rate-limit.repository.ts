import { Inject, Injectable } from '@nestjs/common';
import { lt, sql } from 'drizzle-orm';
import { DATABASE, type Database } from '../database/database.js';
import { rateLimitBuckets } from './rate-limit.schema.js';

@Injectable()
export class RateLimitRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Counts one hit in the key's current window (a new window starts when the old one has passed). */
  async hit(key: string, windowSeconds: number): Promise<{ hits: number; resetsInSeconds: number }> {
    const window = sql`make_interval(secs => ${windowSeconds})`;
    const expired = sql`${rateLimitBuckets.windowStartedAt} + ${window} <= now()`;
    const [row] = await this.database.db
      .insert(rateLimitBuckets)
      .values({ key, windowStartedAt: sql`now()`, hits: 1 })
      .onConflictDoUpdate({
        target: rateLimitBuckets.key,
        set: {
          hits: sql`case when ${expired} then 1 else ${rateLimitBuckets.hits} + 1 end`,
          windowStartedAt: sql`case when ${expired} then now() else ${rateLimitBuckets.windowStartedAt} end`,
        },
      })
      .returning({
        hits: rateLimitBuckets.hits,
        resetsInSeconds: sql<number>`ceil(extract(epoch from ${rateLimitBuckets.windowStartedAt} + ${window} - now()))::int`,
      });
    if (!row) throw new Error('rate limit upsert returned nothing');
    return row;
  }

  async deleteOlderThan(seconds: number): Promise<void> {
    await this.database.db
      .delete(rateLimitBuckets)
      .where(lt(rateLimitBuckets.windowStartedAt, sql`now() - make_interval(secs => ${seconds})`));
  }
}
