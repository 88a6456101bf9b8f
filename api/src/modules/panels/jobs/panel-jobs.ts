import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import {
  NotifyPanelCandidateJobData,
  PanelInvitationJobData,
  PanelNoticesService,
  PanelReminderJobData,
  RemovePanelRemindersJobData,
} from '../panel-notices.service';

/** Mails one snapshotted invitation or cancellation with its .ics (deduplicated per invitation). */
@Injectable()
@JobHandler(JobName.SendPanelInvitation)
export class SendPanelInvitationJob implements JobHandlerInstance<PanelInvitationJobData> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ invitationId }: PanelInvitationJobData): Promise<void> {
    await this.notices.sendInvitation(invitationId);
  }
}

/** 48 h / 1 h before: does nothing when the reminder was cancelled by a change. */
@Injectable()
@JobHandler(JobName.PanelReminder)
export class PanelReminderJob implements JobHandlerInstance<PanelReminderJobData> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ reminderId }: PanelReminderJobData): Promise<void> {
    await this.notices.sendReminder(reminderId);
  }
}

/** Takes cancelled reminders' delayed jobs out of BullMQ. */
@Injectable()
@JobHandler(JobName.RemovePanelReminders)
export class RemovePanelRemindersJob implements JobHandlerInstance<RemovePanelRemindersJobData> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ bookingId }: RemovePanelRemindersJobData): Promise<void> {
    await this.notices.removeCancelledReminders(bookingId);
  }
}

@Injectable()
@JobHandler(JobName.NotifyPanelCandidate)
export class NotifyPanelCandidateJob implements JobHandlerInstance<NotifyPanelCandidateJobData> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ interviewId, reason }: NotifyPanelCandidateJobData): Promise<void> {
    await this.notices.notifyCandidate(interviewId, reason);
  }
}
