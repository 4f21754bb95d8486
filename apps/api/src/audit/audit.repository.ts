import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { auditLog } from './audit.schema.js';

/** The audit trail every feature writes to: who did what to what, and when. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async record(entry: typeof auditLog.$inferInsert): Promise<void> {
    await this.database.db.insert(auditLog).values(entry);
  }
}

@Global()
@Module({ providers: [AuditRepository], exports: [AuditRepository] })
export class AuditModule {}
