import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { decide, decideAppeal, useAppeals, useBoard, withdraw } from '../api/submissions';

/** The pipeline board: every submission's stage, reviewers, due dates and overdue flags; adjudication and reassignment. */
export function BoardPage() {
  const board = useBoard();
  const appeals = useAppeals();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setMessage(null);
    await fn().then(
      () => setMessage({ kind: 'success', text: done }),
      (e: Error) => setMessage({ kind: 'error', text: e.message }),
    );
    await qc.invalidateQueries({ queryKey: ['admin'] });
  };
  return (
    <Page title="Portfolio pipeline">
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      <div className="field">
        <label htmlFor="board-reason">Reason for a decision or a reassignment (recorded in the audit log)</label>
        <textarea id="board-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      {!!appeals.data?.length && (
        <section aria-labelledby="appeals-h">
          <h2 id="appeals-h">Open appeals</h2>
          <ul>
            {appeals.data.map((a) => (
              <li key={a.id}>
                {a.candidate}, {a.credential} v{a.version} (decision: {a.decision}): {a.grounds}{' '}
                <button
                  type="button"
                  className="link-button"
                  disabled={!reason.trim()}
                  onClick={() => run(() => decideAppeal(a.id, false, reason), 'Appeal rejected.')}
                >
                  Reject<span className="visually-hidden"> the appeal of {a.candidate}</span>
                </button>{' '}
                <button
                  type="button"
                  className="link-button"
                  disabled={!reason.trim()}
                  onClick={() => run(() => decideAppeal(a.id, true, reason, 'pass'), 'Appeal upheld.')}
                >
                  Uphold and pass<span className="visually-hidden"> {a.candidate}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Submissions</h2>
      {board.data?.length === 0 && <p>No portfolio has been submitted yet.</p>}
      {!!board.data?.length && (
        <table>
          <caption className="visually-hidden">Submitted portfolios, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Submission</th>
              <th scope="col">Stage</th>
              <th scope="col">Reviewers</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {board.data.map((row) => (
              <tr key={row.submissionId}>
                <td>
                  {row.credential} v{row.version} — {row.candidate}
                  <br />
                  <span className="hint">{new Date(row.submittedAt).toLocaleDateString()}</span>
                </td>
                <td>
                  {row.stage}
                  {row.overdue && <strong className="field-error"> overdue</strong>}
                </td>
                <td>
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
                            onClick={() => run(() => withdraw(a.assignmentId, reason), 'Reassigned.')}
                            disabled={!reason.trim()}
                          >
                            Reassign<span className="visually-hidden"> {a.reviewer}</span>
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {(row.stage === 'adjudication' || row.stage.startsWith('decided')) && (
                    <div className="actions">
                      {(['pass', 'revise', 'fail'] as const).map((o) => (
                        <button
                          key={o}
                          type="button"
                          className="button-secondary"
                          disabled={!reason.trim()}
                          onClick={() => run(() => decide(row.submissionId, o, reason), `Decision recorded: ${o}.`)}
                        >
                          {row.stage === 'adjudication' ? 'Decide' : 'Override to'} {o}
                          <span className="visually-hidden"> for {row.candidate}</span>
                        </button>
                      ))}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
