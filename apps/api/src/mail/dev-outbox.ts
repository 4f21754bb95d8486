import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OutboxMail } from '@catalyst/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../common/tokens.js';
import { CONFIG, type Config } from '../config/config.js';
import { Sealer } from '../crypto/sealer.js';
import type { RenderedMail } from './mail.templates.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';

const DAY_MS = 86_400_000;
/** The names keep() gives its files: `<created-at, ISO with - for : and .>-<row id>.txt`. */
const OUTBOX_FILE = /^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f-]{36}\.txt$/;

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

  /**
   * Deletes the outbox's files older than CATALYST_RETENTION_MAIL_DAYS, as the retention sweep deletes their rows:
   * they hold sign-in codes in plain text. Each replica writes (and so sweeps) its own directory; files that are
   * not the outbox's are left alone. Returns how many went.
   */
  async sweepFiles(now = Date.now()): Promise<number> {
    const days = this.config.retention.mailDays;
    if (days <= 0) return 0;
    const names = await readdir(this.directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    let deleted = 0;
    for (const name of names.filter((n) => OUTBOX_FILE.test(n))) {
      const file = join(this.directory, name);
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs < days * DAY_MS) continue;
      await rm(file, { force: true });
      deleted++;
    }
    return deleted;
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
