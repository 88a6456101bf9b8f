import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf } from '../../../../lib/api/errors';
import type { User } from '../../../../lib/auth/session';
import { useConfirmTotpEnrolment, useRegenerateRecoveryCodes, useStartTotpEnrolment, useTurnOffTotp } from '../api/second-factor';
import { RecoveryCodes } from './recovery-codes';

const CODE = { value: /^\s*\d{6}\s*$/, message: 'Enter the 6 digits your app shows' };

/** Enrolment, recovery codes and (for candidates) turning it off: each change needs a current code. */
export function TwoStepSignIn({ user, continueTo }: { user: User; continueTo?: string }) {
  const start = useStartTotpEnrolment();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [turnedOff, setTurnedOff] = useState(false);
  const enrolment = start.data;

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        email={user.email}
        onDone={() => {
          setCodes(null);
          start.reset();
        }}
      />
    );
  }

  if (enrolment && !user.secondFactor.totp) {
    return <Enrolment secret={enrolment.secret} otpauthUri={enrolment.otpauthUri} onConfirmed={setCodes} onCancel={() => start.reset()} />;
  }

  if (user.secondFactor.totp) {
    return (
      <>
        <Enabled user={user} onCodes={setCodes} onTurnedOff={() => setTurnedOff(true)} />
        {continueTo && (
          <p>
            <Link to={continueTo}>Continue</Link>
          </p>
        )}
      </>
    );
  }

  return (
    <>
      {turnedOff && <Alert kind="success">Two-step sign-in is off. You sign in with your password alone.</Alert>}
      {user.secondFactor.passkey ? (
        <p>
          <strong>Your passkeys keep two-step sign-in on.</strong> You can also set up an authenticator app (such as FreeOTP, Aegis, Google
          Authenticator or Microsoft Authenticator) to sign in with a code when you do not have your passkey.
        </p>
      ) : (
        <p>
          <strong>Two-step sign-in is off.</strong> With it on, signing in also asks for a code from an authenticator app on your phone
          (such as FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator), so a stolen password is not enough.
        </p>
      )}
      {start.error && <Alert>{start.error.message}</Alert>}
      <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
        {start.isPending ? 'Starting…' : user.secondFactor.passkey ? 'Set up an authenticator app' : 'Set up two-step sign-in'}
      </button>
    </>
  );
}

function Enrolment({
  secret,
  otpauthUri,
  onConfirmed,
  onCancel,
}: {
  secret: string;
  otpauthUri: string;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [qr, setQr] = useState<string | null>(null);
  const confirm = useConfirmTotpEnrolment();
  const { register, handleSubmit, formState, setError, setFocus } = useForm<{ code: string }>();

  useEffect(() => {
    let current = true;
    toDataURL(otpauthUri, { margin: 2, width: 220, errorCorrectionLevel: 'M' }).then(
      (url) => current && setQr(url),
      () => current && setQr(null),
    );
    return () => {
      current = false;
    };
  }, [otpauthUri]);

  const onSubmit = handleSubmit(async ({ code }) => {
    await confirm.mutateAsync(code.trim()).then(
      (result) => onConfirmed(result.recoveryCodes),
      (error: unknown) => {
        setError('code', { message: failureOf(error).message });
        setFocus('code');
      },
    );
  });

  return (
    <>
      <ol className="steps">
        <li>
          <p>Open your authenticator app and add an account by scanning this QR code.</p>
          {qr && (
            <img
              src={qr}
              width={220}
              height={220}
              alt="QR code for adding your PSF Certification account to an authenticator app; the same key is written out below."
            />
          )}
        </li>
        <li>
          <p>If you cannot scan it, enter this key in the app by hand (time-based, 6 digits, every 30 seconds):</p>
          <p>
            <code className="secret" id="totp-secret">
              {secret.match(/.{1,4}/g)?.join(' ')}
            </code>
          </p>
        </li>
        <li>
          <p>Enter the code the app now shows to turn two-step sign-in on.</p>
          <form onSubmit={onSubmit} noValidate className="form">
            <FormField
              label="Code from your app"
              autoComplete="one-time-code"
              inputMode="numeric"
              error={formState.errors.code?.message}
              {...register('code', { required: 'Enter the code from your authenticator app', pattern: CODE })}
            />
            <p className="actions">
              <button type="submit" disabled={confirm.isPending}>
                {confirm.isPending ? 'Checking…' : 'Turn on two-step sign-in'}
              </button>
              <button type="button" className="button-secondary" onClick={onCancel}>
                Cancel
              </button>
            </p>
          </form>
        </li>
      </ol>
    </>
  );
}

function Enabled({ user, onCodes, onTurnedOff }: { user: User; onCodes: (codes: string[]) => void; onTurnedOff: () => void }) {
  const regenerate = useRegenerateRecoveryCodes();
  const turnOff = useTurnOffTotp();
  const { register, handleSubmit, formState, setError, setFocus } = useForm<{ code: string }>();
  const refused = (error: unknown) => {
    setError('code', { message: failureOf(error).message });
    setFocus('code');
  };
  const onRegenerate = handleSubmit(({ code }) => regenerate.mutateAsync(code.trim()).then((r) => onCodes(r.recoveryCodes), refused));
  const onTurnOff = handleSubmit(({ code }) => turnOff.mutateAsync(code.trim()).then(onTurnedOff, refused));

  return (
    <>
      <p>
        <strong>Two-step sign-in is on.</strong> Signing in asks for a code from your authenticator app, or one of your recovery codes.
      </p>
      <form onSubmit={onRegenerate} noValidate className="form">
        <FormField
          label="Authentication code"
          hint="To change these settings, enter the code your authenticator app shows now."
          autoComplete="one-time-code"
          inputMode="numeric"
          error={formState.errors.code?.message}
          {...register('code', { required: 'Enter the code from your authenticator app', pattern: CODE })}
        />
        <p className="actions">
          <button type="submit" disabled={regenerate.isPending}>
            {regenerate.isPending ? 'Making new codes…' : 'Make new recovery codes'}
          </button>
          {!user.secondFactor.required && (
            <button type="button" className="button-secondary" onClick={onTurnOff} disabled={turnOff.isPending}>
              {turnOff.isPending ? 'Turning off…' : 'Turn off two-step sign-in'}
            </button>
          )}
        </p>
      </form>
      <p className="hint">New recovery codes replace all the old ones.</p>
      {user.secondFactor.required && (
        <p>
          Two-step sign-in stays on for reviewer and administrator accounts: they open candidates&rsquo; work and decide on certificates, so
          a password alone is not enough to protect them.
        </p>
      )}
    </>
  );
}
