import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { sessionEndedNotice } from '../../../../lib/api/client';
import { failureOf } from '../../../../lib/api/errors';
import { passkeyErrorMessage } from '../../../../lib/auth/passkeys';
import { homePathFor, useSession } from '../../../../lib/auth/session';
import { type LoginRequest, methodsOf, type SecondFactorMethod, useLogin } from '../api/login';
import { usePasskeySignIn } from '../api/passkey-sign-in';

interface LoginForm {
  email: string;
  password: string;
  otp: string;
}

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { from?: string; registered?: boolean; passwordReset?: boolean };
  // Set by the account deletion, which reloads the app here so nothing of the account stays in memory.
  const accountDeleted = new URLSearchParams(location.search).get('account') === 'deleted';
  const login = useLogin();
  const { register, handleSubmit, formState, setError, setFocus, resetField } = useForm<LoginForm>();
  // Set when the server answers 'mfa_required': the account has two-step sign-in, so ask for the code.
  const [codeNeeded, setCodeNeeded] = useState(false);
  // What the server offered to finish with: an account whose only second factor is a passkey has no app code.
  const [methods, setMethods] = useState<SecondFactorMethod[]>(['totp']);
  const passkey = usePasskeySignIn();
  const [recovery, setRecovery] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  useEffect(() => {
    if (codeNeeded) setFocus('otp');
  }, [codeNeeded, recovery, setFocus]);

  // The server ended the session by itself (a staff session left idle, or the session's maximum length).
  const endedNotice = sessionEndedNotice();
  if (session.user) return <Navigate to={homePathFor(session.user)} replace />;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const body: LoginRequest = { email: values.email, password: values.password };
    if (codeNeeded) body.otp = values.otp.trim();
    const result = await login.mutateAsync(body).catch((error: unknown) => {
      const failure = failureOf(error);
      if (failure.reason === 'mfa_required') {
        const offered = methodsOf(error);
        setMethods(offered);
        if (!offered.includes('totp')) setRecovery(true);
        setCodeNeeded(true);
      } else if (failure.reason === 'mfa_invalid') {
        setCodeNeeded(true);
        setError('otp', { message: recovery ? 'That recovery code is not valid or has been used' : failure.message });
        setFocus('otp');
      } else setFormError(failure.message);
      return null;
    });
    if (!result) return;
    await session.signIn(result.accessToken);
    await navigate(state.from ?? homePathFor(result.user), { replace: true });
  });

  const onPasskey = async () => {
    setFormError(null);
    const result = await passkey.mutateAsync().catch((error: unknown) => {
      setFormError(passkeyErrorMessage(error));
      return null;
    });
    if (!result) return;
    await session.signIn(result.accessToken);
    await navigate(state.from ?? homePathFor(result.user), { replace: true });
  };
  const appCode = methods.includes('totp');
  const passkeyButton = (
    <button type="button" className="button-secondary" onClick={onPasskey} disabled={passkey.isPending}>
      {passkey.isPending ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
    </button>
  );

  return (
    <Page title="Sign in">
      {state.registered && <Alert kind="success">Your account is ready. Sign in to continue.</Alert>}
      {state.passwordReset && <Alert kind="success">Your password has been changed. Sign in with your new password.</Alert>}
      {accountDeleted && <Alert kind="success">Your account has been deleted and you have been signed out.</Alert>}
      {session.signedOut && !accountDeleted && <Alert kind="info">You have signed out.</Alert>}
      {!session.signedOut && endedNotice && <Alert kind="info">{endedNotice}</Alert>}
      {formError && <Alert>{formError}</Alert>}
      {codeNeeded && (
        <Alert kind="info">
          {!appCode
            ? 'Your account signs in with a passkey: choose “Sign in with a passkey”. If you have lost it, enter one of your recovery codes.'
            : recovery
              ? 'Enter one of the recovery codes you saved when you set up two-step sign-in. Each code works once.'
              : 'Your account uses two-step sign-in. Enter the 6-digit code from your authenticator app.'}
        </Alert>
      )}
      {codeNeeded && methods.includes('passkey') && <p>{passkeyButton}</p>}
      <form onSubmit={onSubmit} noValidate className="form">
        <FormField
          label="Email"
          type="email"
          autoComplete="username"
          error={formState.errors.email?.message}
          {...register('email', { required: 'Enter your email address' })}
        />
        <FormField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={formState.errors.password?.message}
          {...register('password', { required: 'Enter your password' })}
        />
        {codeNeeded &&
          (recovery ? (
            <FormField
              key="recovery"
              label="Recovery code"
              hint="Like abcde-fghij."
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              error={formState.errors.otp?.message}
              {...register('otp', { required: 'Enter a recovery code' })}
            />
          ) : (
            <FormField
              key="code"
              label="Authentication code"
              hint="The 6-digit code your authenticator app shows now."
              autoComplete="one-time-code"
              inputMode="numeric"
              pattern="[0-9]*"
              error={formState.errors.otp?.message}
              {...register('otp', {
                required: 'Enter the code from your authenticator app',
                pattern: { value: /^\s*\d{6}\s*$/, message: 'Enter the 6 digits your app shows' },
              })}
            />
          ))}
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        {codeNeeded && appCode && (
          <p>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                resetField('otp');
                setRecovery(!recovery);
              }}
            >
              {recovery ? 'Use a code from your authenticator app instead' : 'Use a recovery code instead'}
            </button>
          </p>
        )}
      </form>
      {!codeNeeded && <p>{passkeyButton}</p>}
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </Page>
  );
}
