import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { failureOf } from '../../../lib/api/errors';
import type { User } from '../../../lib/auth/session';
import { useSaveSelfAssessment } from '../api/self-assessment';
import type { Ratings } from '../lib/scoring';
import type { SelfAssessmentCopy } from '../lib/browser-copy';
import { formatWhen } from './format-when';

interface AccountCopyProps {
  user: User | null;
  /** False for a staff account that must enrol a second factor before it can use anything else. */
  canSave: boolean;
  ratings: Ratings;
  /** The account's own copy: until it is known (and weighed against this browser's), saving could overwrite newer answers. */
  accountCopy: { isPending: boolean; error: Error | null };
  onSaved: (saved: SelfAssessmentCopy) => void;
}

/** Saving to the account is optional: signed out, the page says what an account would add. */
export function AccountCopy({ user, canSave, ratings, accountCopy, onSaved }: AccountCopyProps) {
  const save = useSaveSelfAssessment();
  if (user && !canSave) {
    return (
      <p>
        Your answers stay in this browser only. <Link to="/account">Set up a second factor</Link> to save them to your account.
      </p>
    );
  }
  if (!user) {
    return (
      <p>
        Your answers stay in this browser only. <Link to="/login">Sign in</Link> to save them to your account and open them on another
        device.
      </p>
    );
  }
  return (
    <>
      <p>
        Saved to your account, your answers can be opened on any device. When this browser and your account both hold answers, the page
        shows the newer of the two.
      </p>
      {accountCopy.error && <Alert>{failureOf(accountCopy.error).message}</Alert>}
      {accountCopy.isPending && <p role="status">Loading the answers saved to your account…</p>}
      <button
        type="button"
        disabled={save.isPending || accountCopy.isPending || !!accountCopy.error}
        onClick={() => save.mutate(ratings, { onSuccess: onSaved })}
      >
        {save.isPending ? 'Saving…' : 'Save to my account'}
      </button>
      <div aria-live="polite">
        {save.isSuccess && <p className="sa-saved">Saved to your account on {formatWhen(save.data.updatedAt)}.</p>}
      </div>
      {save.isError && <Alert>{failureOf(save.error).message}</Alert>}
    </>
  );
}
