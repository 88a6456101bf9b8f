import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Alert } from '../../../../components/alert';
import { type Column, DataTable } from '../../../../components/data-table';
import { Page } from '../../../../components/page';
import { failureOf } from '../../../../lib/api/errors';
import { useSession } from '../../../../lib/auth/session';
import { type AdminConflict, type ConflictStatus, useAdminConflicts, useDecideConflict } from '../api/conflicts';

const STATUSES: Array<{ value: ConflictStatus; label: string }> = [
  { value: 'pending', label: 'Waiting for a decision' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'withdrawn', label: 'Withdrawn by the candidate' },
];
const when = (iso: string) => new Date(iso).toLocaleString();
const declared = (d: AdminConflict) =>
  d.kind === 'person'
    ? `Person: ${[d.name, d.email].filter(Boolean).join(', ')}`
    : `Organisation: ${d.name}${d.emailDomain ? ` (${d.emailDomain})` : ''}`;
const matched = (d: AdminConflict) =>
  d.matchedReviewers.length
    ? d.matchedReviewers.map((m) => `${m.fullName} <${m.email}>${m.organisation ? `, ${m.organisation}` : ''}`).join('; ')
    : 'Nobody on the staff';

/** The administrators' queue of candidates' conflict-of-interest declarations: only a confirmed one excludes anyone. */
export function ConflictsPage() {
  const { user } = useSession();
  const [status, setStatus] = useState<ConflictStatus>('pending');
  const [selected, setSelected] = useState<AdminConflict | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const declarations = useAdminConflicts(status);
  const statusId = useId();

  const columns: Array<Column<AdminConflict>> = [
    { header: 'Candidate', rowHeader: true, cell: (d) => `${d.candidateName} (${d.candidateEmail}), ${d.credential}` },
    { header: 'Declared', cell: declared },
    { header: 'Reason', cell: (d) => d.reason },
    { header: 'Matches', cell: matched },
    { header: 'Declared on', cell: (d) => <time dateTime={d.createdAt}>{when(d.createdAt)}</time> },
    status === 'pending'
      ? {
          header: 'Decision',
          cell: (d) =>
            d.candidateId === user?.id || d.matchedReviewers.some((m) => m.id === user?.id) ? (
              'You are party to it: another administrator decides it'
            ) : (
              <button type="button" onClick={() => (setDone(null), setSelected(d))}>
                Decide<span className="visually-hidden"> on {d.candidateName}’s declaration</span>
              </button>
            ),
        }
      : { header: 'Note', cell: (d) => d.decisionNote ?? '—' },
  ];

  return (
    <Page title="Conflict declarations">
      <p>
        Candidates declare people or organisations who must not judge them, with a reason; they never see who the reviewers are. Confirm a
        declaration when the relation is a real conflict of interest: the staff it matches are then never offered the candidate’s portfolio
        and never seated on their panel. Reject it (with a note the candidate sees) when it is not, for example an attempt to avoid
        particular reviewers.
      </p>
      <div className="field">
        <label htmlFor={statusId}>Show</label>
        <select
          id={statusId}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as ConflictStatus);
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
        {declarations.isPending && 'Loading declarations…'}
      </div>
      {declarations.error && <Alert>{declarations.error.message}</Alert>}
      {declarations.data && (
        <DataTable
          caption={STATUSES.find((s) => s.value === status)?.label}
          columns={columns}
          rows={declarations.data}
          rowKey={(d) => d.id}
          empty="No declarations here."
        />
      )}
      {selected && (
        <DecisionForm
          declaration={selected}
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
  declaration,
  onDone,
  onCancel,
}: {
  declaration: AdminConflict;
  onDone: (m: string) => void;
  onCancel: () => void;
}) {
  const decide = useDecideConflict();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const noteId = useId();

  useEffect(() => heading.current?.focus(), [declaration.id]);

  const act = (outcome: 'confirm' | 'reject') => (e: FormEvent) => {
    e.preventDefault();
    if (outcome === 'reject' && !note.trim()) {
      setNoteError('Write a note: the candidate is told why the declaration was rejected');
      noteRef.current?.focus();
      return;
    }
    setNoteError(null);
    decide.mutate(
      { id: declaration.id, outcome, note: note.trim() },
      {
        onSuccess: (d) =>
          onDone(
            outcome === 'confirm'
              ? `Confirmed ${declaration.candidateName}’s declaration; ${d.matchedReviewers.length} staff member(s) are excluded.`
              : `Rejected ${declaration.candidateName}’s declaration; it excludes nobody.`,
          ),
      },
    );
  };
  const error = decide.error ? failureOf(decide.error) : null;

  return (
    <section aria-labelledby="decide-heading" className="form">
      <h2 id="decide-heading" ref={heading} tabIndex={-1}>
        Decide: {declaration.candidateName}’s declaration
      </h2>
      <dl className="meta">
        <dt>Declared</dt>
        <dd>{declared(declaration)}</dd>
        <dt>Reason given</dt>
        <dd>{declaration.reason}</dd>
        <dt>Matches now</dt>
        <dd>{matched(declaration)}</dd>
      </dl>
      {error && <Alert>{error.message}</Alert>}
      <form onSubmit={act('confirm')} noValidate>
        <div className="field">
          <label htmlFor={noteId}>Note to the candidate</label>
          <p className="hint" id={`${noteId}-hint`}>
            Optional when confirming; required when rejecting.
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
            Confirm
          </button>
          <button type="button" className="button-secondary" disabled={decide.isPending} onClick={act('reject')}>
            Reject
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
