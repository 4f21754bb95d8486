import { mailStatusSchema } from '@catalyst/contracts';
import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/roles.decorator.js';
import { Returns } from '../common/validation.js';
import { MailService } from './mail.service.js';

/** Public, so the sign-in page can say that no code will arrive by mail. */
@Controller('api/v1/mail-status')
export class MailStatusController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @Public()
  @Returns(mailStatusSchema)
  status() {
    return { delivery: this.mail.mode };
  }
}
