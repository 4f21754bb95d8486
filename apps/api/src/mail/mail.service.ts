import type { OutboxMail } from '@catalyst/contracts';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { Sealer } from '../crypto/sealer.js';
import type { RenderedMail } from './mail.templates.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';

/**
 * Sends mail through SMTP when SMTP_URL is set. Without it, mail goes to the dev outbox: stored
 * sealed and printed to the log, so a local operator can read their sign-in code.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly transport?: Transporter;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly outbox: MailOutboxRepository,
    private readonly sealer: Sealer,
  ) {
    if (config.smtpUrl) this.transport = nodemailer.createTransport(config.smtpUrl);
  }

  get mode(): 'smtp' | 'dev-outbox' {
    return this.transport ? 'smtp' : 'dev-outbox';
  }

  async send(to: string, mail: RenderedMail): Promise<void> {
    if (!this.transport) {
      await this.outbox.insert({
        recipient: to,
        subject: mail.subject,
        sealedBody: this.sealer.seal(JSON.stringify({ text: mail.text, html: mail.html }), 'mail-outbox'),
      });
      this.logger.warn(
        { to, subject: mail.subject, body: mail.text },
        'SMTP_URL is unset: mail kept in the dev outbox instead of being sent',
      );
      return;
    }
    try {
      await this.transport.sendMail({ from: this.config.mailFrom, to, ...mail });
      this.logger.info({ to, subject: mail.subject }, 'mail sent');
    } catch (error) {
      this.logger.error(
        { to, subject: mail.subject, err: { message: (error as Error).message } },
        'mail not sent',
      );
      throw new ServiceUnavailableError(
        'mail_unavailable',
        'We could not send the mail right now. Try again shortly.',
      );
    }
  }

  async listOutbox(limit = 50): Promise<OutboxMail[]> {
    const rows = await this.outbox.listNewestFirst(limit);
    return rows.map((row) => {
      const body = JSON.parse(this.sealer.unseal(row.sealedBody, 'mail-outbox')) as {
        text: string;
        html: string;
      };
      return {
        id: row.id,
        to: row.recipient,
        subject: row.subject,
        ...body,
        createdAt: row.createdAt.toISOString(),
      };
    });
  }

  onModuleDestroy() {
    this.transport?.close();
  }
}
