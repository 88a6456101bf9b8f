import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { ApiNotModifiedResponse, CacheableBody, sendCacheable } from '../../common/http/cacheable';
import { FrameworkDto, ItemDetailDto, ItemQueryDto, ItemSummaryDto } from './dto/question-bank.dto';
import { QuestionBankService } from './question-bank.service';

@ApiTags('framework')
@Public()
@Controller('framework')
export class FrameworkController {
  /** The framework is loaded once at boot and never changes while the process runs: serialised and hashed once. */
  private readonly body: CacheableBody;

  constructor(bank: QuestionBankService) {
    this.body = CacheableBody.json(bank.frameworkSummary());
  }

  // Five minutes: the framework changes only with a new release, and a client revalidates cheaply (304) after that.
  @Get()
  @ApiOkResponse({ type: FrameworkDto })
  @ApiNotModifiedResponse()
  framework(@Res({ passthrough: true }) res: Response): string {
    return sendCacheable(res, this.body, 'public, max-age=300', { shared: 300 });
  }
}

/** Read-only: the bank's content lives in question-bank/ files and reaches the database by sync. */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/bank/items')
export class AdminQuestionBankController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get()
  @ApiOkResponse({ type: [ItemSummaryDto] })
  list(@Query() query: ItemQueryDto): Promise<ItemSummaryDto[]> {
    return this.bank.listItems(query);
  }

  @Get(':itemId')
  @ApiOkResponse({ type: ItemDetailDto })
  detail(@Param('itemId') itemId: string): Promise<ItemDetailDto> {
    return this.bank.itemDetail(itemId);
  }
}
