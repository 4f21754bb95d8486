import { Module } from '@nestjs/common';
import { DevOutbox } from './dev-outbox.js';
import { MailController } from './mail.controller.js';
import { MailService } from './mail.service.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';
import { MailStatusController } from './mail-status.controller.js';

@Module({
  controllers: [MailController, MailStatusController],
  providers: [MailOutboxRepository, DevOutbox, MailService],
  exports: [MailService],
})
export class MailModule {}
