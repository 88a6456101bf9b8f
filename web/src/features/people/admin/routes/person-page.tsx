import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { AccommodationSection } from '../components/accommodation-section';
import { type PersonDetail, ROLES, type Role, type StandingAction, useChangeStanding, usePerson, useSetRoles } from '../api/people';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PersonActivitySections } from '../components/person-activity-sections';
import { StandingBadge } from '../components/standing-badge';
import { describeRoleChange, type RoleChange, roleChange } from '../lib/role-change';

const ACTIONS: Record<StandingAction, { label: string; title: string; explain: string; done: string }> = {
  deactivate: {
    label: 'Deactivate account',
    title: 'Deactivate this account?',
    explain:
      'Every session ends at once and the person can no longer sign in. Their open review assignments are withdrawn and offered to ' +
      'other reviewers, they leave every panel not yet sat, and a booked interview of theirs is cancelled.',
    done: 'The account is deactivated and every session of it has ended.',
  },
  reactivate: {
    label: 'Reactivate account',
    title: 'Reactivate this account?',
    explain: 'The person can sign in again with their password. Work released when the account was deactivated is not given back.',
    done: 'The account is active again.',
  },
  'force-password-reset': {
    label: 'Force a password reset',
    title: 'Force a password reset?',
    explain:
      'The current password stops working and every session ends at once. A link to choose a new password is e-mailed to the ' +
      'account’s address.',
    done: 'The password no longer works; a reset link has been e-mailed to the person.',
  },
};

export function PersonPage() {
  const { userId = '' } = useParams();
  const [params] = useSearchParams();
  const person = usePerson(userId);
  const p = person.data;
  return (
    <Page title={p ? p.fullName : 'Person'}>
      <p>
        <Link to={`/admin/people${params.size ? `?${params}` : ''}`}>Back to People</Link>
      </p>
      {person.error && <Alert>{person.error.message}</Alert>}
      {person.isPending && <p role="status">Loading…</p>}
      {p && (
        <>
          <dl className="meta">
            <dt>E-mail</dt>
            <dd>{p.email}</dd>
            <dt>Status</dt>
            <dd>
              <StandingBadge person={p} />
            </dd>
            {p.deactivatedAt && (
              <>
                <dt>Deactivated</dt>
                <dd>
                  <time dateTime={p.deactivatedAt}>{new Date(p.deactivatedAt).toLocaleString()}</time>: {p.deactivatedReason}
                </dd>
              </>
            )}
            <dt>E-mail address confirmed</dt>
            <dd>{p.emailVerified ? 'Yes' : 'No'}</dd>
            <dt>Second factor</dt>
            <dd>
              {[p.secondFactor.totp && 'authenticator app', p.secondFactor.passkey && 'passkey'].filter(Boolean).join(', ') || 'None'}
            </dd>
            <dt>Account created</dt>
            <dd>
              <time dateTime={p.createdAt}>{new Date(p.createdAt).toLocaleString()}</time>
            </dd>
          </dl>
          <RolesForm person={p} />
          <StandingForm person={p} />
          {p.roles.includes('candidate') && <AccommodationSection userId={p.id} fullName={p.fullName} />}
          <PersonActivitySections userId={p.id} fullName={p.fullName} />
        </>
      )}
    </Page>
  );
}

const ROLE_EFFECTS: Record<Role, { added: string; removed: string }> = {
  candidate: { added: 'They can sit exams and submit portfolios.', removed: 'They can no longer sit exams or submit portfolios.' },
  reviewer: {
    added: 'They can be offered reviews and panel seats; they must enrol a second factor first.',
    removed: 'Their access to every submission, attachment and panel ends at once; their open assignments are offered to others.',
  },
  admin: {
    added: 'They can administer everything, this page included; they must enrol a second factor first.',
    removed: 'They lose every administration page at once.',
  },
};

