import { JobName, QueueName } from '../../src/infrastructure/queue/job-names';
import { type AttemptView, newCandidates, passAll, startAttempt, waitFor } from './candidates';
import { certificatesFor, unverifiable } from './certificates-state';
import { bookPanels, panelRemindersState, type PanelRemindersState, scheduledReminders } from './panels';
import { buildApiIfStale, DrillPlatform } from './platform';

/**
 * Fault drill on Redis (issue #15): every key lost (FLUSHALL, then a restart without persistence),
 * first while the worker is down, then under a running worker. PostgreSQL is the record of what is
 * owed; the jobs must come back from it.
 */
const EARLY = 4;
const LATE = 4;
const SITTING = 4;
/** Booked CPAA panel interviews: each owes its candidate and three assessors a reminder 48 h and 1 h before. */
const PANELS = 3;
const REMINDERS_PER_PANEL = 4 * 2;
const RECOVERY_TIMEOUT_MS = 45_000;

interface JobsState {
  passes: number;
  certificates: number;
  complete: number;
  /** Expiry reminders the outbox owes (certificate:days) that Redis holds no delayed job for. */
  missingReminders: string[];
  remindersOwed: number;
  duplicateReminders: number;
  /** In-progress attempts whose deadline job is not in Redis. */
  missingDeadlines: string[];
  sweepScheduled: boolean;
  panels: PanelRemindersState;
}

/** What PostgreSQL says is owed: the passes' certificates, the sittings' deadlines, the bookings' reminders. */
interface Owed {
  sources: string[];
  sittings: AttemptView[];
  bookings: string[];
  /** Each panel reminder's job id before the loss. */
  reminderJobs: Map<string, string>;
}

