import { type FormEvent, useId, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { type ConflictDeclaration, useConflicts, useDeclareConflict, useWithdrawConflict } from '../api/conflicts';
import type { Credential } from '../api/portfolio';

const STATUS_TEXT: Record<ConflictDeclaration['status'], string> = {
  pending: 'Waiting for the certification body',
  confirmed: 'Confirmed: nobody it names will judge this portfolio',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

type Kind = 'person' | 'organisation';
type Field = 'name' | 'email' | 'reason';

function describe(d: ConflictDeclaration): string {
  if (d.kind === 'person') return [d.name, d.email].filter(Boolean).join(', ');
  return d.emailDomain ? `${d.name} (${d.emailDomain})` : (d.name ?? '');
}

/**
 * The candidate names the people or organisations who must not judge them, with a reason; the
 * certification body confirms or rejects each. There is no list of reviewers to choose from
 * (ISO/IEC 17024 §5.2): who reviews a portfolio is never the candidate's choice.
 */
export function ConflictsSection({ credential }: { credential: Credential }) {
  const conflicts = useConflicts(credential);
  const withdraw = useWithdrawConflict(credential);
  const [done, setDone] = useState<string | null>(null);

  return (
    <section aria-labelledby="conflicts-heading">
      <h2 id="conflicts-heading">Conflicts of interest</h2>
      <p>
        If someone who may review or examine you is a relative, a colleague, a competitor or otherwise has a relation with you or your
        organisation, declare it here with the reason. The certification body checks each declaration; only a confirmed one keeps that
        person (or everyone at that organisation) away from your portfolio and your panel. You do not choose your reviewers.
      </p>
      <div role="status" aria-live="polite">
        {done && <p className="alert alert-success">{done}</p>}
        {conflicts.isPending && 'Loading your declarations…'}
      </div>
      {conflicts.error && <Alert>{conflicts.error.message}</Alert>}
      {withdraw.error && <Alert>{withdraw.error.message}</Alert>}
      {conflicts.data && (
        <>
          {conflicts.data.declarations.length === 0 ? (
            <p>You have declared no conflict of interest for this portfolio.</p>
          ) : (
            <ul className="conflicts">
              {conflicts.data.declarations.map((d) => (
                <li key={d.id}>
                  <strong>{d.kind === 'person' ? 'Person' : 'Organisation'}:</strong> {describe(d)} — {d.reason}
                  <br />
                  Status: {STATUS_TEXT[d.status]}
                  {d.decisionNote ? ` (note: ${d.decisionNote})` : ''}
                  {d.status === 'pending' && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="button-secondary"
                        disabled={withdraw.isPending}
                        onClick={() =>
                          withdraw.mutate(d.id, { onSuccess: () => setDone(`Withdrew the declaration about ${describe(d)}.`) })
                        }
                      >
                        Withdraw<span className="visually-hidden"> the declaration about {describe(d)}</span>
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {conflicts.data.remaining > 0 ? (
            <DeclareForm credential={credential} remaining={conflicts.data.remaining} onDone={setDone} />
          ) : (
            <p className="hint">
              You have made the {conflicts.data.max} declarations a portfolio may hold. Withdraw a pending one to declare another, or
              contact the certification body.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function DeclareForm({ credential, remaining, onDone }: { credential: Credential; remaining: number; onDone: (m: string) => void }) {
  const declare = useDeclareConflict(credential);
  const id = useId();
  const [kind, setKind] = useState<Kind>('person');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const refs = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), reason: useRef<HTMLTextAreaElement>(null) };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (kind === 'person' && !name.trim() && !email.trim()) found.name = 'Give the person’s name, e-mail address, or both';
    if (kind === 'organisation' && !name.trim()) found.name = 'Give the organisation’s name';
    if (kind === 'person' && email.trim() && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim()))
      found.email = 'Enter an e-mail address such as name@example.org';
    if (kind === 'organisation' && email.trim() && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(email.trim()))
      found.email = 'Enter a domain such as example.org (without @)';
    if (!reason.trim()) found.reason = 'Say what the relation is';
    setErrors(found);
    const first = (['name', 'email', 'reason'] as Field[]).find((f) => found[f]);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    const contact = email.trim() || undefined;
    declare.mutate(
      {
        kind,
        name: name.trim() || undefined,
        reason: reason.trim(),
        ...(kind === 'person' ? { email: contact } : { emailDomain: contact }),
      },
      {
        onSuccess: () => {
          onDone('Declared. The certification body will confirm or reject it.');
          setName('');
          setEmail('');
          setReason('');
        },
      },
    );
  };

  const described = (f: Field, hint?: string) => [hint, errors[f] && `${id}-${f}-error`].filter(Boolean).join(' ') || undefined;
  const fieldError = (f: Field) =>
    errors[f] && (
      <p className="field-error" id={`${id}-${f}-error`}>
        {errors[f]}
      </p>
    );

  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Declare a conflict of interest</h3>
      <p className="hint">You may declare {remaining} more.</p>
      {declare.error && <Alert>{declare.error.message}</Alert>}
      <fieldset>
        <legend>Who is it?</legend>
        {(['person', 'organisation'] as Kind[]).map((k) => (
          <div key={k} className="checkbox">
            <input type="radio" id={`${id}-kind-${k}`} name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
            <label htmlFor={`${id}-kind-${k}`}>{k === 'person' ? 'A person' : 'An organisation (everyone who works there)'}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-name`}>{kind === 'person' ? 'Full name' : 'Organisation name'}</label>
        <input
          id={`${id}-name`}
          ref={refs.name}
          value={name}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setName(e.target.value)}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={described('name')}
        />
        {fieldError('name')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-email`}>
          {kind === 'person' ? 'E-mail address (optional if you gave a name)' : 'E-mail domain (optional)'}
        </label>
        <input
          id={`${id}-email`}
          ref={refs.email}
          type={kind === 'person' ? 'email' : 'text'}
          value={email}
          maxLength={254}
          autoComplete="off"
          placeholder={kind === 'person' ? '' : 'example.org'}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={described('email')}
        />
        {fieldError('email')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Reason</label>
        <p className="hint" id={`${id}-reason-hint`}>
          The relation, for example “my former manager at Acme (until 2024)”. Up to 1000 characters.
        </p>
        <textarea
          id={`${id}-reason`}
          ref={refs.reason}
          rows={3}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={errors.reason ? true : undefined}
          aria-describedby={described('reason', `${id}-reason-hint`)}
        />
        {fieldError('reason')}
      </div>
      <button type="submit" disabled={declare.isPending}>
        Declare
      </button>
    </form>
  );
}
