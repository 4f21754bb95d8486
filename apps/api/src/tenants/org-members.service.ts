import type { AssignableOrgRole, InviteOrgMember, OrgMember, OrgRole } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AuthService } from '../auth/auth.service.js';
import type { Principal } from '../auth/roles.decorator.js';
import { UsersService } from '../auth/users.service.js';
import { CONFIG, type Config } from '../config/config.js';
import { MailService } from '../mail/mail.service.js';
import { orgInvitationMail } from '../mail/mail.templates.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { OrgAccess, orgAccess } from './org-access.js';
import { alreadyMember, memberNotFound, ownerMembershipFixed } from './tenants.errors.js';
import { type MemberRow, TenantsRepository } from './tenants.repository.js';

/**
 * Budgets for invitations: plenty for an owner building a team, tight for a script; the per-address cap bounds
 * the invitations any one inbox receives, from every organization together.
 */
export const INVITE_LIMITS = {
  perInviter: { name: 'org-invite:inviter', limit: 30, windowSeconds: 60 * 60 },
  perEmail: { name: 'org-invite:email', limit: 5, windowSeconds: 60 * 60 },
};

/** How much a role may do: a move down the ranks ends the member's sessions. */
const RANK: Record<OrgRole, number> = { member: 0, 'org-admin': 1, owner: 2 };

/** An organization's members: anyone in it sees them; its owner invites, re-roles and removes them. */
@Injectable()
export class OrgMembersService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly repo: TenantsRepository,
    private readonly access: OrgAccess,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly rateLimits: RateLimitService,
  ) {}

  async list(slug: string, user: Principal): Promise<OrgMember[]> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.read);
    const rows = await this.repo.members(org.id);
    const emails = await this.users.emailsOf(rows.map((row) => row.userId));
    return rows.map((row) => toMember(row, emails.get(row.userId) ?? ''));
  }

  /**
   * Adds the person with that e-mail (a user is created when new) and mails them an invitation, in one
   * transaction: the membership exists only if its mail went out (a mail failure answers 503 and changes
   * nothing, so trying again is safe). 409 `already_member` when they belong to the org already.
   */
  async invite(slug: string, input: InviteOrgMember, user: Principal): Promise<OrgMember> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.own);
    await this.rateLimits.consume(INVITE_LIMITS.perInviter, user.userId);
    await this.rateLimits.consume(INVITE_LIMITS.perEmail, input.email);
    const member = await this.repo.db.transaction(async (tx) => {
      const invited = await this.users.findOrCreateByEmail(tx, input.email);
      const row = await this.repo.addMember(tx, org.id, invited.id, input.role);
      if (!row) throw alreadyMember(input.email, org.slug);
      await this.mail.send(
        input.email,
        orgInvitationMail({
          org: org.name,
          orgFqdn: org.fqdn,
          inviter: user.email,
          role: input.role,
          marketplaceUrl: `${this.config.marketplaceUrl}/marketplace/?org=${encodeURIComponent(org.slug)}`,
        }),
      );
      return row;
    });
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'org.member.invite',
      target: `org:${org.slug}`,
      details: { userId: member.userId, email: input.email, role: member.role },
    });
    return toMember(member, input.email);
  }

  /** Gives a member another role; a lesser one ends their sessions in the same transaction. */
  async changeRole(
    slug: string,
    userId: string,
    role: AssignableOrgRole,
    user: Principal,
  ): Promise<OrgMember> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.own);
    const { before, after } = await this.repo.db.transaction(async (tx) => {
      const current = await this.repo.lockMember(tx, org.id, userId);
      if (!current) throw memberNotFound();
      if (current.role === 'owner') throw ownerMembershipFixed();
      if (current.role === role) return { before: current, after: current };
      const updated = await this.repo.setMemberRole(tx, org.id, userId, role);
      if (RANK[role] < RANK[current.role]) await this.auth.revokeSessionsOf(tx, userId);
      return { before: current, after: updated };
    });
    const email = (await this.users.emailsOf([userId])).get(userId) ?? '';
    if (before.role !== after.role) {
      await this.audit.record({
        actorId: user.userId,
        actorEmail: user.email,
        action: 'org.member.role-change',
        target: `org:${org.slug}`,
        details: { userId, email, from: before.role, to: after.role },
      });
    }
    return toMember(after, email);
  }

  /** Removes a member from the org and ends their sessions, in one transaction. */
  async remove(slug: string, userId: string, user: Principal): Promise<void> {
    const { org } = await this.access.requireOrgRole(slug, user, orgAccess.own);
    const removed = await this.repo.db.transaction(async (tx) => {
      const current = await this.repo.lockMember(tx, org.id, userId);
      if (!current) throw memberNotFound();
      if (current.role === 'owner') throw ownerMembershipFixed();
      await this.repo.removeMember(tx, org.id, userId);
      await this.auth.revokeSessionsOf(tx, userId);
      return current;
    });
    const email = (await this.users.emailsOf([userId])).get(userId) ?? '';
    await this.audit.record({
      actorId: user.userId,
      actorEmail: user.email,
      action: 'org.member.remove',
      target: `org:${org.slug}`,
      details: { userId, email, role: removed.role },
    });
  }
}

function toMember(row: MemberRow, email: string): OrgMember {
  return { userId: row.userId, email, role: row.role, joinedAt: row.joinedAt.toISOString() };
}
