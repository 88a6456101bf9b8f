import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileMailTransport, MailAttachment, MailTransport, SmtpMailTransport } from '../../infrastructure/mail/mail-transport';
import { Notification } from './entities/notification.entity';
import { NotificationsRepository } from './notifications.repository';

export interface MailRequest {
  /** Same key, same message: a redelivered job sends nothing the second time. */
  dedupeKey: string;
  template: string;
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

/** The one way the platform sends e-mail: SMTP when configured, else files under the data folder. */
@Injectable()
export class MailService {
  readonly transport: MailTransport;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transport = config.smtpUrl ? new SmtpMailTransport(config.smtpUrl) : new FileMailTransport(config.mailDir);
  }

  /** Returns true when this call sent the message, false when it had been sent already. */
  async send(request: MailRequest): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      await this.notifications.insertIfNew(tx, {
        dedupeKey: request.dedupeKey,
        template: request.template,
        recipient: request.to,
        subject: request.subject,
      });
      // The row lock makes a concurrent duplicate wait here, then see sentAt and stop.
      const row = await this.notifications.lockByDedupeKey(tx, request.dedupeKey);
      if (!row) throw new Error(`the notification ${request.dedupeKey} was not recorded`);
      if (row.sentAt) return false;
      const stored = await this.transport.deliver({
        id: row.id,
        from: this.config.mailFrom,
        to: request.to,
        subject: request.subject,
        text: request.text,
        attachments: request.attachments,
      });
      await this.notifications.markSent(tx, row.id, this.transport.name, stored);
      return true;
    });
  }

  async list(limit: number): Promise<Notification[]> {
    return this.dataSource.getRepository(Notification).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  async read(id: string): Promise<{ notification: Notification; body: string | null }> {
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id });
    if (!notification) throw new NotFoundException('No such message');
    const body =
      notification.storedFile && this.transport.read ? await this.transport.read(notification.storedFile).catch(() => null) : null;
    return { notification, body };
  }
}
