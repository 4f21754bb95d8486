import { healthSchema, type Readiness, readinessSchema } from '@catalyst/contracts';
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { DATABASE, type Database } from '../database/database.js';
import { isMigrated, shippedMigrationCount } from '../database/migrate.js';
import { MetricsService } from './metrics.service.js';

@Controller()
@Public()
export class HealthController {
  private readonly expectedMigrations = shippedMigrationCount();

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    private readonly metrics: MetricsService,
  ) {}

  /** The process is alive (no dependency is checked: a database outage must not restart pods). */
  @Get('healthz')
  @Returns(healthSchema)
  healthz() {
    return { status: 'ok' as const };
  }

  /** Ready to serve: the database answers and every shipped migration is applied. */
  @Get('readyz')
  @Returns(readinessSchema)
  async readyz(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const checks: Readiness['checks'] = { database: 'failed', migrations: 'failed' };
    try {
      await this.database.pool.query('select 1');
      checks.database = 'ok';
      if (await isMigrated(this.database.pool, this.expectedMigrations)) checks.migrations = 'ok';
    } catch {
      // Reported through the checks; the reason is the database's, not the caller's.
    }
    const ready = checks.database === 'ok' && checks.migrations === 'ok';
    reply.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', checks };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText() {
    return this.metrics.registry.metrics();
  }
}