function RolesForm({ person }: { person: PersonDetail }) {
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const [asking, setAsking] = useState(false);
  const [saved, setSaved] = useState<RoleChange | null>(null);
  const save = useSetRoles();
  useEffect(() => setRoles(person.roles), [person.roles]);
  const change = roleChange(person.roles, roles);
  const changed = change.added.length + change.removed.length > 0;
  const toggle = (role: Role, on: boolean) =>
    setRoles((rs) => (on ? ROLES.filter((r) => r === role || rs.includes(r)) : rs.filter((r) => r !== role)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (roles.length === 0 || !changed) return;
    setSaved(null);
    setAsking(true);
  };
  const confirm = () => {
    const made = change;
    // The dialog closes first: a step-up prompt the request may need must not open behind it.
    setAsking(false);
    save.mutate({ userId: person.id, roles }, { onSuccess: () => setSaved(made) });
  };
  return (
    <section aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>
      <form className="form" onSubmit={submit}>
        <fieldset aria-describedby="roles-hint">
          <legend>Roles this person holds</legend>
          <p className="hint" id="roles-hint">
            Removing the reviewer role ends their access to every submission, attachment and panel at once; their open assignments are
            withdrawn and offered to others. Staff roles need a second factor. You confirm the change before it is made.
          </p>
          {ROLES.map((r) => (
            <div className="checkbox" key={r}>
              <input id={`role-${r}`} type="checkbox" checked={roles.includes(r)} onChange={(e) => toggle(r, e.target.checked)} />
              <label htmlFor={`role-${r}`}>{r}</label>
            </div>
          ))}
        </fieldset>
        {roles.length === 0 && <Alert>Choose at least one role.</Alert>}
        <button type="submit" disabled={roles.length === 0 || !changed || save.isPending}>
          Save roles
        </button>
      </form>
      {save.isPending && <p role="status">Saving the roles…</p>}
      {save.error && <Alert>{save.error.message}</Alert>}
      {saved && !save.isPending && !save.error && (
        <Alert kind="success">
          Roles saved ({describeRoleChange(saved)}); they apply from the person’s next request. They now hold: {person.roles.join(', ')}.
        </Alert>
      )}
      <ConfirmDialog
        open={asking}
        title="Change this person’s roles?"
        confirmLabel="Change roles"
        onConfirm={confirm}
        onCancel={() => setAsking(false)}
      >
        <p>
          <strong>{person.fullName}</strong> ({person.email})
        </p>
        <ul>
          {change.added.map((r) => (
            <li key={r}>
              <strong>Adds {r}.</strong> {ROLE_EFFECTS[r].added}
            </li>
          ))}
          {change.removed.map((r) => (
            <li key={r}>
              <strong>Removes {r}.</strong> {ROLE_EFFECTS[r].removed}
            </li>
          ))}
        </ul>
        <p>Roles after the change: {roles.join(', ')}. The change is recorded in the audit log.</p>
      </ConfirmDialog>
    </section>
  );
}

function StandingForm({ person }: { person: PersonDetail }) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [asking, setAsking] = useState<StandingAction | null>(null);
  const [done, setDone] = useState<StandingAction | null>(null);
  const reasonField = useRef<HTMLTextAreaElement>(null);
  const change = useChangeStanding();

  const ask = (action: StandingAction) => {
    if (!reason.trim()) {
      setMissing(true);
      reasonField.current?.focus();
      return;
    }
    setMissing(false);
    setDone(null);
    setAsking(action);
  };
  const confirm = () => {
    const action = asking!;
    // The dialog closes first: a step-up prompt the request may need must not open behind it.
    setAsking(null);
    change.mutate(
      { userId: person.id, action, reason: reason.trim() },
      {
        onSuccess: () => {
          setDone(action);
          setReason('');
        },
      },
    );
  };

  const available: StandingAction[] = [person.deactivatedAt ? 'reactivate' : 'deactivate', 'force-password-reset'];
  return (
    <section aria-labelledby="standing-heading">
      <h2 id="standing-heading">Account standing</h2>
      <form className="form" onSubmit={(e) => e.preventDefault()} noValidate>
        <div className="field">
          <label htmlFor="standing-reason">Reason (required; recorded in the audit log)</label>
          <textarea
            id="standing-reason"
            ref={reasonField}
            rows={3}
            value={reason}
            required
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'standing-reason-error' : undefined}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim()) setMissing(false);
            }}
          />
          {missing && (
            <p className="field-error" id="standing-reason-error">
              Give a reason before changing the account’s standing.
            </p>
          )}
        </div>
        <div className="actions">
          {available.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'force-password-reset' ? 'button-secondary' : undefined}
              disabled={change.isPending}
              onClick={() => ask(action)}
            >
              {ACTIONS[action].label}
            </button>
          ))}
        </div>
      </form>
      {change.isPending && <p role="status">Working…</p>}
      {change.error && <Alert>{change.error.message}</Alert>}
      {done && !change.isPending && <Alert kind="success">{ACTIONS[done].done}</Alert>}
      <ConfirmDialog
        open={asking !== null}
        title={asking ? ACTIONS[asking].title : ''}
        confirmLabel={asking ? ACTIONS[asking].label : ''}
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
      >
        <p>
          <strong>{person.fullName}</strong> ({person.email})
        </p>
        <p>{asking && ACTIONS[asking].explain}</p>
        <p>Reason: {reason.trim()}</p>
      </ConfirmDialog>
    </section>
  );
}
