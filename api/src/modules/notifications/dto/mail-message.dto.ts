import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDay, SearchableListQueryDto, trimmed } from '../../../common/lists/list-query';
import { Notification } from '../entities/notification.entity';

export class MailMessageDto {
  @ApiProperty() id: string;
  @ApiProperty() template: string;
  @ApiProperty() recipient: string;
  @ApiProperty() subject: string;
  @ApiProperty({ type: String, nullable: true }) transport: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;

  static from(n: Pick<Notification, 'id' | 'template' | 'recipient' | 'subject' | 'transport' | 'createdAt' | 'sentAt'>): MailMessageDto {
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

export const MAIL_STATES = ['sent', 'waiting'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** `GET /api/admin/mail`: the mail the platform sent or is sending, newest first, searched and filtered on the server. */
export class MailQueryDto extends SearchableListQueryDto {
  @ApiPropertyOptional({ description: 'part of the recipient address or the subject (case-insensitive)' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  declare query?: string;

  @ApiPropertyOptional({ example: 'verify-email', description: 'one template, e.g. verify-email, reset-password, certificate-issued' })
  @IsOptional()
  @Transform(trimmed)
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'template must be a template name such as verify-email' })
  template?: string;

  @ApiPropertyOptional({ enum: MAIL_STATES, description: '`waiting`: recorded, not sent yet' })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(MAIL_STATES)
  state?: MailState;

  @ApiPropertyOptional({ format: 'date', description: 'recorded on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'recorded on or before this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  to?: string;
}

export class MailPageDto {
  @ApiProperty({ type: [MailMessageDto] }) items: MailMessageDto[];
  @ApiProperty({ description: 'matches in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
