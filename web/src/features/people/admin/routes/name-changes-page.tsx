import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '../../../../components/alert';
import { type Column, DataTable } from '../../../../components/data-table';
import { Page } from '../../../../components/page';
import { failureOf } from '../../../../lib/api/errors';
import { useSession } from '../../../../lib/auth/session';
import { type AdminNameChange, useDecideNameChange, useNameChanges } from '../api/name-changes';

type Status = AdminNameChange['status'];
const STATUSES: Array<{ value: Status; label: string }> = [
  { value: 'pending', label: 'Waiting for a decision' },
  { value: 'approved', label: 'Approved' },
  { value: 'refused', label: 'Refused' },
  { value: 'cancelled', label: 'Cancelled by the candidate' },
];
const when = (iso: string) => new Date(iso).toLocaleString();

/** The administrators' queue of name changes: approve (certificates are re-issued) or refuse with a note. */
export function NameChangesPage() {
  const { user } = useSession();
  const [status, setStatus] = useState<Status>('pending');
  const [selected, setSelected] = useState<AdminNameChange | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const requests = useNameChanges(status);
  const statusId = useId();

  const columns: Array<Column<AdminNameChange>> = [
    { header: 'Requested name', rowHeader: true, cell: (r) => r.requestedName },
    { header: 'Current name', cell: (r) => r.currentName },
    { header: 'E-mail', cell: (r) => r.email },
    { header: 'Reason', cell: (r) => r.reason },
    { header: 'Asked', cell: (r) => <time dateTime={r.createdAt}>{when(r.createdAt)}</time> },
    status === 'pending'
      ? {
          header: 'Decision',
          cell: (r) =>
            r.userId === user?.id ? (
              'Your own request: another administrator decides it'
            ) : (
              <button type="button" onClick={() => (setDone(null), setSelected(r))}>
                Decide<span className="visually-hidden"> on {r.requestedName}</span>
              </button>
            ),
        }
      : { header: 'Note', cell: (r) => r.decisionNote ?? '—' },
  ];

  return (
    <Page title="Name changes">
      <p>
        Approving a request changes the name on the account and re-issues each of the person's valid certificates under the new name (new
        number, same dates); the old numbers then read "superseded". Refusing needs a note, which the candidate receives.
      </p>
      <div className="field">
        <label htmlFor={statusId}>Show</label>
        <select
          id={statusId}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as Status);
            setSelected(null);
          }}
        >
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div role="status" aria-live="polite">
        {done && <p className="alert alert-success">{done}</p>}
        {requests.isPending && 'Loading requests…'}
      </div>
      {requests.error && <Alert>{requests.error.message}</Alert>}
      {requests.data && (
        <DataTable
          caption={STATUSES.find((s) => s.value === status)?.label}
          columns={columns}
          rows={requests.data}
          rowKey={(r) => r.id}
          empty="No requests here."
        />
      )}
      {selected && (
        <DecisionForm
          request={selected}
          onDone={(message) => {
            setSelected(null);
            setDone(message);
          }}
          onCancel={() => setSelected(null)}
        />
      )}
    </Page>
  );
}

function DecisionForm({
  request,
  onDone,
  onCancel,
}: {
  request: AdminNameChange;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const decide = useDecideNameChange();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const noteId = useId();

  useEffect(() => heading.current?.focus(), [request.id]);

  const act = (outcome: 'approve' | 'refuse') => (e: FormEvent) => {
    e.preventDefault();
    if (outcome === 'refuse' && !note.trim()) {
      setNoteError('Write a note: the candidate is told why the change was refused');
      noteRef.current?.focus();
      return;
    }
    setNoteError(null);
    decide.mutate(
      { id: request.id, outcome, note: note.trim() },
      {
        onSuccess: () =>
          onDone(
            outcome === 'approve'
              ? `Approved: ${request.currentName} is now ${request.requestedName}; their valid certificates are being re-issued.`
              : `Refused the change to ${request.requestedName}; the candidate has been told why.`,
          ),
      },
    );
  };
  const error = decide.error ? failureOf(decide.error) : null;

  return (
    <section aria-labelledby="decide-heading" className="form">
      <h2 id="decide-heading" ref={heading} tabIndex={-1}>
        Decide: {request.currentName} → {request.requestedName}
      </h2>
      <dl className="meta">
        <dt>E-mail</dt>
        <dd>{request.email}</dd>
        <dt>Reason given</dt>
        <dd>{request.reason}</dd>
      </dl>
      {error && <Alert>{error.message}</Alert>}
      <form onSubmit={act('approve')} noValidate>
        <div className="field">
          <label htmlFor={noteId}>Note to the candidate</label>
          <p className="hint" id={`${noteId}-hint`}>
            Optional when approving; required when refusing.
          </p>
          <textarea
            id={noteId}
            ref={noteRef}
            rows={3}
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={[`${noteId}-hint`, noteError && `${noteId}-error`].filter(Boolean).join(' ')}
          />
          {noteError && (
            <p className="field-error" id={`${noteId}-error`}>
              {noteError}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" disabled={decide.isPending}>
            Approve
          </button>
          <button type="button" className="button-secondary" disabled={decide.isPending} onClick={act('refuse')}>
            Refuse
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
