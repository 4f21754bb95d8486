import { Module } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { RateLimitModule } from '../ratelimit/rate-limit.module.js';
import { CredentialsController } from './credentials.controller.js';
import { HetznerClient } from './hetzner.client.js';

@Module({
  imports: [RateLimitModule],
  controllers: [CredentialsController],
  providers: [
    {
      provide: HetznerClient,
      useFactory: (config: Config) => new HetznerClient({ endpoint: config.deployments.hcloudEndpoint }),
      inject: [CONFIG],
    },
  ],
  exports: [HetznerClient],
})
export class CredentialsModule {}
