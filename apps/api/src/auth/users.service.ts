import { Injectable } from '@nestjs/common';
import type { Executor } from '../database/database.js';
import { type UserRow, UsersRepository } from './users.repository.js';

/** Users as other features see them (the BSS shows owners and customers by e-mail). */
@Injectable()
export class UsersService {
  constructor(private readonly repo: UsersRepository) {}

  /** E-mails by user id; an id without a user is absent. */
  emailsOf(ids: string[]): Promise<Map<string, string>> {
    return this.repo.emailsOf(ids);
  }

  /** One user by id, if they exist (personal access tokens read their owner's current roles on every call). */
  findById(id: string): Promise<UserRow | undefined> {
    return this.repo.findById(id);
  }

  /** The user of an invited e-mail, created when new, in the caller's transaction (organization invitations). */
  findOrCreateByEmail(ex: Executor, email: string): Promise<UserRow> {
    return this.repo.findOrCreateByEmail(ex, email);
  }
}
