import { Injectable } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';
import type { auditLog } from './audit.schema.js';

/** One entry: who (`actorId`, `actorEmail`), did what (`action`), to what (`target`). Never a secret in `details`. */
export type AuditEntry = Pick<
  typeof auditLog.$inferInsert,
  'actorId' | 'actorEmail' | 'action' | 'target' | 'details'
>;

/** The audit trail every feature writes to: who did what to what, and when. */
@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  record(entry: AuditEntry): Promise<void> {
    return this.repo.record(entry);
  }
}
