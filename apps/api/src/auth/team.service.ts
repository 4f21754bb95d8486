import type { InvitationRequest, Role, TeamMember } from '@catalyst/contracts';
import { assignableRoles } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditService } from '../audit/audit.service.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DATABASE, type Database, type Executor } from '../database/database.js';
import { MailService } from '../mail/mail.service.js';
import { teamInvitationMail } from '../mail/mail.templates.js';
import { RateLimitService } from '../ratelimit/rate-limit.service.js';
import { ADMIN_ROLES, AuthService, toUser } from './auth.service.js';
import type { Principal } from './roles.decorator.js';
import { teamErrors } from './team.errors.js';
import { type UserRow, UsersRepository } from './users.repository.js';

/**
 * Invitations mail someone's inbox: budgeted per inviting admin, and per invited address so no inbox is flooded
 * however many admins take turns.
 */
export const INVITATION_LIMITS = {
  perInviter: { name: 'team-invite:user', limit: 30, windowSeconds: 60 * 60 },
  perEmail: { name: 'team-invite:email', limit: 5, windowSeconds: 60 * 60 },
};

const isAssignable = (role: Role) => (assignableRoles as readonly Role[]).includes(role);

/**
 * The console's Team page: who is here and with which roles; admins invite people and assign or remove the roles
 * an admin may give. A user's roles are `member` ∪ assigned ∪ what CATALYST_ADMIN_EMAILS grants; whenever they
 * shrink, the user's sessions end in the same transaction.
 */
@Injectable()
export class TeamService {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly rateLimits: RateLimitService,
  ) {}

  async list(): Promise<{ users: TeamMember[] }> {
    return { users: (await this.users.list()).map((row) => this.toTeamMember(row)) };
  }

  /** Creates the user if new, assigns `roles` they lack and mails them an invitation to this console. */
  async invite(input: InvitationRequest, actor: Principal): Promise<TeamMember> {
    await this.rateLimits.consume(INVITATION_LIMITS.perInviter, actor.userId);
    await this.rateLimits.consume(INVITATION_LIMITS.perEmail, input.email);
    const { user, added } = await this.database.db.transaction(async (tx) => {
      const found = await this.users.findOrCreateByEmail(tx, input.email);
      const row = (await this.users.lockForRoleChange(tx, found.id)) ?? found;
      const added = input.roles.filter((role) => !row.assignedRoles.includes(role));
      return { user: await this.applyRoles(tx, row, [...row.assignedRoles, ...added]), added };
    });
    await this.audit.record({
      actorId: actor.userId,
      actorEmail: actor.email,
      action: 'user.invite',
      target: `user:${user.id}`,
      details: { email: user.email, rolesAssigned: added },
    });
    await this.mail.send(
      user.email,
      teamInvitationMail({ invitedBy: actor.email, consoleUrl: this.config.publicUrl, roles: input.roles }),
    );
    this.logger.info({ userId: user.id, rolesAssigned: added }, 'team: invitation sent');
    return this.toTeamMember(user);
  }

  /** Assigns `role` to the user (nothing changes when they have it already). */
  async assign(userId: string, role: Role, actor: Principal): Promise<TeamMember> {
    if (!isAssignable(role)) throw teamErrors.notAssignable(role);
    const { user, changed } = await this.database.db.transaction(async (tx) => {
      const row = await this.users.lockForRoleChange(tx, userId);
      if (!row) throw teamErrors.userNotFound();
      if (row.assignedRoles.includes(role)) return { user: row, changed: false };
      return { user: await this.applyRoles(tx, row, [...row.assignedRoles, role]), changed: true };
    });
    if (changed) await this.recordRoleChange('user.role.assign', user, role, actor);
    return this.toTeamMember(user);
  }

  /**
   * Removes an assigned `role` and ends the user's sessions. Refused when CATALYST_ADMIN_EMAILS grants it (only the
   * configuration can take it away) or when nobody else would stay an admin.
   */
  async remove(userId: string, role: Role, actor: Principal): Promise<TeamMember> {
    if (!isAssignable(role)) throw teamErrors.notAssignable(role);
    const { user, changed } = await this.database.db.transaction(async (tx) => {
      // Before the row: two admins removing each other at once are checked one after the other.
      await this.users.lockAdminRoles(tx);
      const row = await this.users.lockForRoleChange(tx, userId);
      if (!row) throw teamErrors.userNotFound();
      if (this.auth.configuredRolesOf(row.email).includes(role)) throw teamErrors.fromConfiguration(role);
      if (!row.assignedRoles.includes(role)) return { user: row, changed: false };
      const assigned = row.assignedRoles.filter((r) => r !== role);
      if (ADMIN_ROLES.includes(role) && !this.staysAdmin(row.email, assigned)) {
        const others = await this.users.countAdminsExcept(tx, row.id, ADMIN_ROLES, this.config.adminEmails);
        if (others === 0) throw teamErrors.lastAdmin();
      }
      return { user: await this.applyRoles(tx, row, assigned), changed: true };
    });
    if (changed) await this.recordRoleChange('user.role.remove', user, role, actor);
    return this.toTeamMember(user);
  }

  /** Stores `assigned` and the roles that follow; ends the user's sessions when one of their roles went away. */
  private async applyRoles(tx: Executor, row: UserRow, assigned: string[]): Promise<UserRow> {
    const updated = await this.users.setAssignedRoles(
      tx,
      row.id,
      assigned,
      this.auth.configuredRolesOf(row.email),
    );
    if (row.roles.some((role) => !updated.roles.includes(role))) await this.auth.revokeSessionsOf(tx, row.id);
    return updated;
  }

  private staysAdmin(email: string, assigned: string[]): boolean {
    const held = new Set<string>([...assigned, ...this.auth.configuredRolesOf(email)]);
    return ADMIN_ROLES.some((role) => held.has(role));
  }

  private recordRoleChange(action: string, user: UserRow, role: Role, actor: Principal): Promise<void> {
    return this.audit.record({
      actorId: actor.userId,
      actorEmail: actor.email,
      action,
      target: `user:${user.id}`,
      details: { email: user.email, role },
    });
  }

  private toTeamMember(row: UserRow): TeamMember {
    return {
      ...toUser(row),
      lastSignInAt: row.lastSignInAt ? row.lastSignInAt.toISOString() : null,
      assignedRoles: row.assignedRoles as Role[],
      configuredRoles: this.auth.configuredRolesOf(row.email),
    };
  }
}
