import {
  type ChangeOrgMemberRole,
  changeOrgMemberRoleSchema,
  type InviteOrgMember,
  inviteOrgMemberSchema,
  orgMemberListSchema,
  orgMemberSchema,
} from '@catalyst/contracts';
import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { CurrentUser, type Principal } from '../auth/roles.decorator.js';
import { Returns, ZodBody, ZodParam } from '../common/validation.js';
import { OrgMembersService } from './org-members.service.js';
import { slugParam } from './tenants.controller.js';

/** An organization's members: listed to everyone in it; invited, re-roled and removed by its owner. */
@Controller('api/v1/orgs/:slug/members')
export class OrgMembersController {
  constructor(private readonly members: OrgMembersService) {}

  @Get()
  @Returns(orgMemberListSchema)
  async list(@ZodParam('slug', slugParam) slug: string, @CurrentUser() user: Principal) {
    return { members: await this.members.list(slug, user) };
  }

  @Post()
  @Returns(orgMemberSchema, 201)
  invite(
    @ZodParam('slug', slugParam) slug: string,
    @ZodBody(inviteOrgMemberSchema) body: InviteOrgMember,
    @CurrentUser() user: Principal,
  ) {
    return this.members.invite(slug, body, user);
  }

  @Patch(':userId')
  @Returns(orgMemberSchema)
  changeRole(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('userId', z.uuid()) userId: string,
    @ZodBody(changeOrgMemberRoleSchema) body: ChangeOrgMemberRole,
    @CurrentUser() user: Principal,
  ) {
    return this.members.changeRole(slug, userId, body.role, user);
  }

  @Delete(':userId')
  @HttpCode(204)
  async remove(
    @ZodParam('slug', slugParam) slug: string,
    @ZodParam('userId', z.uuid()) userId: string,
    @CurrentUser() user: Principal,
  ) {
    await this.members.remove(slug, userId, user);
  }
}
