import { useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { failureOf } from '../../../lib/api/errors';
import { type FailedJob, useRetryJob } from '../api/jobs';
import { idEntries, jobLabel } from '../lib/job-words';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * Jobs that exhausted their attempts, each with "Retry now". A retried job leaves the list, so focus
 * goes to the section's heading and the outcome is announced through the page's status region.
 */
export function FailedJobs({ jobs, onRetried }: { jobs: FailedJob[]; onRetried: (message: string) => void }) {
  const retry = useRetryJob();
  const heading = useRef<HTMLHeadingElement>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const retryJob = (job: FailedJob) => {
    if (retry.isPending) return;
    setFailure(null);
    retry.mutate(job.id, {
      onSuccess: () => {
        onRetried(`${jobLabel(job.jobName)} is queued again; it leaves the failed jobs when it runs.`);
        heading.current?.focus();
      },
      onError: (error) => setFailure(`${jobLabel(job.jobName)} was not retried: ${failureOf(error).message}`),
    });
  };

  return (
    <section aria-labelledby="failed-jobs-heading">
      <h2 id="failed-jobs-heading" ref={heading} tabIndex={-1}>
        Failed jobs
      </h2>
      <p>
        A failed job used up its attempts. Administrators are e-mailed, and reconciliation retries it after a while; fix the cause, then
        retry it now.
      </p>
      {failure && <Alert>{failure}</Alert>}
      <DataTable
        caption="Failed jobs, newest failure first"
        captionHidden
        rows={jobs}
        rowKey={(j) => j.id}
        empty="No job has failed."
        columns={[
          { header: 'Job', rowHeader: true, cell: (j) => jobLabel(j.jobName) },
          { header: 'Failed since', cell: (j) => <time dateTime={j.failedAt}>{when(j.failedAt)}</time> },
          { header: 'Failures', cell: (j) => j.failures },
          { header: 'Error', cell: (j) => j.error ?? 'No error was recorded' },
          { header: 'About', cell: (j) => <Ids ids={j.payloadIds} /> },
          {
            header: 'Action',
            cell: (j) => (
              <button type="button" aria-disabled={retry.isPending || undefined} onClick={() => retryJob(j)}>
                Retry now
                <span className="visually-hidden">
                  : {jobLabel(j.jobName)}, failed {when(j.failedAt)}
                </span>
              </button>
            ),
          },
        ]}
      />
    </section>
  );
}

function Ids({ ids }: { ids: Record<string, string> }) {
  const entries = idEntries(ids);
  if (entries.length === 0) return 'No ids';
  return entries.map((e) => (
    <div key={e.label}>
      {e.label} <code>{e.value}</code>
    </div>
  ));
}
