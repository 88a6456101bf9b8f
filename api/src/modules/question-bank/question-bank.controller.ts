import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { FrameworkDto, ItemDetailDto, ItemQueryDto, ItemSummaryDto } from './dto/question-bank.dto';
import { QuestionBankService } from './question-bank.service';

@ApiTags('framework')
@Public()
@Controller('framework')
export class FrameworkController {
  constructor(private readonly bank: QuestionBankService) {}

  @Get()
  @ApiOkResponse({ type: FrameworkDto })
  framework(): FrameworkDto {
    return this.bank.frameworkSummary();
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
