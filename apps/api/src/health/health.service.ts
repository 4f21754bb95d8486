import type { Readiness } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, type Database } from '../database/database.js';
import { isMigrated, shippedMigrationCount } from '../database/migrate.js';

@Injectable()
export class HealthService {
  private readonly expectedMigrations = shippedMigrationCount();

  constructor(@Inject(DATABASE) private readonly database: Database) {}

  /** Ready to serve: the database answers and every shipped migration is applied. */
  async readiness(): Promise<Readiness> {
    const checks: Readiness['checks'] = { database: 'failed', migrations: 'failed' };
    try {
      await this.database.pool.query('select 1');
      checks.database = 'ok';
      if (await isMigrated(this.database.pool, this.expectedMigrations)) checks.migrations = 'ok';
    } catch {
      // Reported through the checks; the reason is the database's, not the caller's.
    }
    const ready = checks.database === 'ok' && checks.migrations === 'ok';
    return { status: ready ? 'ok' : 'unavailable', checks };
  }
}