describe('drill: Redis loses everything', () => {
  let platform: DrillPlatform;

  beforeAll(async () => {
    buildApiIfStale();
    platform = await DrillPlatform.create('drill_redis');
    await platform.start('api');
    await platform.start('worker');
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  }, 60_000);

  /** Polls the outbox until every row of this job for these payload values is published. */
  async function published(jobName: JobName, field: string, values: string[]): Promise<void> {
    const { value } = await waitFor(20_000, async () => {
      const [{ n }] = await platform.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE job_name = $1 AND published_at IS NOT NULL AND payload->>$2 = ANY($3::text[])`,
        [jobName, field, values],
      );
      return n >= values.length ? true : undefined;
    });
    if (!value) throw new Error(`the relay did not publish every ${jobName} job`);
  }

  async function wipeRedis(): Promise<void> {
    await platform.flushRedis();
    await platform.redis.stop();
    await platform.redis.start();
  }

  async function jobsState({ sources, sittings, bookings, reminderJobs }: Owed): Promise<JobsState> {
    const issued = await certificatesFor(platform, sources);
    const owed = await platform.query<{ key: string }>(
      `SELECT (payload->>'certificateId') || ':' || (payload->>'daysBefore') AS key FROM outbox WHERE job_name = $1 AND run_at > now()`,
      [JobName.CertificateExpiryReminder],
    );
    const certificates = platform.queue(QueueName.Certificates);
    const exams = platform.queue(QueueName.Exams);
    try {
      const reminders = (await certificates.getJobs(['delayed']))
        .filter((j) => j?.name === JobName.CertificateExpiryReminder)
        .map((j) => `${j.data.certificateId}:${j.data.daysBefore}`);
      const deadlines = new Set(
        (await exams.getJobs(['delayed', 'wait'])).filter((j) => j?.name === JobName.AutoSubmitAttempt).map((j) => j.data.attemptId),
      );
      return {
        passes: sources.length,
        certificates: issued.length,
        complete: issued.filter((c) => c.complete).length,
        remindersOwed: owed.length,
        missingReminders: owed.map((o) => o.key).filter((k) => !reminders.includes(k)),
        duplicateReminders: reminders.length - new Set(reminders).size,
        missingDeadlines: sittings.map((a) => a.id).filter((id) => !deadlines.has(id)),
        sweepScheduled: (await exams.getJobScheduler(JobName.ExpireOverdueAttempts)) !== undefined,
        panels: await panelRemindersState(platform, bookings, reminderJobs),
      };
    } finally {
      await Promise.all([certificates.close(), exams.close()]);
    }
  }

  const recovered = (s: JobsState) =>
    s.complete === s.passes &&
    s.missingReminders.length === 0 &&
    s.missingDeadlines.length === 0 &&
    s.sweepScheduled &&
    s.panels.missing.length === 0;

  const describeState = (s: JobsState) =>
    `${s.certificates} certificates for ${s.passes} passes (${s.complete} complete), ${s.remindersOwed - s.missingReminders.length}/${s.remindersOwed} expiry ` +
    `reminders in Redis (${s.duplicateReminders} duplicates), ${s.missingDeadlines.length} attempt deadline jobs missing, ` +
    `overdue sweep ${s.sweepScheduled ? 'scheduled' : 'NOT scheduled'}, ` +
    `${s.panels.owed - s.panels.missing.length}/${s.panels.owed} panel reminders delayed in Redis ` +
    `(${s.panels.sameJobId} under their job id from before the loss, ${s.panels.duplicates} duplicates)`;

  it('rebuilds certificates, expiry reminders, attempt deadlines, panel reminders and the overdue sweep from PostgreSQL after FLUSHALL and a restart', async () => {
    await platform.reporting(async () => {
      const [early, late, sitting, bookings] = await Promise.all([
        newCandidates(platform, 'early', EARLY),
        newCandidates(platform, 'late', LATE),
        newCandidates(platform, 'sitting', SITTING),
        // Booked before the loss: their reminders wait in Redis as delayed jobs.
        bookPanels(platform, PANELS),
      ]);
      const reminders = await scheduledReminders(platform, bookings);
      await published(
        JobName.PanelReminder,
        'reminderId',
        reminders.map((r) => r.id),
      );
      const reminderJobs = new Map(reminders.map((r) => [r.id, r.outbox_id]));
      // Issued before the loss: their expiry reminders wait in Redis as delayed jobs.
      const earlySources = (await passAll(platform.baseUrl, early)).map((a) => a.id);
      const { value: earlyIssued } = await waitFor(30_000, async () => {
        const found = await certificatesFor(platform, earlySources);
        return found.length === EARLY && found.every((c) => c.complete) ? found : undefined;
      });
      if (!earlyIssued) throw new Error('the certificates passed before the loss were not issued');
      // In progress across the loss: their deadline jobs wait in Redis.
      const sittings = await Promise.all(sitting.map((c) => startAttempt(platform.baseUrl, c)));
      await published(JobName.AutoSubmitAttempt, 'attemptId', [...sittings.map((a) => a.id)]);
      // Fault injection: the certificates queue is paused, so these passes' jobs are published to Redis but never run before the loss.
      const queue = platform.queue(QueueName.Certificates);
      await queue.pause();
      await queue.close();
      const lateSources = (await passAll(platform.baseUrl, late)).map((a) => a.id);
      const lateEvents = await platform.query<{ id: string }>(`SELECT id FROM credential_events WHERE source_id::text = ANY($1::text[])`, [
        lateSources,
      ]);
      await published(
        JobName.IssueCertificate,
        'credentialEventId',
        lateEvents.map((e) => e.id),
      );
      const sources = [...earlySources, ...lateSources];
      const owed: Owed = { sources, sittings, bookings, reminderJobs };
      const before = await jobsState(owed);

      await platform.stop('worker', 'SIGKILL');
      await wipeRedis();
      const restarted = Date.now();
      await platform.start('worker');
      const afterRestart = await waitFor(
        RECOVERY_TIMEOUT_MS,
        async () => {
          const state = await jobsState(owed);
          return recovered(state) ? state : undefined;
        },
        500,
      );
      const restartState = afterRestart.value ?? (await jobsState(owed));
      console.log(
        `[drill] Redis FLUSHALL + restart with the worker down: before ${describeState(before)}; ` +
          `${((Date.now() - restarted) / 1000).toFixed(1)} s after the worker's restart: ${describeState(restartState)}`,
      );

      // The same loss under a running worker: only the worker's own detection can bring the jobs back.
      await wipeRedis();
      const wiped = Date.now();
      const underWorker = await waitFor(
        RECOVERY_TIMEOUT_MS,
        async () => {
          const state = await jobsState(owed);
          return recovered(state) ? state : undefined;
        },
        500,
      );
      const runningState = underWorker.value ?? (await jobsState(owed));
      console.log(
        `[drill] Redis FLUSHALL + restart under a running worker: ${((Date.now() - wiped) / 1000).toFixed(1)} s after: ${describeState(runningState)}`,
      );

      const issued = await certificatesFor(platform, sources);
      expect(before.certificates).toBe(EARLY); // the late passes' jobs really were unprocessed when Redis was lost
      expect(before.remindersOwed).toBe(EARLY * 2);
      expect(restartState).toMatchObject({ complete: sources.length, missingReminders: [], missingDeadlines: [], sweepScheduled: true });
      expect(restartState.remindersOwed).toBe(sources.length * 2);
      expect(runningState).toMatchObject({ complete: sources.length, missingReminders: [], missingDeadlines: [], sweepScheduled: true });
      expect(runningState.duplicateReminders).toBe(0);
      for (const state of [before, restartState, runningState]) {
        expect(state.panels).toMatchObject({ owed: PANELS * REMINDERS_PER_PANEL, missing: [], duplicates: 0 });
      }
      expect(
        await unverifiable(
          platform,
          issued.map((c) => c.number),
        ),
      ).toEqual([]);
    });
  }, 180_000);
});
