import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BillingModule } from './billing/billing.module.js';
import { BssModule } from './bss/bss.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { LOGGER } from './common/tokens.js';
import { CONFIG, type Config } from './config/config.js';
import { CredentialsModule } from './credentials/credentials.module.js';
import { SECRET_KEYS, type SecretKeys } from './crypto/keys.js';
import { Sealer } from './crypto/sealer.js';
import { DATABASE, type Database } from './database/database.js';
import { RetentionModule } from './database/retention.module.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { DomainsModule } from './domains/domains.module.js';
import { EventsModule } from './events/events.module.js';
import { HandoverModule } from './handover/handover.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { McpModule } from './mcp/mcp.module.js';
import { MetaModule } from './meta/meta.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';
import { SovereignModule } from './sovereign/sovereign.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { WalletsModule } from './wallets/wallets.module.js';

/** What start-up prepared before Nest exists: configuration, keys, the migrated database, the logger. */
export interface Runtime {
  config: Config;
  keys: SecretKeys;
  database: Database;
  logger: Logger;
}

@Global()
@Module({})
class CoreModule {
  static register(runtime: Runtime): DynamicModule {
    const providers = [
      { provide: CONFIG, useValue: runtime.config },
      { provide: SECRET_KEYS, useValue: runtime.keys },
      { provide: DATABASE, useValue: runtime.database },
      { provide: LOGGER, useValue: runtime.logger },
      Sealer,
    ];
    return { module: CoreModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  /** `extraModules` lets tests mount a module of their own (e.g. a route that fails on purpose). */
  static register(runtime: Runtime, extraModules: Type[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(runtime),
        EventEmitterModule.forRoot({ wildcard: false }),
        EventsModule,
        AuditModule,
        MailModule,
        AuthModule,
        CatalogModule,
        DomainsModule,
        DeploymentsModule,
        WalletsModule,
        TenantsModule,
        TokensModule,
        McpModule,
        BillingModule,
        BssModule,
        SovereignModule,
        HandoverModule,
        CredentialsModule,
        HealthModule,
        MetaModule,
        OpenApiModule,
        RetentionModule,
        ...extraModules,
      ],
    };
  }
}
