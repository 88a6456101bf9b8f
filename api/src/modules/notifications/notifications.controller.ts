import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CsvExport } from '../../common/lists/csv-export';
import { CurrentUser, type AuthUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { MailMessageDetailDto, MailMessageDto, MailPageDto, MailQueryDto, MyNotificationDto } from './dto/mail-message.dto';
import { NotificationsRepository } from './notifications.repository';
import { MailService } from './mail.service';
import { AuditRead } from '../audit/audit-read';

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/mail')
export class NotificationsController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @AuditRead({ action: 'mail.listed', subjectType: 'notification' })
  @ApiOkResponse({ type: MailPageDto, description: 'one page of the mail, newest first (oldest first with order=asc)' })
  @ApiBadRequestResponse({
    description:
      'an unknown state, a malformed template name, a day not written YYYY-MM-DD, from after to, a page below 1 or a page size above 500',
  })
  list(@Query() query: MailQueryDto): Promise<MailPageDto> {
    return this.mail.search(query);
  }

  @Get('export.csv')
  @AuditRead({ action: 'mail.exported', subjectType: 'notification' })
  @CsvExport('mail.csv', 'the mail the same filters find, newest first', 'no bodies')
  exportCsv(@Query() query: MailQueryDto): Promise<string> {
    return this.mail.exportCsv(query);
  }

  @Get(':id')
  @AuditRead({ action: 'mail.viewed', subjectType: 'notification', subjectParam: 'id' })
  @ApiOkResponse({ type: MailMessageDetailDto })
  async read(@Param('id', ParseUUIDPipe) id: string): Promise<MailMessageDetailDto> {
    const { notification, body } = await this.mail.read(id);
    return { ...MailMessageDto.from(notification), body };
  }
}

/** How many of their latest messages a person sees in the app. */
const MY_NOTIFICATIONS = 50;

@ApiTags('accounts')
@Authenticated()
@Controller('me/notifications')
export class MyNotificationsController {
  constructor(private readonly notifications: NotificationsRepository) {}

  // Mail to the account's present address; what went to an earlier address stays in the data export.
  @Get()
  @ApiOkResponse({ type: [MyNotificationDto], description: 'the latest 50 e-mails the platform sent you, newest first (subjects only)' })
  async mine(@CurrentUser() user: AuthUser): Promise<MyNotificationDto[]> {
    const rows = await this.notifications.latestTo(user.email, MY_NOTIFICATIONS);
    return rows.map((n) => ({
      id: n.id,
      template: n.template,
      subject: n.subject,
      createdAt: n.createdAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    }));
  }
}
