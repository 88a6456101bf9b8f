import { browserSupportsWebAuthn } from '@simplewebauthn/browser';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf } from '../../../../lib/api/errors';
import type { User } from '../../../../lib/auth/session';
import { passkeyErrorMessage } from '../../../../lib/auth/passkeys';
import { type Passkey, useAddPasskey, usePasskeys, useRemovePasskey } from '../api/passkeys';
import { RecoveryCodes } from './recovery-codes';

const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

/**
 * The account's passkeys: a list, adding one (a name, then the browser's own dialog), removing one.
 * A passkey signs in on its own (the device checks a fingerprint, face or PIN) and confirms sensitive
 * actions; for staff it counts as the second factor they must have.
 */
export function Passkeys({ user }: { user: User }) {
  const passkeys = usePasskeys();
  const remove = useRemovePasskey();
  const [adding, setAdding] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const supported = browserSupportsWebAuthn();

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        email={user.email}
        onDone={() => {
          setCodes(null);
          setStatus('Your passkey is added. You can now sign in with it.');
        }}
      />
    );
  }

  const onRemove = (passkey: Passkey) => {
    setStatus(null);
    setError(null);
    remove.mutate(passkey.id, {
      onSuccess: () => {
        setStatus(`The passkey “${passkey.name}” is removed.`);
        addButton.current?.focus();
      },
      onError: (e) => setError(failureOf(e).message),
    });
  };

  return (
    <>
      <p>
        A passkey lets you sign in with your device&rsquo;s screen lock (fingerprint, face or PIN) instead of a password and code. It is
        kept on your device or in your password manager and works only on this site.
      </p>
      {error && <Alert>{error}</Alert>}
      <p role="status">{status}</p>
      {passkeys.isPending && <p>Loading your passkeys…</p>}
      {passkeys.error && <Alert>{passkeys.error.message}</Alert>}
      {passkeys.data && passkeys.data.length === 0 && <p>You have no passkeys yet.</p>}
      {passkeys.data && passkeys.data.length > 0 && (
        <ul className="passkey-list">
          {passkeys.data.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong>{' '}
              <span className="hint">
                added {DATE.format(new Date(p.createdAt))}
                {p.lastUsedAt ? `, last used ${DATE.format(new Date(p.lastUsedAt))}` : ', not used yet'}
              </span>{' '}
              <button
                type="button"
                className="button-secondary"
                aria-label={`Remove passkey ${p.name}`}
                onClick={() => onRemove(p)}
                disabled={remove.isPending}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {!supported && <p>This browser cannot create passkeys. Use a current version of Chrome, Edge, Firefox or Safari to add one.</p>}
      {supported &&
        (adding ? (
          <AddPasskeyForm
            onAdded={(added) => {
              setAdding(false);
              if (added.recoveryCodes?.length) setCodes(added.recoveryCodes);
              else setStatus(`The passkey “${added.name}” is added. You can now sign in with it.`);
            }}
            onCancel={() => {
              setAdding(false);
              requestAnimationFrame(() => addButton.current?.focus());
            }}
          />
        ) : (
          <p>
            <button
              type="button"
              ref={addButton}
              onClick={() => {
                setStatus(null);
                setError(null);
                setAdding(true);
              }}
            >
              Add a passkey
            </button>
          </p>
        ))}
    </>
  );
}

function AddPasskeyForm({
  onAdded,
  onCancel,
}: {
  onAdded: (passkey: { name: string; recoveryCodes?: string[] }) => void;
  onCancel: () => void;
}) {
  const add = useAddPasskey();
  const { register, handleSubmit, formState, setError, setFocus } = useForm<{ name: string }>();

  useEffect(() => setFocus('name'), [setFocus]);

  const onSubmit = handleSubmit(async ({ name }) => {
    await add.mutateAsync(name.trim()).then(onAdded, (error: unknown) => {
      setError('name', { message: passkeyErrorMessage(error) });
      setFocus('name');
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="form">
      <FormField
        label="Name for the passkey"
        hint="So you can tell your passkeys apart, for example “Work laptop” or “Phone”."
        autoComplete="off"
        maxLength={60}
        error={formState.errors.name?.message}
        {...register('name', {
          required: 'Enter a name for the passkey',
          validate: (v) => v.trim().length > 0 || 'Enter a name for the passkey',
        })}
      />
      <p className="actions">
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? 'Waiting for your device…' : 'Create the passkey'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
