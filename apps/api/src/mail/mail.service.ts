import type { MailStatus, OutboxMail } from '@catalyst/contracts';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { ServiceUnavailableError } from '../common/app-error.js';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { DevOutbox } from './dev-outbox.js';
import type { RenderedMail } from './mail.templates.js';

/**
 * Sends mail through SMTP when SMTP_URL is set. Without it, nothing is delivered: mail goes to the
 * dev outbox (see dev-outbox.ts), and the console shows a banner saying so.
 */
@Injectable()
export class MailService implements OnModuleInit, OnModuleDestroy {
  private readonly transport?: Transporter;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly outbox: DevOutbox,
  ) {
    if (config.smtpUrl) this.transport = nodemailer.createTransport(config.smtpUrl);
  }

  get mode(): MailStatus['delivery'] {
    return this.transport ? 'smtp' : 'dev-outbox';
  }

  onModuleInit() {
    if (this.transport) return;
    this.logger.warn(
      { directory: this.outbox.directory },
      `MAIL IS NOT DELIVERED (SMTP_URL is unset): every mail, sign-in codes included, waits in the dev outbox under ${this.outbox.directory}`,
    );
  }

  async send(to: string, mail: RenderedMail): Promise<void> {
    if (!this.transport) return this.outbox.keep(to, mail);
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

  listOutbox(limit = 50): Promise<OutboxMail[]> {
    return this.outbox.list(limit);
  }

  onModuleDestroy() {
    this.transport?.close();
  }
}
