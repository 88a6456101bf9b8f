import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { NoStore } from '../../common/http/no-store';
import { ChangeItemStageDto, ItemCommentDto, ItemForReviewDto, ReviewQueueEntryDto, SubmitItemReviewDto } from './dto/item-review.dto';
import { ItemReviewService } from './item-review.service';

@ApiTags('item review')
@Authenticated({ roles: ['reviewer', 'admin'] })
@NoStore()
@Controller('bank/reviews')
export class ItemReviewController {
  constructor(private readonly reviews: ItemReviewService) {}

  @Get()
  @ApiOkResponse({ type: [ReviewQueueEntryDto], description: 'every item in the workflow, with its review evidence' })
  queue(@CurrentUser() user: AuthUser): Promise<ReviewQueueEntryDto[]> {
    return this.reviews.queue(user);
  }

  @Get(':itemId')
  @ApiOkResponse({ type: ItemForReviewDto })
  @ApiNotFoundResponse()
  item(@CurrentUser() user: AuthUser, @Param('itemId') itemId: string): Promise<ItemForReviewDto> {
    return this.reviews.item(user, itemId);
  }

  @Post(':itemId')
  @ApiCreatedResponse({ type: ItemForReviewDto, description: 'your review of the item’s current version' })
  @ApiForbiddenResponse({ description: 'you wrote the item' })
  @ApiConflictResponse({ description: 'you already reviewed this version' })
  review(@CurrentUser() user: AuthUser, @Param('itemId') itemId: string, @Body() dto: SubmitItemReviewDto): Promise<ItemForReviewDto> {
    return this.reviews.review(user, itemId, dto);
  }

  @Post(':itemId/comments')
  @ApiCreatedResponse({ type: ItemForReviewDto })
  comment(@CurrentUser() user: AuthUser, @Param('itemId') itemId: string, @Body() dto: ItemCommentDto): Promise<ItemForReviewDto> {
    return this.reviews.comment(user, itemId, dto);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/bank/items')
export class ItemStageController {
  constructor(private readonly reviews: ItemReviewService) {}

  @Post(':itemId/stage')
  @HttpCode(200)
  @ApiOkResponse({ type: ItemForReviewDto })
  @ApiConflictResponse({ description: 'the step’s rule is not met (reviews, pretest responses, a request for changes)' })
  @ApiForbiddenResponse({ description: 'you wrote the item' })
  changeStage(@CurrentUser() admin: AuthUser, @Param('itemId') itemId: string, @Body() dto: ChangeItemStageDto): Promise<ItemForReviewDto> {
    return this.reviews.changeStage(admin, itemId, dto);
  }
}
