import { DataTable } from '../../../components/data-table';
import type { JobsOverview } from '../api/jobs';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Whether Redis answers, what the outbox still owes, and the backlog of each queue. */
export function BacklogSummary({ overview }: { overview: JobsOverview }) {
  const { outbox, queues, redisUp } = overview;
  return (
    <section aria-labelledby="jobs-summary-heading">
      <h2 id="jobs-summary-heading">Summary</h2>
      <p>
        {redisUp ? (
          <>
            <strong>Redis is up:</strong> jobs are handed to it as they are written.
          </>
        ) : (
          <>
            <strong>Redis is down:</strong> it did not answer within 2 seconds. New jobs wait in the database and are handed over when it is
            back; nothing is lost.
          </>
        )}
      </p>
      <dl className="meta">
        <dt>Waiting to be handed to Redis</dt>
        <dd>
          {outbox.unpublished}
          {outbox.oldestUnpublishedAt && (
            <>
              {' '}
              (the oldest since <time dateTime={outbox.oldestUnpublishedAt}>{when(outbox.oldestUnpublishedAt)}</time>)
            </>
          )}
        </dd>
        <dt>In Redis, not finished yet</dt>
        <dd>{outbox.open}</dd>
        <dt>Failed</dt>
        <dd>{outbox.failed}</dd>
      </dl>
      {queues ? (
        <DataTable
          caption="Backlog per queue"
          rows={queues}
          rowKey={(q) => q.name}
          empty="No queues."
          columns={[
            { header: 'Queue', rowHeader: true, cell: (q) => q.name },
            { header: 'Waiting', cell: (q) => q.waiting },
            { header: 'Running', cell: (q) => q.active },
            { header: 'Scheduled later', cell: (q) => q.delayed },
            { header: 'Failed', cell: (q) => q.failed },
            { header: 'Completed', cell: (q) => q.completed },
          ]}
        />
      ) : (
        <p>The backlog per queue is not known while Redis is down.</p>
      )}
    </section>
  );
}
