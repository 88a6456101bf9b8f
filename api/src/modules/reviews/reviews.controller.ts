import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { AssignmentDto, DeclineDto, ReviewerProfileDto } from './dto/review.dto';
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

  @Post('assignments/:id/decline')
  @HttpCode(200)
  @ApiOkResponse({ type: [AssignmentDto] })
  decline(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeclineDto): Promise<AssignmentDto[]> {
    return this.reviews.decline(user, id, dto);
  }
}
