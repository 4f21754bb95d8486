import type { SovereignFacts } from '@catalyst/contracts';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { readSovereignFacts } from './sovereign-facts.js';

/**
 * What this Catalyst knows about the Sovereign it runs on: the facts file (CATALYST_SOVEREIGN_FILE),
 * read once at start-up. A bad file never stops the api: it runs without facts and says why.
 */
@Injectable()
export class SovereignService implements OnModuleInit {
  private facts: SovereignFacts | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const path = this.config.sovereignFactsFile;
    if (!path) return;
    const reading = await readSovereignFacts(path);
    if (reading.ok) {
      this.facts = reading.facts;
      this.logger.info(
        { path, fqdn: reading.facts.fqdn, deploymentId: reading.facts.deploymentId },
        'sovereign facts loaded',
      );
      return;
    }
    this.logger.warn(
      { path, reason: reading.reason, issues: reading.issues },
      'sovereign facts file not used; running without facts',
    );
  }

  /** The facts, or null on a mothership or when the file was refused. */
  current(): SovereignFacts | null {
    return this.facts;
  }
}
