import { Injectable } from '@nestjs/common';
import { toUser } from './auth.service.js';
import { UsersRepository } from './users.repository.js';

/** Who has signed in to this instance, and with which roles (the console's Team page). */
@Injectable()
export class TeamService {
  constructor(private readonly users: UsersRepository) {}

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
