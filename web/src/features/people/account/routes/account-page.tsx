import { useLocation } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { homePathFor, needsSecondFactor, useSession } from '../../../../lib/auth/session';
import { ChangePasswordForm } from '../components/change-password-form';
import { TwoStepSignIn } from '../components/two-step-sign-in';

export function AccountPage() {
  const { user } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  if (!user) return null;
  const mustEnrol = needsSecondFactor(user);

  return (
    <Page title="Account">
      {mustEnrol && (
        <Alert kind="info">
          <strong>Set up two-step sign-in to continue.</strong> Reviewer and administrator accounts need a code from an authenticator app as
          well as the password before they can open anything else.
        </Alert>
      )}
      <dl className="meta">
        <dt>Name</dt>
        <dd>{user.fullName}</dd>
        <dt>E-mail</dt>
        <dd>
          {user.email} ({user.emailVerified ? 'confirmed' : 'not confirmed yet'})
        </dd>
      </dl>

      <section aria-labelledby="two-step">
        <h2 id="two-step">Two-step sign-in</h2>
        <TwoStepSignIn user={user} continueTo={from ?? (user.secondFactor.required ? homePathFor(user) : undefined)} />
      </section>

      <section aria-labelledby="change-password">
        <h2 id="change-password">Change password</h2>
        <p>Changing your password signs you out on every other device.</p>
        <ChangePasswordForm />
      </section>
    </Page>
  );
}
