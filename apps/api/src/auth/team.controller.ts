import {
  type InvitationRequest,
  invitationRequestSchema,
  type Role,
  roleSchema,
  teamListSchema,
  teamMemberResponseSchema,
  userIdSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { Returns, ZodBody, ZodParam } from '../common/validation.js';
import { CurrentUser, type Principal, Roles } from './roles.decorator.js';
import { TeamService } from './team.service.js';

/** Everyone who has signed in to this instance or was invited, with their roles (the console's Team page). */
@Controller('api/v1/users')
@Roles('superadmin', 'sovereign-admin')
export class TeamController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @Returns(teamListSchema)
  list() {
    return this.team.list();
  }

  /** Mails an invitation, creating the user if new and assigning the roles they lack. */
  @Post('invitations')
  @HttpCode(201)
  @Returns(teamMemberResponseSchema, 201)
  async invite(@ZodBody(invitationRequestSchema) body: InvitationRequest, @CurrentUser() actor: Principal) {
    return { user: await this.team.invite(body, actor) };
  }

  @Put(':id/roles/:role')
  @Returns(teamMemberResponseSchema)
  async assign(
    @ZodParam('id', userIdSchema) id: string,
    @ZodParam('role', roleSchema) role: Role,
    @CurrentUser() actor: Principal,
  ) {
    return { user: await this.team.assign(id, role, actor) };
  }

  /** Removes an assigned role; the user's sessions end with it. */
  @Delete(':id/roles/:role')
  @Returns(teamMemberResponseSchema)
  async remove(
    @ZodParam('id', userIdSchema) id: string,
    @ZodParam('role', roleSchema) role: Role,
    @CurrentUser() actor: Principal,
  ) {
    return { user: await this.team.remove(id, role, actor) };
  }
}
