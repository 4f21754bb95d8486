import { teamListSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Returns } from '../common/validation.js';
import { toUser } from './auth.service.js';
import { Roles } from './roles.decorator.js';
import { UsersRepository } from './users.repository.js';

/** Everyone who has signed in to this Sovereign, with their roles (the console's Team page). */
@Controller('api/v1/users')
@Roles('superadmin', 'sovereign-admin')
export class TeamController {
  constructor(private readonly users: UsersRepository) {}

  @Get()
  @Returns(teamListSchema)
  async list() {
    const rows = await this.users.list();
    return {
      users: rows.map((row) => ({
        ...toUser(row),
        lastSignInAt: row.lastSignInAt ? row.lastSignInAt.toISOString() : null,
      })),
    };
  }
}
