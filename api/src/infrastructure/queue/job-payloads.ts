import { type JobName } from './job-names';

/**
 * What each job carries, keyed by job name: the one place producers (`OutboxService.enqueue`)
 * and handlers (`JobHandlerInstance<N>`) take their payload type from, so the two cannot drift.
 * Payloads hold ids and small facts only; a handler loads the rest inside its own transaction.
 */
export interface JobPayloads {
  [JobName.SendWelcomeEmail]: { userId: string };
  [JobName.AutoSubmitAttempt]: { attemptId: string };
  [JobName.ExpireOverdueAttempts]: Record<string, never>;
  [JobName.IssueCertificate]: { credentialEventId: string };
  [JobName.CertificateExpiryReminder]: { certificateId: string; daysBefore: number };
  [JobName.AssignReviewers]: { submissionId: string };
  [JobName.ReviewOfferTimeout]: { assignmentId: string };
  [JobName.ReviewReminder]: { assignmentId: string; daysBefore: number };
  [JobName.ReviewOverdue]: { assignmentId: string };
  [JobName.ConsolidateSubmission]: { submissionId: string };
  /** A CPAA portfolio passed: the panels module opens the interview stage (the reviews module never writes panel tables). */
  [JobName.OpenPanelStage]: { submissionId: string; actorId: string | null };
  [JobName.NotifyPanelCandidate]: { interviewId: string; reason: 'book' | 'rebook' | 'decided' };
  [JobName.SendPanelInvitation]: { invitationId: string };
  [JobName.PanelReminder]: { reminderId: string };
  [JobName.RemovePanelReminders]: { bookingId: string };
  /** Availability changed (or the hour came round): waitlisted candidates who now have a free slot are told. */
  [JobName.CheckPanelWaitlist]: Record<string, never>;
  /** entryId: the panel_waitlist row whose candidate is told a slot opened (one e-mail per entry). */
  [JobName.NotifyPanelWaitlist]: { entryId: string };
  [JobName.AlertPanelWaits]: Record<string, never>;
  /** The raw token is made inside the handler: it never sits in the outbox or Redis, only its hash in account_tokens. */
  [JobName.SendVerificationEmail]: { userId: string };
  /** forced: an administrator required the reset (the mail says so instead of "someone asked"). */
  [JobName.SendPasswordResetEmail]: { userId: string; forced?: boolean };
  [JobName.SendAccountNotice]: { userId: string; notice: AccountNotice };
  [JobName.PurgeUnverifiedAccounts]: Record<string, never>;
  /** The link's raw token is made inside the handler too: only its hash is stored (data_exports). */
  [JobName.BuildDataExport]: { exportId: string };
  /** After an account's erasure: its attachment files and stored mail go from storage. */
  [JobName.EraseAccountFiles]: { userId: string };
  [JobName.ApplyRetention]: Record<string, never>;
  /**
   * Someone lost their standing (deactivated, or the reviewer role removed): the reviews module withdraws their open
   * assignments and the panels module their seats on upcoming panels (and, deactivated, their own booking). actorId: the admin.
   */
  [JobName.ReleaseReviewerAssignments]: { userId: string; actorId: string; cause: StandingLoss };
  [JobName.ReleasePanelSeats]: { userId: string; actorId: string; cause: StandingLoss };
  /** An approved name change: the certificates module re-issues the person's active certificates under their current name. */
  [JobName.ReissueForNameChange]: { userId: string; nameChangeRequestId: string };
  /** A reactivated account: passes whose certificate was withheld while it was deactivated are issued now. */
  [JobName.IssueWithheldCertificates]: { userId: string };
  [JobName.SendNameChangeOutcome]: { nameChangeRequestId: string };
  /** tokenId: the change_email row of the request ('requested') or the spent link ('confirmed'); the addresses stay in the table. */
  [JobName.SendEmailChangeMail]: { tokenId: string; stage: 'requested' | 'confirmed' };
  /** A signing key was retired: the live credentials it signed are signed again with the current key. */
  [JobName.ResignRetiredKeyCredentials]: { kid: string };
  [JobName.WriteAuditCheckpoint]: Record<string, never>;
  /** A job failed for good (attempts exhausted or stalled too often); failures: its outbox row's count then (one alert each). */
  [JobName.AlertJobFailed]: { outboxId: string; failures: number };
}

/** Why someone's open work is released: the account was deactivated, or the reviewer role was removed. */
export type StandingLoss = 'deactivated' | 'reviewer_role_removed';

/** Mails that tell the owner of an account something happened to it. */
export type AccountNotice = 'register_attempt' | 'password_changed' | 'password_reset' | 'second_factor_changed';

export type JobPayload<N extends JobName> = JobPayloads[N];
