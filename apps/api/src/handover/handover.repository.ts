import { Injectable } from '@nestjs/common';
import type { Executor } from '../database/database.js';
import { handoverTokensUsed } from './handover.schema.js';

@Injectable()
export class HandoverRepository {
  /** Records a token as spent; false when it already was (the primary key refuses a second use). */
  async markUsed(tx: Executor, jti: string, expiresAt: Date): Promise<boolean> {
    const rows = await tx
      .insert(handoverTokensUsed)
      .values({ jti, expiresAt })
      .onConflictDoNothing({ target: handoverTokensUsed.jti })
      .returning({ jti: handoverTokensUsed.jti });
    return rows.length === 1;
  }
}
