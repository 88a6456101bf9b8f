import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue the platform uses. */
export enum QueueName {
  Notifications = 'notifications',
  Exams = 'exams',
  Certificates = 'certificates',
  Reviews = 'reviews',
  Panels = 'panels',
  Accounts = 'accounts',
  DataRights = 'data-rights',
  Audit = 'audit',
}

/** Every job the platform runs; each has exactly one handler class (see `@JobHandler`). */
export enum JobName {
  SendWelcomeEmail = 'send-welcome-email',
  AutoSubmitAttempt = 'auto-submit-attempt',
  ExpireOverdueAttempts = 'expire-overdue-attempts',
  IssueCertificate = 'issue-certificate',
  CertificateExpiryReminder = 'certificate-expiry-reminder',
  AssignReviewers = 'assign-reviewers',
  ReviewOfferTimeout = 'review-offer-timeout',
  ReviewReminder = 'review-reminder',
  ReviewOverdue = 'review-overdue',
  ConsolidateSubmission = 'consolidate-submission',
  OpenPanelStage = 'open-panel-stage',
  NotifyPanelCandidate = 'notify-panel-candidate',
  SendPanelInvitation = 'send-panel-invitation',
  PanelReminder = 'panel-reminder',
  RemovePanelReminders = 'remove-panel-reminders',
  CheckPanelWaitlist = 'check-panel-waitlist',
  NotifyPanelWaitlist = 'notify-panel-waitlist',
  AlertPanelWaits = 'alert-panel-waits',
  SendVerificationEmail = 'send-verification-email',
  SendPasswordResetEmail = 'send-password-reset-email',
  SendAccountNotice = 'send-account-notice',
  PurgeUnverifiedAccounts = 'purge-unverified-accounts',
  BuildDataExport = 'build-data-export',
  EraseAccountFiles = 'erase-account-files',
  ApplyRetention = 'apply-retention',
  ReleaseReviewerAssignments = 'release-reviewer-assignments',
  ReleasePanelSeats = 'release-panel-seats',
  ReissueForNameChange = 'reissue-for-name-change',
  SendNameChangeOutcome = 'send-name-change-outcome',
  SendEmailChangeMail = 'send-email-change-mail',
  ResignRetiredKeyCredentials = 'resign-retired-key-credentials',
  WriteAuditCheckpoint = 'write-audit-checkpoint',
  IssueWithheldCertificates = 'issue-withheld-certificates',
  AlertJobFailed = 'alert-job-failed',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendWelcomeEmail]: QueueName.Notifications,
  [JobName.AutoSubmitAttempt]: QueueName.Exams,
  [JobName.ExpireOverdueAttempts]: QueueName.Exams,
  [JobName.IssueCertificate]: QueueName.Certificates,
  [JobName.CertificateExpiryReminder]: QueueName.Certificates,
  [JobName.AssignReviewers]: QueueName.Reviews,
  [JobName.ReviewOfferTimeout]: QueueName.Reviews,
  [JobName.ReviewReminder]: QueueName.Reviews,
  [JobName.ReviewOverdue]: QueueName.Reviews,
  [JobName.ConsolidateSubmission]: QueueName.Reviews,
  [JobName.OpenPanelStage]: QueueName.Panels,
  [JobName.NotifyPanelCandidate]: QueueName.Panels,
  [JobName.SendPanelInvitation]: QueueName.Panels,
  [JobName.PanelReminder]: QueueName.Panels,
  [JobName.RemovePanelReminders]: QueueName.Panels,
  [JobName.CheckPanelWaitlist]: QueueName.Panels,
  [JobName.NotifyPanelWaitlist]: QueueName.Panels,
  [JobName.AlertPanelWaits]: QueueName.Panels,
  [JobName.SendVerificationEmail]: QueueName.Accounts,
  [JobName.SendPasswordResetEmail]: QueueName.Accounts,
  [JobName.SendAccountNotice]: QueueName.Accounts,
  [JobName.PurgeUnverifiedAccounts]: QueueName.Accounts,
  [JobName.BuildDataExport]: QueueName.DataRights,
  [JobName.EraseAccountFiles]: QueueName.DataRights,
  [JobName.ApplyRetention]: QueueName.DataRights,
  [JobName.ReleaseReviewerAssignments]: QueueName.Reviews,
  [JobName.ReleasePanelSeats]: QueueName.Panels,
  [JobName.ReissueForNameChange]: QueueName.Certificates,
  [JobName.SendNameChangeOutcome]: QueueName.Accounts,
  [JobName.SendEmailChangeMail]: QueueName.Accounts,
  [JobName.ResignRetiredKeyCredentials]: QueueName.Certificates,
  [JobName.IssueWithheldCertificates]: QueueName.Certificates,
  [JobName.WriteAuditCheckpoint]: QueueName.Audit,
  [JobName.AlertJobFailed]: QueueName.Notifications,
};

/**
 * Periodic safety nets, registered by the worker as BullMQ job schedulers (idempotent upserts,
 * so any number of workers can register them). Everything else is enqueued through the outbox.
 */
export const PERIODIC_JOBS: Array<{ name: JobName; everyMs: number }> = [
  // Closes attempts whose deadline job was missed (worker down when it was due).
  { name: JobName.ExpireOverdueAttempts, everyMs: 60_000 },
  // Deletes accounts whose address stayed unconfirmed for 7 days (RETENTION_UNVERIFIED_ACCOUNT_DAYS), so an address cannot be squatted.
  { name: JobName.PurgeUnverifiedAccounts, everyMs: 3_600_000 },
  // Deletes what the retention settings no longer allow: removed attachments' files, old stored mail, expired exports.
  { name: JobName.ApplyRetention, everyMs: 3_600_000 },
  // Anchors the audit chain outside the database; writes only when AUDIT_CHECKPOINT_MINUTES have passed since the last checkpoint.
  { name: JobName.WriteAuditCheckpoint, everyMs: 60_000 },
  // Slots also open as the booking horizon moves on; the waitlist is checked hourly besides after every availability change.
  { name: JobName.CheckPanelWaitlist, everyMs: 3_600_000 },
  // Alerts administrators (once each) to passed CPAA candidates who have had no booking for PANEL_WAIT_ALERT_DAYS.
  { name: JobName.AlertPanelWaits, everyMs: 3_600_000 },
];

// Retries and backoff live here and nowhere else.
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  // 8 attempts, the first retry 2 s after the first try and each wait doubled: 2 + 4 + … + 128 s ≈ 4 minutes.
  // That rides out a PostgreSQL failover or restart and a flaky SMTP server without anyone noticing; a longer
  // outage (or a poison pill that always throws) ends in the failed state after 8 runs instead of looping: the
  // worker records it on the outbox row, admins are alerted, and the reconciler retries it every
  // RECONCILE_FAILED_RETRY_MINUTES, so a long outage delays the job but never loses it.
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
