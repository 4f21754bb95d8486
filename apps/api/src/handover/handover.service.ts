import type { KeyObject } from 'node:crypto';
import type { User } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthService } from '../auth/auth.service.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { SovereignService } from '../sovereign/sovereign.service.js';
import { HandoverReplayed, handoverNotConfigured, handoverRefused } from './handover.errors.js';
import { HandoverRepository } from './handover.repository.js';
import { HandoverTokenError, parseHandoverPublicKey, verifyHandoverToken } from './handover-token.js';

/**
 * The Sovereign's side of the handover (D0): a one-time link from the mothership signs its first
 * sovereign-admin in. The token must carry a valid signature of the configured key, name this Sovereign,
 * be unexpired and unused; otherwise nothing is created.
 */
@Injectable()
export class HandoverService {
  private readonly publicKey?: KeyObject;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly auth: AuthService,
    private readonly sovereign: SovereignService,
    private readonly tokens: HandoverRepository,
  ) {
    // Checked to be Ed25519 PEM at start-up (config.schema.ts).
    const pem = config.handover.publicKeyPem;
    this.publicKey = pem ? parseHandoverPublicKey(pem) : undefined;
  }

  /** Verifies and spends `token`, then opens a session for its subject as sovereign-admin. */
  async signIn(token: string): Promise<{ user: User; token: string; expiresAt: Date }> {
    const audience = this.config.handover.audience ?? this.sovereign.current()?.fqdn;
    if (!this.publicKey) throw handoverNotConfigured();
    if (!audience) {
      this.logger.warn('handover refused: no audience (set CATALYST_SOVEREIGN_FQDN or the facts file)');
      throw handoverNotConfigured();
    }
    let claims: ReturnType<typeof verifyHandoverToken>;
    try {
      claims = verifyHandoverToken(token, { publicKeyPem: this.publicKey, audience });
    } catch (err) {
      if (!(err instanceof HandoverTokenError)) throw err;
      this.logger.warn({ reason: err.reason, detail: err.message }, 'handover refused');
      throw handoverRefused();
    }
    try {
      const session = await this.auth.signInVerified(claims.sub, ['sovereign-admin'], async (tx) => {
        if (!(await this.tokens.markUsed(tx, claims.jti, new Date(claims.exp * 1000))))
          throw new HandoverReplayed();
      });
      this.logger.info({ jti: claims.jti, userId: session.user.id }, 'handover: sovereign-admin signed in');
      return session;
    } catch (err) {
      if (!(err instanceof HandoverReplayed)) throw err;
      this.logger.warn({ reason: 'replayed', jti: claims.jti }, 'handover refused');
      throw handoverRefused();
    }
  }
}
