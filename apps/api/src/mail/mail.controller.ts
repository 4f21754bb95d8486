import { outboxListSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { MailService } from './mail.service.js';

@Controller('api/v1/admin/mail-outbox')
export class MailController {
  constructor(private readonly mail: MailService) {}

  /** The dev outbox: mail kept instead of sent while SMTP_URL is unset. */
  @Get()
  @Roles('superadmin')
  @Returns(outboxListSchema)
  async list() {
    return { mails: await this.mail.listOutbox() };
  }
}
