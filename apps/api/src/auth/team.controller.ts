import { teamListSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Returns } from '../common/validation.js';
import { Roles } from './roles.decorator.js';
import { TeamService } from './team.service.js';

/** Everyone who has signed in to this Sovereign, with their roles (the console's Team page). */
@Controller('api/v1/users')
@Roles('superadmin', 'sovereign-admin')
export class TeamController {
  constructor(private readonly team: TeamService) {}

  @Get()
  @Returns(teamListSchema)
  list() {
    return this.team.list();
  }
}
