import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import {
  AdjudicationDto,
  AppealOutcomeDto,
  AppealResultDto,
  AppealSummaryDto,
  AssignmentDto,
  BoardRowDto,
  DecisionInputDto,
  DecisionResultDto,
  DeclineDto,
  PeerReviewDto,
  ReviewerProfileDto,
  ReviewDraftDto,
  ReviewerSubmissionDto,
  SavedReviewDraftDto,
  SubmitReviewDto,
  WithdrawDto,
} from './dto/review.dto';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { DecisionsService } from './decisions.service';
import { ReviewsService } from './reviews.service';
import { AuditRead } from '../audit/audit-read';

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
  @ApiConflictResponse({ description: 'the offer is no longer open, or has expired' })
  accept(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<AssignmentDto[]> {
    return this.reviews.accept(user, id);
  }

  @Get('assignments/:id/submission')
  @AuditRead({ action: 'submission.viewed', subjectType: 'review_assignment', subjectParam: 'id' })
  @ApiOkResponse({
    type: ReviewerSubmissionDto,
    description: 'the frozen submission (context only while offered); no candidate identity in blind review',
  })
  submission(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.reviews.submissionFor(user, id);
  }

  @Get('assignments/:id/draft')
  @ApiOkResponse({ type: SavedReviewDraftDto, description: 'your review in progress, as last autosaved' })
  @ApiNotFoundResponse({ description: 'no draft saved, or no such assignment of yours' })
  draft(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<SavedReviewDraftDto> {
    return this.reviews.draft(user, id);
  }

  @Put('assignments/:id/draft')
  @ApiOkResponse({ type: SavedReviewDraftDto, description: 'saved; replaces the draft before it' })
  @ApiNotFoundResponse({ description: 'no such assignment of yours' })
  @ApiConflictResponse({ description: 'the assignment is not accepted, or the review is already submitted' })
  saveDraft(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReviewDraftDto,
  ): Promise<SavedReviewDraftDto> {
    return this.reviews.saveDraft(user, id, dto);
  }

  @Post('assignments/:id/review')
  @HttpCode(201)
  @ApiCreatedResponse({ type: [PeerReviewDto] })
  @ApiConflictResponse({ description: 'the review is already submitted, or the assignment is not accepted' })
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
  @ApiConflictResponse({ description: 'the offer is no longer open' })
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
  @ApiNoContentResponse({ description: 'the reviewer is withdrawn from the assignment' })
  @ApiConflictResponse({ description: 'the assignment can no longer be withdrawn' })
  withdraw(@CurrentUser() actor: AuthUser, @Param('assignmentId', ParseUUIDPipe) assignmentId: string, @Body() dto: WithdrawDto) {
    return this.decisions.withdraw(actor, assignmentId, dto.reason);
  }

  @Get(':id')
  @AuditRead({ action: 'submission.viewed', subjectType: 'portfolio_submission', subjectParam: 'id' })
  @ApiOkResponse({ type: AdjudicationDto, description: 'the submission with both reviews side by side, and where they differ' })
  @ApiNotFoundResponse({ description: 'no such submission' })
  adjudication(@Param('id', ParseUUIDPipe) id: string): Promise<AdjudicationDto> {
    return this.decisions.adjudicationView(id);
  }

  /**
   * Adjudicates a submission whose reviews disagree, or overrides a decision; always with a reason, audited.
   * A pass changed to anything else revokes the certificate it issued, in the same transaction.
   */
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC}`)
  @Post(':id/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiConflictResponse({ description: 'the submission is not waiting for adjudication, or the decision is already that outcome' })
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

  /** Only by an administrator independent of the case who neither made nor reviewed the decision appealed. */
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (which includes having made or reviewed the decision appealed)`)
  @Post(':id/outcome')
  @HttpCode(200)
  @ApiOkResponse({ type: AppealResultDto })
  @ApiConflictResponse({ description: 'the appeal has already been decided' })
  decide(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AppealOutcomeDto) {
    return this.decisions.decideAppeal(actor, id, dto.upheld, dto.note, dto.newOutcome);
  }
}
