import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error.js';
import { CONFIG, type Config } from '../config/config.js';

export class TooManyStreamsError extends AppError {
  constructor(scope: 'user' | 'total', limit: number) {
    super(
      429,
      'too_many_streams',
      scope === 'user'
        ? `You already have ${limit} live streams open. Close one and try again.`
        : 'Too many live streams are open right now. Try again shortly.',
      { limit, scope },
      { 'retry-after': '5' },
    );
  }
}

/**
 * Counts this replica's open SSE streams, in total and per user, against the configured caps. Each
 * stream holds a socket and timers for as long as its reader stays, so both are bounded.
 */
@Injectable()
export class StreamSlots {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** Takes a slot for `userId` or throws 429 too_many_streams; the returned release is idempotent. */
  acquire(userId: string): () => void {
    const { maxStreams, maxStreamsPerUser } = this.config.streams;
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= maxStreamsPerUser) throw new TooManyStreamsError('user', maxStreamsPerUser);
    if (this.total >= maxStreams) throw new TooManyStreamsError('total', maxStreams);
    this.total++;
    this.perUser.set(userId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  get open(): number {
    return this.total;
  }
}
