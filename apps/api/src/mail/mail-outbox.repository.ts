import { Inject, Injectable } from '@nestjs/common';
import { desc } from 'drizzle-orm';
import { DATABASE, type Database } from '../database/database.js';
import { mailOutbox } from './mail.schema.js';

@Injectable()
export class MailOutboxRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async insert(row: { recipient: string; subject: string; sealedBody: string }) {
    const [inserted] = await this.database.db.insert(mailOutbox).values(row).returning();
    if (!inserted) throw new Error('mail outbox insert returned nothing');
    return inserted;
  }

  listNewestFirst(limit: number) {
    return this.database.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
  }
}
