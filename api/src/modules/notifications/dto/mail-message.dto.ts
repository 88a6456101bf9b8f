import { ApiProperty } from '@nestjs/swagger';
import { Notification } from '../entities/notification.entity';

export class MailMessageDto {
  @ApiProperty() id: string;
  @ApiProperty() template: string;
  @ApiProperty() recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty({ type: String, nullable: true }) transport: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;

  static from(n: Notification): MailMessageDto {
    return {
      id: n.id,
      template: n.template,
      recipient: n.recipient,
      subject: n.subject,
      transport: n.transport,
      createdAt: n.createdAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    };
  }
}

export class MailMessageDetailDto extends MailMessageDto {
  @ApiProperty({ type: String, nullable: true, description: 'the stored message (file transport only)' })
  body: string | null;
}

/** A message as its recipient sees it in the app: what it was about and when, never its body (links in it are single-use). */
export class MyNotificationDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'certificate-issued' }) template: string;
  @ApiProperty() subject: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'null while it waits to be sent' }) sentAt: string | null;
}
