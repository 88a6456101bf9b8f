import type { EntityManager } from 'typeorm';
import type { JobHandlerInstance } from './job-handler.decorator';
import { JobName } from './job-names';
import type { JobPayloads } from './job-payloads';
import { type OutboxService } from './outbox.service';

// These checks are made by the compiler (ts-jest type-checks this file): an expect-error
// directive that meets no error fails the suite, so each marked line must really be a type error.
function producersAndHandlersShareOnePayloadType(outbox: OutboxService, tx: EntityManager): void {
  void outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: 's' });
  // @ts-expect-error a payload of another job is refused
  void outbox.enqueue(tx, JobName.AssignReviewers, { assignmentId: 'a' });
  // @ts-expect-error a missing field is refused
  void outbox.enqueue(tx, JobName.ReviewReminder, { assignmentId: 'a' });
  // @ts-expect-error a reason outside the union is refused
  void outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: 'i', reason: 'other' });
  // @ts-expect-error an account notice outside the union is refused
  void outbox.enqueue(tx, JobName.SendAccountNotice, { userId: 'u', notice: 'welcome' });

  const handler: JobHandlerInstance<JobName.CertificateExpiryReminder> = {
    handle: async ({ certificateId, daysBefore }) => void [certificateId.length, daysBefore.toFixed()],
  };
  // @ts-expect-error a handler cannot be called with another job's payload
  void handler.handle({ credentialEventId: 'e' });
}

describe('JobPayloads', () => {
  it('has a payload type for every job name (a missing key would not compile here)', () => {
    const example: { [N in JobName]: JobPayloads[N] } = {
      [JobName.SendWelcomeEmail]: { userId: 'u' },
      [JobName.AutoSubmitAttempt]: { attemptId: 'a' },
      [JobName.ExpireOverdueAttempts]: {},
      [JobName.IssueCertificate]: { credentialEventId: 'e' },
      [JobName.CertificateExpiryReminder]: { certificateId: 'c', daysBefore: 14 },
      [JobName.AssignReviewers]: { submissionId: 's' },
      [JobName.ReviewOfferTimeout]: { assignmentId: 'a' },
      [JobName.ReviewReminder]: { assignmentId: 'a', daysBefore: 2 },
      [JobName.ReviewOverdue]: { assignmentId: 'a' },
      [JobName.ConsolidateSubmission]: { submissionId: 's' },
      [JobName.OpenPanelStage]: { submissionId: 's', actorId: null },
      [JobName.NotifyPanelCandidate]: { interviewId: 'i', reason: 'book' },
      [JobName.SendPanelInvitation]: { invitationId: 'i' },
      [JobName.PanelReminder]: { reminderId: 'r' },
      [JobName.RemovePanelReminders]: { bookingId: 'b' },
      [JobName.CheckPanelWaitlist]: {},
      [JobName.NotifyPanelWaitlist]: { entryId: 'e' },
      [JobName.AlertPanelWaits]: {},
      [JobName.SendVerificationEmail]: { userId: 'u' },
      [JobName.SendPasswordResetEmail]: { userId: 'u' },
      [JobName.SendAccountNotice]: { userId: 'u', notice: 'register_attempt' },
      [JobName.PurgeUnverifiedAccounts]: {},
      [JobName.ReleaseReviewerAssignments]: { userId: 'u', actorId: 'a', cause: 'deactivated' },
      [JobName.ReleasePanelSeats]: { userId: 'u', actorId: 'a', cause: 'reviewer_role_removed' },
      [JobName.BuildDataExport]: { exportId: 'e' },
      [JobName.EraseAccountFiles]: { userId: 'u' },
      [JobName.ApplyRetention]: {},
      [JobName.ReissueForNameChange]: { userId: 'u', nameChangeRequestId: 'n' },
      [JobName.SendNameChangeOutcome]: { nameChangeRequestId: 'n' },
      [JobName.SendEmailChangeMail]: { tokenId: 't', stage: 'requested' },
      [JobName.ResignRetiredKeyCredentials]: { kid: 'k' },
      [JobName.WriteAuditCheckpoint]: {},
      [JobName.IssueWithheldCertificates]: { userId: 'u' },
      [JobName.AlertJobFailed]: { outboxId: 'o', failures: 1 },
    };
    expect(Object.keys(example).sort()).toEqual(Object.values(JobName).sort());
    expect(typeof producersAndHandlersShareOnePayloadType).toBe('function');
  });
});
