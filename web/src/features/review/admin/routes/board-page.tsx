import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { DataTable } from '../../../../components/data-table';
import { Page } from '../../../../components/page';
import { type PipelineAction, useAppeals, useBoard, usePipelineAction } from '../api/submissions';

/** The pipeline board: every submission's stage, reviewers, due dates and overdue flags; adjudication and reassignment. */
export function BoardPage() {
  const board = useBoard();
  const appeals = useAppeals();
  const action = usePipelineAction();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const run = (a: PipelineAction, text: string) => {
    setDone(null);
    action.mutate(a, { onSuccess: () => setDone(text) });
  };
  return (
    <Page title="Portfolio pipeline">
      {action.error && <Alert>{action.error.message}</Alert>}
      {done && <Alert kind="success">{done}</Alert>}
      <div className="field">
        <label htmlFor="board-reason">Reason for a reassignment (recorded in the audit log)</label>
        <textarea id="board-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {!!appeals.data?.length && (
        <section aria-labelledby="appeals-h">
          <h2 id="appeals-h">Open appeals</h2>
          <ul>
            {appeals.data.map((a) => (
              <li key={a.id}>
                {a.candidate}, {a.credential} v{a.version} (decision: {a.decision}): {a.grounds}{' '}
                <Link to={`/admin/submissions/${a.submissionId}`}>
                  Decide the appeal beside the reviews<span className="visually-hidden"> of {a.candidate}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Submissions</h2>
      {board.error && <Alert>{board.error.message}</Alert>}
      {board.data && (
        <DataTable
          caption="Submitted portfolios, newest first"
          captionHidden
          rows={board.data}
          rowKey={(row) => row.submissionId}
          empty="No portfolio has been submitted yet."
          columns={[
            {
              header: 'Submission',
              cell: (row) => (
                <>
                  {row.credential} v{row.version} — {row.candidate}
                  <br />
                  <span className="hint">{new Date(row.submittedAt).toLocaleDateString()}</span>
                </>
              ),
            },
            {
              header: 'Stage',
              cell: (row) => (
                <>
                  {row.stage}
                  {row.overdue && <strong className="field-error"> overdue</strong>}
                </>
              ),
            },
            {
              header: 'Reviewers',
              cell: (row) => (
                <ul>
                  {row.assignments.map((a) => (
                    <li key={a.assignmentId}>
                      {a.reviewer}: {a.status}
                      {a.dueAt ? `, due ${new Date(a.dueAt).toLocaleDateString()}` : ''}
                      {a.overdue ? ' (overdue)' : ''}{' '}
                      {['offered', 'accepted'].includes(a.status) && (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => run({ kind: 'reassign', assignmentId: a.assignmentId, reason }, 'Reassigned.')}
                          disabled={!reason.trim()}
                        >
                          Reassign<span className="visually-hidden"> {a.reviewer}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              ),
            },
            {
              header: 'Decision',
              cell: (row) =>
                (row.stage === 'adjudication' || row.stage.startsWith('decided')) && (
                  <Link to={`/admin/submissions/${row.submissionId}`}>
                    {row.stage === 'adjudication' ? 'Compare the reviews and decide' : 'Compare the reviews'}
                    <span className="visually-hidden">
                      {' '}
                      for {row.candidate}, {row.credential} v{row.version}
                    </span>
                  </Link>
                ),
            },
          ]}
        />
      )}
    </Page>
  );
}
