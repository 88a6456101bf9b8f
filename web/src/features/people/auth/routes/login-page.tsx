import { useForm } from 'react-hook-form';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { homePathFor, useSession } from '../../../../lib/auth/session';
import { type LoginRequest, useLogin } from '../api/login';

export function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { from?: string; registered?: boolean };
  const login = useLogin();
  const { register, handleSubmit, formState } = useForm<LoginRequest>();

  if (session.user) return <Navigate to={homePathFor(session.user)} replace />;

  const onSubmit = handleSubmit(async (values) => {
    const result = await login.mutateAsync(values).catch(() => null);
    if (!result) return;
    await session.signIn(result.accessToken);
    await navigate(state.from ?? homePathFor(result.user), { replace: true });
  });

  return (
    <Page title="Sign in">
      {state.registered && <Alert kind="success">Your account is ready. Sign in to continue.</Alert>}
      {session.signedOut && <Alert kind="info">You have signed out.</Alert>}
      {login.error && <Alert>{login.error.message}</Alert>}
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
        <button type="submit" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to="/register">Create an account</Link>
      </p>
    </Page>
  );
}
