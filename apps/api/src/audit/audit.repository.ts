import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { auditLog } from './audit.schema.js';

/** The audit_log table; other features write to it through AuditService. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DATABASE) private readonly database: Database) {}

  async record(entry: typeof auditLog.$inferInsert): Promise<void> {
    await this.database.db.insert(auditLog).values(entry);
  }
}
