import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { PanelBookingsService } from '../panel-bookings.service';
import { PanelNoticesService } from '../panel-notices.service';
import { PanelStage } from '../panel-stage';
import { PanelWaitAlertsService } from '../panel-wait-alerts.service';
import { PanelWaitlistService } from '../panel-waitlist.service';

/** Mails one snapshotted invitation or cancellation with its .ics (deduplicated per invitation). */
@Injectable()
@JobHandler(JobName.SendPanelInvitation)
export class SendPanelInvitationJob implements JobHandlerInstance<JobName.SendPanelInvitation> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ invitationId }: JobPayloads[JobName.SendPanelInvitation]): Promise<void> {
    await this.notices.sendInvitation(invitationId);
  }
}

/** 48 h / 1 h before: does nothing when the reminder was cancelled by a change. */
@Injectable()
@JobHandler(JobName.PanelReminder)
export class PanelReminderJob implements JobHandlerInstance<JobName.PanelReminder> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ reminderId }: JobPayloads[JobName.PanelReminder]): Promise<void> {
    await this.notices.sendReminder(reminderId);
  }
}

/** Takes cancelled reminders' delayed jobs out of BullMQ. */
@Injectable()
@JobHandler(JobName.RemovePanelReminders)
export class RemovePanelRemindersJob implements JobHandlerInstance<JobName.RemovePanelReminders> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ bookingId }: JobPayloads[JobName.RemovePanelReminders]): Promise<void> {
    await this.notices.removeCancelledReminders(bookingId);
  }
}

@Injectable()
@JobHandler(JobName.NotifyPanelCandidate)
export class NotifyPanelCandidateJob implements JobHandlerInstance<JobName.NotifyPanelCandidate> {
  constructor(private readonly notices: PanelNoticesService) {}
  async handle({ interviewId, reason }: JobPayloads[JobName.NotifyPanelCandidate]): Promise<void> {
    await this.notices.notifyCandidate(interviewId, reason);
  }
}

/** A passed CPAA portfolio: opens the panel stage (once per submission; nothing when the decision is no longer a pass). */
@Injectable()
@JobHandler(JobName.OpenPanelStage)
export class OpenPanelStageJob implements JobHandlerInstance<JobName.OpenPanelStage> {
  constructor(private readonly stage: PanelStage) {}
  async handle({ submissionId, actorId }: JobPayloads[JobName.OpenPanelStage]): Promise<void> {
    await this.stage.openForPassedPortfolio(submissionId, actorId);
  }
}

/** Someone lost their standing: they leave the panels not yet sat, and a deactivated candidate's booking is cancelled (idempotent). */
@Injectable()
@JobHandler(JobName.ReleasePanelSeats)
export class ReleasePanelSeatsJob implements JobHandlerInstance<JobName.ReleasePanelSeats> {
  constructor(private readonly bookings: PanelBookingsService) {}
  async handle({ userId, actorId, cause }: JobPayloads[JobName.ReleasePanelSeats]): Promise<void> {
    await this.bookings.releasePerson(userId, actorId, cause);
  }
}

/** Availability changed, or the hourly check: waitlisted candidates who now have a free slot get their e-mail queued. */
@Injectable()
@JobHandler(JobName.CheckPanelWaitlist)
export class CheckPanelWaitlistJob implements JobHandlerInstance<JobName.CheckPanelWaitlist> {
  constructor(private readonly waitlist: PanelWaitlistService) {}
  async handle(): Promise<void> {
    await this.waitlist.check();
  }
}

/** "A slot opened" to one waitlisted candidate (deduplicated per waitlist entry). */
@Injectable()
@JobHandler(JobName.NotifyPanelWaitlist)
export class NotifyPanelWaitlistJob implements JobHandlerInstance<JobName.NotifyPanelWaitlist> {
  constructor(private readonly waitlist: PanelWaitlistService) {}
  async handle({ entryId }: JobPayloads[JobName.NotifyPanelWaitlist]): Promise<void> {
    await this.waitlist.notify(entryId);
  }
}

/** Hourly: administrators hear (once per interview) of passed candidates with no booking for PANEL_WAIT_ALERT_DAYS. */
@Injectable()
@JobHandler(JobName.AlertPanelWaits)
export class AlertPanelWaitsJob implements JobHandlerInstance<JobName.AlertPanelWaits> {
  constructor(private readonly alerts: PanelWaitAlertsService) {}
  async handle(): Promise<void> {
    await this.alerts.alert();
  }
}
