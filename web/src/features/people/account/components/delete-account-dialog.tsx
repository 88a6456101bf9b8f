import { useEffect, useId, useRef } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf } from '../../../../lib/api/errors';
import { setAccessToken } from '../../../../lib/api/client';
import { useDeleteAccount } from '../api/data-rights';

interface DeleteForm {
  password: string;
  confirm: string;
}

/**
 * The confirmation before an account is erased: the password and the typed word DELETE, in a modal
 * dialog (the native dialog keeps the keyboard inside and closes on Escape). Focus starts on the
 * password and returns to the opening button on cancel; on success the person is signed out.
 */
export function DeleteAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const id = useId();
  const remove = useDeleteAccount();
  const { register, handleSubmit, formState, setError, setFocus, reset } = useForm<DeleteForm>();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
      setFocus('password');
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [open, setFocus]);

  const cancel = () => {
    reset();
    remove.reset();
    onClose();
  };

  const onSubmit = handleSubmit(async ({ password }) => {
    await remove.mutateAsync({ password, confirm: 'DELETE' }).then(
      () => {
        // The server has ended every session already. Forget the token and reload on the sign-in page, so
        // nothing of the account (cached pages, queries) stays in this tab's memory.
        setAccessToken(null);
        window.location.replace('/login?account=deleted');
      },
      (error: unknown) => {
        if (failureOf(error).statusCode === 401) {
          setError('password', { message: 'Your password is not right' });
          setFocus('password');
        }
      },
    );
  });
  const unexpected = remove.error && failureOf(remove.error).statusCode !== 401 ? remove.error : null;

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <h2 id={`${id}-title`}>Delete your account?</h2>
      <div id={`${id}-body`}>
        <p>
          This cannot be undone. You will be signed out everywhere and can never sign in to this account again. Your portfolios, answers,
          attachments and the e-mails we stored are erased. Certificates already issued stay publicly verifiable under the name they were
          issued to, and the record of decisions is kept without your details.
        </p>
      </div>
      <form onSubmit={onSubmit} noValidate className="form">
        {unexpected && <Alert>{unexpected.message}</Alert>}
        <FormField
          label="Your password"
          type="password"
          autoComplete="current-password"
          error={formState.errors.password?.message}
          {...register('password', { required: 'Enter your password' })}
        />
        <FormField
          label="Type DELETE to confirm"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          error={formState.errors.confirm?.message}
          {...register('confirm', { validate: (v) => v === 'DELETE' || 'Type the word DELETE in capitals' })}
        />
        <div className="actions">
          <button type="submit" disabled={remove.isPending}>
            {remove.isPending ? 'Deleting…' : 'Delete my account'}
          </button>
          <button type="button" className="button-secondary" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
