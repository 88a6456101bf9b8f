import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileMailTransport, MailAttachment, MailTransport, SmtpMailTransport } from '../../infrastructure/mail/mail-transport';
import { Notification } from './entities/notification.entity';
import { type MailFilter, NotificationsRepository } from './notifications.repository';
import { MailMessageDto, MailPageDto, MailQueryDto } from './dto/mail-message.dto';
import { CSV_EXPORT_CAP, toCsv } from '../../common/lists/csv';
import { dayRange, pageRequest } from '../../common/lists/list-query';

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

  async search(q: MailQueryDto): Promise<MailPageDto> {
    const { page, pageSize, offset } = pageRequest(q);
    const { rows, total } = await this.notifications.search(mailFilterOf(q), { limit: pageSize, offset });
    return { items: rows.map(MailMessageDto.from), total, page, pageSize };
  }

  /** The filtered mail as CSV (every page, up to CSV_EXPORT_CAP rows, newest first); subjects and addresses, never bodies. */
  async exportCsv(q: MailQueryDto): Promise<string> {
    const { rows } = await this.notifications.search(mailFilterOf(q), { limit: CSV_EXPORT_CAP, offset: 0 });
    return toCsv([
      ['id', 'template', 'recipient', 'subject', 'transport', 'created_at', 'sent_at'],
      ...rows.map(MailMessageDto.from).map((m) => [m.id, m.template, m.recipient, m.subject, m.transport, m.createdAt, m.sentAt]),
    ]);
  }

  async read(id: string): Promise<{ notification: Notification; body: string | null }> {
    const notification = await this.dataSource.getRepository(Notification).findOneBy({ id });
    if (!notification) throw new NotFoundException('No such message');
    const body =
      notification.storedFile && this.transport.read ? await this.transport.read(notification.storedFile).catch(() => null) : null;
    return { notification, body };
  }
}

function mailFilterOf(q: MailQueryDto): MailFilter {
  const created = dayRange(q.from, q.to);
  return {
    query: q.query,
    template: q.template,
    state: q.state,
    createdFrom: created.start,
    createdBefore: created.end,
    order: q.order ?? 'desc',
  };
}
