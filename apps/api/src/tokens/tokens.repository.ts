import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { DATABASE, type Database } from '../database/database.js';
import { personalAccessTokens } from './tokens.schema.js';

export type TokenRow = typeof personalAccessTokens.$inferSelect;

/** The personal_access_tokens table. */
@Injectable()
export class TokensRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async create(
    row: Pick<TokenRow, 'userId' | 'name' | 'tokenHash' | 'orgId' | 'expiresAt'>,
  ): Promise<TokenRow> {
    const [created] = await this.db.insert(personalAccessTokens).values(row).returning();
    if (!created) throw new Error('token insert returned nothing');
    return created;
  }

  /** The user's tokens, newest first, revoked and expired ones included. */
  listOf(userId: string): Promise<TokenRow[]> {
    return this.db
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.userId, userId))
      .orderBy(desc(personalAccessTokens.createdAt), desc(personalAccessTokens.id));
  }

  /** The token whose hash is `tokenHash` (unique), if any. */
  async findByHash(tokenHash: string): Promise<TokenRow | undefined> {
    const [row] = await this.db
      .select()
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.tokenHash, tokenHash));
    return row;
  }

  /** The user's token `id`, if it is theirs. */
  async findOwned(id: string, userId: string): Promise<TokenRow | undefined> {
    const [row] = await this.db
      .select()
      .from(personalAccessTokens)
      .where(and(eq(personalAccessTokens.id, id), eq(personalAccessTokens.userId, userId)));
    return row;
  }

  /** Revokes the user's live token `id`; nothing (undefined) when it is not theirs or was revoked already. */
  async revoke(id: string, userId: string): Promise<TokenRow | undefined> {
    const [row] = await this.db
      .update(personalAccessTokens)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(personalAccessTokens.id, id),
          eq(personalAccessTokens.userId, userId),
          isNull(personalAccessTokens.revokedAt),
        ),
      )
      .returning();
    return row;
  }

  /**
   * Stamps the token's use unless it was stamped less than `minIntervalSeconds` ago (checked in the statement, so
   * replicas racing on one token write once).
   */
  async touch(id: string, minIntervalSeconds: number): Promise<void> {
    await this.db
      .update(personalAccessTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(personalAccessTokens.id, id),
          or(
            isNull(personalAccessTokens.lastUsedAt),
            lt(personalAccessTokens.lastUsedAt, sql`now() - make_interval(secs => ${minIntervalSeconds})`),
          ),
        ),
      );
  }
}
