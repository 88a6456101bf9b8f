import { useState } from 'react';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useJobsOverview } from '../api/jobs';
import { BacklogSummary } from '../components/backlog-summary';
import { FailedJobs } from '../components/failed-jobs';
import { QueueBoardLink } from '../components/queue-board-link';
import { Reconciliation } from '../components/reconciliation';

/** The administrators' view of background work: backlog, failed jobs (retry), reconciliation (run now), the queue board. */
export function JobsPage() {
  const overview = useJobsOverview();
  const [done, setDone] = useState<string | null>(null);
  return (
    <Page title="Jobs">
      <p>
        Background work: e-mails, certificates, reminders, deadlines. Every job is written to the database before it is handed to Redis, so
        a job Redis loses is found and queued again.
      </p>
      <div role="status" aria-live="polite">
        {done && <p className="alert alert-success">{done}</p>}
        {overview.isPending && 'Loading jobs…'}
      </div>
      {overview.error && <Alert>{overview.error.message}</Alert>}
      {overview.data && (
        <>
          <BacklogSummary overview={overview.data} />
          <FailedJobs jobs={overview.data.failedJobs} onRetried={setDone} />
          <Reconciliation runs={overview.data.lastRuns} onDone={setDone} />
        </>
      )}
      <QueueBoardLink />
    </Page>
  );
}
