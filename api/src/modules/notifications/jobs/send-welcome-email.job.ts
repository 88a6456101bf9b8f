import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { UsersService } from '../../users/users.service';
import { MailService } from '../mail.service';

@Injectable()
@JobHandler(JobName.SendWelcomeEmail)
export class SendWelcomeEmailJob implements JobHandlerInstance<JobName.SendWelcomeEmail> {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ userId }: JobPayloads[JobName.SendWelcomeEmail]): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) return; // account removed since: nothing to welcome
    await this.mail.send({
      dedupeKey: `welcome:${user.id}`,
      template: 'welcome',
      to: user.email,
      subject: 'Welcome to the PSF certification platform',
      text: [
        `Hello ${user.fullName},`,
        '',
        'Your account on the Production Safety Framework certification platform is ready.',
        `Sign in at ${this.config.publicUrl}/login to sit the AIDA examination or start a portfolio.`,
        '',
        'Production Safety Framework v1.0 by the Production AI Institute, licensed CC BY 4.0.',
      ].join('\n'),
    });
  }
}
