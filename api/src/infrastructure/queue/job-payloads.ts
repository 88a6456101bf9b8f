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
  /** The raw token is made inside the handler: it never sits in the outbox or Redis, only its hash in account_tokens. */
  [JobName.SendVerificationEmail]: { userId: string };
  [JobName.SendPasswordResetEmail]: { userId: string };
  [JobName.SendAccountNotice]: { userId: string; notice: AccountNotice };
  [JobName.PurgeUnverifiedAccounts]: Record<string, never>;
}

/** Mails that tell the owner of an account something happened to it. */
export type AccountNotice = 'register_attempt' | 'password_changed' | 'password_reset';

export type JobPayload<N extends JobName> = JobPayloads[N];
