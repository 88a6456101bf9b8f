import { Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH } from './queue-board-pass';
import { QueueBoardService } from './queue-board.service';

/** The pass to the Bull Board at /admin/queues (issue #16): a page load carries no bearer token, so the SPA asks for a cookie first. */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/queues')
export class QueueBoardController {
  constructor(
    private readonly board: QueueBoardService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('session')
  @HttpCode(204)
  @RequiresStepUp()
  @ApiOperation({
    summary:
      'Open the queue board for this session: sets the HttpOnly, SameSite=Strict cookie `psf_queue_board` (Path=/admin/queues), ' +
      'valid until the step-up window ends, while the session stays live and its person an administrator; then load /admin/queues',
  })
  @ApiNoContentResponse({ description: 'the cookie is set; audited as `queue_board.opened`' })
  async openSession(@CurrentUser() actor: AuthUser, @Res({ passthrough: true }) res: Response): Promise<void> {
    const pass = await this.board.openPass(actor);
    res.cookie(QUEUE_BOARD_COOKIE, pass.value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
      path: QUEUE_BOARD_PATH,
      expires: pass.expiresAt,
    });
  }
}
