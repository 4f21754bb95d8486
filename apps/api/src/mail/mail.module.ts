import { Module } from '@nestjs/common';
import { MailController } from './mail.controller.js';
import { MailService } from './mail.service.js';
import { MailOutboxRepository } from './mail-outbox.repository.js';

@Module({
  controllers: [MailController],
  providers: [MailOutboxRepository, MailService],
  exports: [MailService],
})
export class MailModule {}
