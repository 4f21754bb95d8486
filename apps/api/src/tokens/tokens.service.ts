import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ACCESS_TOKEN_PREFIX,
  type AccessToken,
  type CreatedToken,
  type CreateTokenRequest,
  type Role,
} from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/roles.decorator.js';
import { UsersService } from '../auth/users.service.js';
import { LOGGER } from '../common/tokens.js';
import { OrgAccess, orgAccess } from '../tenants/org-access.js';
import { OrgsService } from '../tenants/orgs.service.js';
import { tokensErrors } from './tokens.errors.js';
import { type TokenRow, TokensRepository } from './tokens.repository.js';

/** Who is calling with a personal access token: its owner as they are now, and the organisation it is scoped to. */
export interface TokenCaller {
  principal: Principal;
  tokenId: string;
  orgId: string | null;
  orgSlug: string | null;
}

/** `cat_pat_` and 32 random bytes in base64url (43 characters, no padding). */
const TOKEN_PATTERN = new RegExp(`^${ACCESS_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);
/** last_used_at is written at most this often per token. */
export const LAST_USED_RESOLUTION_SECONDS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Personal access tokens: a signed-in user creates, lists and revokes their own; an agent presents one as
 * `Authorization: Bearer` on /mcp (docs/mcp.md) and acts with its owner's roles as they are at that call.
 */
@Injectable()
export class TokensService {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repo: TokensRepository,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly orgs: OrgsService,
    private readonly access: OrgAccess,
    private readonly audit: AuditService,
  ) {}

  /** Creates a token for `caller`; the answer carries the token text, which is kept nowhere. */
  async create(input: CreateTokenRequest, caller: Principal): Promise<CreatedToken> {
    // A non-member gets 404 org_not_found, as on every org route.
    const org = input.orgSlug
      ? (await this.access.requireOrgRole(input.orgSlug, caller, orgAccess.read)).org
      : undefined;
    const token = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.repo.create({
      userId: caller.userId,
      name: input.name,
      tokenHash: hashOf(token),
      orgId: org?.id ?? null,
      expiresAt: new Date(Date.now() + input.expiresInDays * DAY_MS),
    });
    await this.recordChange('token.create', row, org?.slug, caller);
    this.logger.info({ userId: caller.userId, tokenId: row.id }, 'tokens: created');
    return { ...toAccessToken(row, org?.slug), token };
  }

  /** The caller's tokens, newest first, revoked ones included. */
  async list(caller: Principal): Promise<AccessToken[]> {
    const rows = await this.repo.listOf(caller.userId);
    const orgIds = [...new Set(rows.flatMap((row) => (row.orgId ? [row.orgId] : [])))];
    const slugs = await this.orgs.slugsOf(orgIds);
    return rows.map((row) => toAccessToken(row, row.orgId ? slugs.get(row.orgId) : undefined));
  }

  /** Revokes the caller's token `id`; a token already revoked stays so (no error), another user's is 404. */
  async revoke(id: string, caller: Principal): Promise<void> {
    const revoked = await this.repo.revoke(id, caller.userId);
    if (!revoked) {
      if (!(await this.repo.findOwned(id, caller.userId))) throw tokensErrors.notFound();
      return;
    }
    const slug = revoked.orgId ? (await this.orgs.slugsOf([revoked.orgId])).get(revoked.orgId) : undefined;
    await this.recordChange('token.revoke', revoked, slug, caller);
    this.logger.info({ userId: caller.userId, tokenId: id }, 'tokens: revoked');
  }

  /**
   * The caller behind a bearer token (the token text, or the whole `Bearer …` header value). Refused with one
   * 401 `unauthenticated`, whichever check fails: none, not `cat_pat_…`, unknown, revoked, expired, owner gone.
   * Roles are read on every call, without a cache, so a role removed is gone at the very next call.
   */
  async authenticate(bearer: string | undefined): Promise<TokenCaller> {
    const token = bearer?.replace(/^Bearer\s+/i, '').trim();
    if (!token || !TOKEN_PATTERN.test(token)) throw tokensErrors.refused();
    const hash = hashOf(token);
    const row = await this.repo.findByHash(hash);
    if (!row || !sameHash(row.tokenHash, hash)) throw tokensErrors.refused();
    if (row.revokedAt || row.expiresAt.getTime() <= Date.now()) throw tokensErrors.refused();
    const user = await this.users.findById(row.userId);
    if (!user) throw tokensErrors.refused();
    const orgSlug = row.orgId ? (await this.orgs.slugsOf([row.orgId])).get(row.orgId) : undefined;
    // The org is gone (its tokens go with it, but a deletion may be in flight): not a token to act with.
    if (row.orgId && !orgSlug) throw tokensErrors.refused();
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000) {
      await this.repo.touch(row.id, LAST_USED_RESOLUTION_SECONDS);
    }
    const roles = [
      ...new Set<Role>([
        'member',
        ...(user.assignedRoles as Role[]),
        ...this.auth.configuredRolesOf(user.email),
      ]),
    ].sort();
    return {
      principal: { userId: user.id, email: user.email, roles, sessionId: `pat:${row.id}` },
      tokenId: row.id,
      orgId: row.orgId,
      orgSlug: orgSlug ?? null,
    };
  }

  /** Names the token and its scope; never the token or its hash. */
  private recordChange(action: string, row: TokenRow, orgSlug: string | undefined, actor: Principal) {
    return this.audit.record({
      actorId: actor.userId,
      actorEmail: actor.email,
      action,
      target: `token:${row.id}`,
      details: { name: row.name, orgSlug: orgSlug ?? null, expiresAt: row.expiresAt.toISOString() },
    });
  }
}

function sameHash(stored: string, candidate: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A row as the api shows it: no token, no hash. */
export function toAccessToken(row: TokenRow, orgSlug: string | undefined): AccessToken {
  return {
    id: row.id,
    name: row.name,
    ...(orgSlug ? { orgSlug } : {}),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.lastUsedAt ? { lastUsedAt: row.lastUsedAt.toISOString() } : {}),
    ...(row.revokedAt ? { revokedAt: row.revokedAt.toISOString() } : {}),
  };
}
