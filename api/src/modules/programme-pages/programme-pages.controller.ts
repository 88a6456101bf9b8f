import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/authenticated.decorator';
import { ApiNotModifiedResponse, CacheableBody, sendCacheable } from '../../common/http/cacheable';
import { RateLimit } from '../../common/rate-limit/rate-limit.guard';
import { ProgrammeDto } from './dto/programme.dto';
import { ProgrammePagesService } from './programme-pages.service';

@ApiTags('programme')
@Public()
@Controller('public')
export class ProgrammePagesController {
  constructor(private readonly pages: ProgrammePagesService) {}

  // One minute, and kept in each replica's memory as long: the home page is every visitor's first read. A change of
  // the exam's settings forgets the stored copy (ExamSettingsService).
  @RateLimit({ limit: 'public', bucket: 'public:programme', per: 'address', what: 'programme page reads from your address' })
  @Get('programme')
  @ApiOkResponse({ type: ProgrammeDto, description: 'the programme and its three credentials, as the public pages show them' })
  @ApiNotModifiedResponse()
  async programme(@Res({ passthrough: true }) res: Response): Promise<string> {
    return sendCacheable(res, CacheableBody.json(await this.pages.programmePage()), 'public, max-age=60', { shared: 60 });
  }
}
