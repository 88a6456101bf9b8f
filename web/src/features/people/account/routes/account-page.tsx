import { useLocation } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { homePathFor, needsSecondFactor, useSession } from '../../../../lib/auth/session';
import { ChangeEmailForm } from '../components/change-email-form';
import { ChangePasswordForm } from '../components/change-password-form';
import { NameChangeSection } from '../components/name-change-section';
import { Passkeys } from '../components/passkeys';
import { SessionsSection } from '../components/sessions-section';
import { TwoStepSignIn } from '../components/two-step-sign-in';
import { YourDataSection } from '../components/your-data-section';

export function AccountPage() {
  const { user, signOut } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  if (!user) return null;
  const mustEnrol = needsSecondFactor(user);

  return (
    <Page title="Account">
      {mustEnrol && (
        <Alert kind="info">
          <strong>Set up two-step sign-in to continue.</strong> Reviewer and administrator accounts need an authenticator app or a passkey
          as well as the password before they can open anything else.
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
        <h3 id="passkeys">Passkeys</h3>
        <Passkeys user={user} />
      </section>

      <section aria-labelledby="name-on-certificates">
        <h2 id="name-on-certificates">Name on certificates</h2>
        <NameChangeSection />
      </section>

      <section aria-labelledby="email-address">
        <h2 id="email-address">E-mail address</h2>
        <p>
          Your address is <strong>{user.email}</strong>. To change it, give the new address and your password; we send a link to the new
          address and tell this one. Certificates issued from then on are tied to the new address; existing ones stay valid.
        </p>
        <ChangeEmailForm currentEmail={user.email} />
      </section>

      <section aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        <SessionsSection onSignedOutHere={() => void signOut()} />
      </section>

      <section aria-labelledby="change-password">
        <h2 id="change-password">Change password</h2>
        <p>Changing your password signs you out on every other device.</p>
        <ChangePasswordForm />
      </section>

      <section aria-labelledby="your-data">
        <h2 id="your-data">Your data</h2>
        <YourDataSection />
      </section>
    </Page>
  );
}
