import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { failureOf } from '../../../lib/api/errors';
import { type ReconcileRun, useReconcileNow } from '../api/jobs';
import { reconcileOutcome, runFindings, triggerText } from '../lib/job-words';

const when = (iso: string) => new Date(iso).toLocaleString();

/** The latest reconciliation passes and "Reconcile now"; the outcome is announced through the page's status region. */
export function Reconciliation({ runs, onDone }: { runs: ReconcileRun[]; onDone: (message: string) => void }) {
  const reconcile = useReconcileNow();
  // aria-disabled rather than disabled: the button keeps the focus while the pass runs.
  const run = () => {
    if (reconcile.isPending) return;
    reconcile.mutate(undefined, { onSuccess: (result) => onDone(reconcileOutcome(result)) });
  };
  return (
    <section aria-labelledby="reconciliation-heading">
      <h2 id="reconciliation-heading">Reconciliation</h2>
      <p>
        The database records every job the platform owes. When the worker starts, and then regularly (every minute by default), it compares
        that record with what Redis holds and queues again whatever is missing. Run a pass now after Redis was restored or the cause of
        failed jobs was fixed.
      </p>
      {reconcile.error && <Alert>{failureOf(reconcile.error).message}</Alert>}
      <div className="actions">
        <button type="button" aria-disabled={reconcile.isPending || undefined} onClick={run}>
          {reconcile.isPending ? 'Reconciling…' : 'Reconcile now'}
        </button>
      </div>
      <DataTable
        caption="Latest passes, newest first"
        rows={runs}
        rowKey={(r) => `${r.startedAt}-${r.trigger}`}
        empty="No pass has run yet: the worker runs one when it starts."
        columns={[
          { header: 'When', rowHeader: true, cell: (r) => <time dateTime={r.startedAt}>{when(r.startedAt)}</time> },
          { header: 'Started by', cell: (r) => triggerText(r.trigger) },
          { header: 'Found', cell: (r) => runFindings(r) },
          { header: 'Problem', cell: (r) => r.error ?? 'None' },
        ]}
      />
    </section>
  );
}
