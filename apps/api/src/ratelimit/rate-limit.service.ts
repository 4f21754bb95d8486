import { Injectable } from '@nestjs/common';
import { RateLimitedError } from '../common/app-error.js';
import { RateLimitRepository } from './rate-limit.repository.js';

export interface RateLimitRule {
  /** What is limited, e.g. `pin-request:email`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Fixed-window rate limits kept in Postgres, so every replica enforces the same budget. */
@Injectable()
export class RateLimitService {
  constructor(private readonly buckets: RateLimitRepository) {}

  /** Counts a hit for `subject` under `rule`; throws 429 with Retry-After once the budget is spent. */
  async consume(rule: RateLimitRule, subject: string): Promise<void> {
    const { hits, resetsInSeconds } = await this.buckets.hit(`${rule.name}:${subject}`, rule.windowSeconds);
    if (hits > rule.limit) throw new RateLimitedError(Math.max(1, resetsInSeconds));
  }

  /** Drops windows that ended more than a day ago. */
  async sweep(): Promise<void> {
    await this.buckets.deleteOlderThan(86_400);
  }
}
