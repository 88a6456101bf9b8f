import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { SaveSelfAssessmentDto, SelfAssessmentDto } from './dto/self-assessment.dto';
import { SelfAssessmentService } from './self-assessment.service';

/** The public self-assessment needs no account; these keep a signed-in person's copy on their account. */
@ApiTags('self-assessment')
@Authenticated()
@Controller('me/self-assessment')
export class MySelfAssessmentController {
  constructor(private readonly selfAssessments: SelfAssessmentService) {}

  @Get()
  @ApiOkResponse({ type: SelfAssessmentDto, description: 'the self-assessment saved to the account' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiNotFoundResponse({ description: 'none saved yet' })
  mine(@CurrentUser() user: AuthUser): Promise<SelfAssessmentDto> {
    return this.selfAssessments.mine(user);
  }

  @Put()
  @ApiOkResponse({ type: SelfAssessmentDto, description: 'saved: it replaces the one saved before' })
  @ApiBadRequestResponse({ description: 'ratings missing or not an object, a code that is not a criterion, or a rating outside 0..3' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  save(@CurrentUser() user: AuthUser, @Body() dto: SaveSelfAssessmentDto): Promise<SelfAssessmentDto> {
    return this.selfAssessments.save(user, dto);
  }
}
