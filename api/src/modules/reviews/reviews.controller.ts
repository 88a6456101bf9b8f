import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import {
  AppealOutcomeDto,
  AppealSummaryDto,
  AssignmentDto,
  BoardRowDto,
  DecisionInputDto,
  DecisionResultDto,
  DeclineDto,
  PeerReviewDto,
  ReviewerProfileDto,
  ReviewerSubmissionDto,
  SubmitReviewDto,
  WithdrawDto,
} from './dto/review.dto';
import { DecisionsService } from './decisions.service';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews')
@Authenticated({ roles: ['reviewer'] })
@Controller('reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get('profile')
  @ApiOkResponse({ type: ReviewerProfileDto })
  profile(@CurrentUser() user: AuthUser): Promise<ReviewerProfileDto> {
    return this.reviews.profile(user);
  }

  @Put('profile')
  @ApiOkResponse({ type: ReviewerProfileDto })
  saveProfile(@CurrentUser() user: AuthUser, @Body() dto: ReviewerProfileDto): Promise<ReviewerProfileDto> {
    return this.reviews.saveProfile(user, dto);
  }

  @Get('assignments')
  @ApiOkResponse({ type: [AssignmentDto] })
  mine(@CurrentUser() user: AuthUser): Promise<AssignmentDto[]> {
    return this.reviews.mine(user);
  }

  @Post('assignments/:id/accept')
  @HttpCode(200)
  @ApiOkResponse({ type: [AssignmentDto] })
  accept(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDto[]> {
    return this.reviews.accept(user, id);
  }

  @Get('assignments/:id/submission')
  @ApiOkResponse({
    type: ReviewerSubmissionDto,
    description: 'the frozen submission (context only while offered); no candidate identity in blind review',
  })
  submission(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.submissionFor(user, id);
  }

  @Post('assignments/:id/review')
  @HttpCode(201)
  @ApiOkResponse({ type: [PeerReviewDto] })
  submitReview(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SubmitReviewDto,
  ): Promise<PeerReviewDto[]> {
    return this.reviews.submitReview(user, id, dto);
  }

  @Get('assignments/:id/reviews')
  @ApiOkResponse({ type: [PeerReviewDto], description: 'all reviews of the submission, once yours is submitted' })
  peers(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PeerReviewDto[]> {
    return this.reviews.peerReviews(user, id);
  }

  @Post('assignments/:id/decline')
  @HttpCode(200)
  @ApiOkResponse({ type: [AssignmentDto] })
  decline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeclineDto): Promise<AssignmentDto[]> {
    return this.reviews.decline(user, id, dto);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/submissions')
export class AdminSubmissionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get()
  @ApiOkResponse({ type: [BoardRowDto], description: 'the pipeline board' })
  board() {
    return this.decisions.board();
  }

  @Post('assignments/:assignmentId/withdraw')
  @HttpCode(204)
  withdraw(@CurrentUser() actor: AuthUser, @Param('assignmentId', ParseUUIDPipe) assignmentId: string, @Body() dto: WithdrawDto) {
    return this.decisions.withdraw(actor, assignmentId, dto.reason);
  }

  /** Adjudicates a submission whose reviews disagree, or overrides a decision; always with a reason, audited. */
  @RequiresStepUp()
  @Post(':id/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: DecisionResultDto })
  decide(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecisionInputDto) {
    return this.decisions.decide(actor, id, dto.outcome, dto.reason);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/appeals')
export class AdminAppealsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Get()
  @ApiOkResponse({ type: [AppealSummaryDto], description: 'open appeals' })
  open() {
    return this.decisions.openAppeals();
  }

  @RequiresStepUp()
  @Post(':id/outcome')
  @HttpCode(200)
  decide(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AppealOutcomeDto) {
    return this.decisions.decideAppeal(actor, id, dto.upheld, dto.note, dto.newOutcome);
  }
}
