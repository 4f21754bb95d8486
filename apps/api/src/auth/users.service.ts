import { Injectable } from '@nestjs/common';
import { UsersRepository } from './users.repository.js';

/** Users as other features see them (the BSS shows owners and customers by e-mail). */
@Injectable()
export class UsersService {
  constructor(private readonly repo: UsersRepository) {}

  /** E-mails by user id; an id without a user is absent. */
  emailsOf(ids: string[]): Promise<Map<string, string>> {
    return this.repo.emailsOf(ids);
  }
}
