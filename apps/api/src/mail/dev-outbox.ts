import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxMail } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { Sealer } from '../crypto/sealer.js';
import type { RenderedMail } from './mail.templates.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';

/**
 * Where mail waits while SMTP_URL is unset. Bodies hold sign-in codes, so they never reach the log:
 * each mail is kept sealed in the database (listed for a superadmin) and written to a 0600 file
 * under the data directory, which is how the first admin of a fresh install reads their code.
 */
@Injectable()
export class DevOutbox {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly repository: MailOutboxRepository,
    private readonly sealer: Sealer,
  ) {}

  get directory(): string {
    return this.config.mailOutboxDir;
  }

  async keep(to: string, mail: RenderedMail): Promise<void> {
    const row = await this.repository.insert({
      recipient: to,
      subject: mail.subject,
      sealedBody: this.sealer.seal(JSON.stringify({ text: mail.text, html: mail.html }), 'mail-outbox'),
    });
    const file = join(this.directory, `${row.createdAt.toISOString().replace(/[:.]/g, '-')}-${row.id}.txt`);
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      await writeFile(file, `To: ${to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    } catch (error) {
      // The mail is still kept (sealed, listed at the admin endpoint); only the local copy is missing.
      this.logger.warn(
        { to, directory: this.directory, err: { message: (error as Error).message } },
        `mail to ${to} queued in the dev outbox, but its file could not be written`,
      );
      return;
    }
    this.logger.warn({ to, file }, `mail to ${to} queued in the dev outbox: ${file}`);
  }

  async list(limit: number): Promise<OutboxMail[]> {
    const rows = await this.repository.listNewestFirst(limit);
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
}
