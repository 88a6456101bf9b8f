import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { MailMessageDetailDto, MailMessageDto } from './dto/mail-message.dto';
import { MailService } from './mail.service';
import { AuditRead } from '../audit/audit-read';

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/mail')
export class NotificationsController {
  constructor(private readonly mail: MailService) {}

  @Get()
  @AuditRead({ action: 'mail.listed', subjectType: 'notification' })
  @ApiOkResponse({ type: [MailMessageDto] })
  async list(): Promise<MailMessageDto[]> {
    return (await this.mail.list(200)).map(MailMessageDto.from);
  }

  @Get(':id')
  @AuditRead({ action: 'mail.viewed', subjectType: 'notification', subjectParam: 'id' })
  @ApiOkResponse({ type: MailMessageDetailDto })
  async read(@Param('id', ParseUUIDPipe) id: string): Promise<MailMessageDetailDto> {
    const { notification, body } = await this.mail.read(id);
    return { ...MailMessageDto.from(notification), body };
  }
}
