import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { FormField } from '../../components/form-field';
import { api, setStepUpHandler, unwrap } from '../api/client';
import { failureOf } from '../api/errors';

/**
 * Step-up: actions that change a person's standing (decisions, revocations, roles, accommodations)
 * need a second factor proven in the last few minutes. The API answers 403 `step_up_required`; the
 * API client then asks `StepUpHost` (mounted once, at the root), which opens a dialog for a code, and
 * replays the request once the person has confirmed. Cancelling gives the caller the original 403.
 */

/** Another way to confirm than a code, offered as a button in the dialog (e.g. "Use a passkey"). */
export interface StepUpMethod {
  id: string;
  label: string;
  /** Proves the second factor to the server; throws when it did not happen. */
  run(): Promise<void>;
  /** What to tell the person when `run` threw; the error's message otherwise. */
  errorMessage?(error: unknown): string;
}

const methods = new Map<string, StepUpMethod>();
const methodListeners = new Set<() => void>();
let methodSnapshot: StepUpMethod[] = [];

/** Adds a way to confirm to the step-up dialog; answers a function that takes it away again. */
export function registerStepUpMethod(method: StepUpMethod): () => void {
  methods.set(method.id, method);
  methodSnapshot = [...methods.values()];
  methodListeners.forEach((l) => l());
  return () => {
    if (methods.get(method.id) !== method) return;
    methods.delete(method.id);
    methodSnapshot = [...methods.values()];
    methodListeners.forEach((l) => l());
  };
}

function useStepUpMethods(): StepUpMethod[] {
  return useSyncExternalStore(
    (listener) => {
      methodListeners.add(listener);
      return () => methodListeners.delete(listener);
    },
    () => methodSnapshot,
    () => methodSnapshot,
  );
}

/**
 * One question at a time: requests refused together (two saves in flight) share one dialog and all
 * replay, or all give up, with its answer.
 */
export function createStepUpCoordinator(open: () => void) {
  let pending: { promise: Promise<boolean>; resolve: (confirmed: boolean) => void } | null = null;
  return {
    request(): Promise<boolean> {
      if (!pending) {
        let resolve: (confirmed: boolean) => void = () => undefined;
        const promise = new Promise<boolean>((r) => (resolve = r));
        pending = { promise, resolve };
        open();
      }
      return pending.promise;
    },
    settle(confirmed: boolean): void {
      const current = pending;
      pending = null;
      current?.resolve(confirmed);
    },
  };
}

/** What the dialog says when the server refused the code. */
export function stepUpErrorMessage(error: unknown): string {
  const failure = failureOf(error);
  if (failure.reason === 'mfa_invalid')
    return 'That code is not right. Enter the code your authenticator app shows now, or an unused recovery code.';
  return failure.message;
}

/** Mount once, inside the QueryClientProvider: answers the API client's step-up requests with the dialog. */
export function StepUpHost() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const coordinator = useRef<ReturnType<typeof createStepUpCoordinator> | null>(null);
  coordinator.current ??= createStepUpCoordinator(() => setOpen(true));

  useEffect(() => {
    const c = coordinator.current!;
    setStepUpHandler(() => c.request());
    return () => {
      setStepUpHandler(null);
      c.settle(false);
    };
  }, []);

  const finish = (confirmed: boolean) => {
    setOpen(false);
    // GET /api/me tells until when the step-up holds.
    if (confirmed) void queryClient.invalidateQueries({ queryKey: ['me'] });
    coordinator.current!.settle(confirmed);
  };
  return <StepUpDialog open={open} onConfirmed={() => finish(true)} onCancel={() => finish(false)} />;
}

interface StepUpDialogProps {
  open: boolean;
  onConfirmed: () => void;
  onCancel: () => void;
  /** The other ways to confirm; the registered ones by default. */
  methods?: StepUpMethod[];
}

/**
 * The modal question "Confirm it is you". The native dialog keeps the keyboard inside it and closes
 * on Escape (which cancels); focus starts in the code field and goes back where it was.
 */
export function StepUpDialog({ open, onConfirmed, onCancel, methods: given }: StepUpDialogProps) {
  const registered = useStepUpMethods();
  const others = given ?? registered;
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<Element | null>(null);
  const id = useId();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      setCode('');
      setError(null);
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
      input.current?.focus();
    } else if (!open && d.open) {
      if (typeof d.close === 'function') d.close();
      else d.removeAttribute('open');
      if (opener.current instanceof HTMLElement) opener.current.focus();
    }
  }, [open]);

  const fail = (message: string) => {
    setError(message);
    input.current?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const otp = code.trim();
    if (!/^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/.test(otp)) {
      fail('Enter the 6-digit code from your authenticator app, or a recovery code like abcde-fghij.');
      return;
    }
    setBusy('code');
    try {
      unwrap(await api.POST('/api/me/step-up', { body: { otp } }));
      onConfirmed();
    } catch (e) {
      fail(stepUpErrorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const runMethod = async (method: StepUpMethod) => {
    setError(null);
    setBusy(method.id);
    try {
      await method.run();
      onConfirmed();
    } catch (e) {
      fail(method.errorMessage?.(e) ?? (e instanceof Error ? e.message : 'That did not work; try again.'));
    } finally {
      setBusy(null);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog step-up-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      {/* Only while open: a closed dialog's field would still be found by its label. */}
      {open && (
        <>
          <h2 id={`${id}-title`}>Confirm it is you</h2>
          <p id={`${id}-body`}>
            This action needs a recent second step. Enter the code from your authenticator app (or a recovery code) to continue; you will
            not be asked again for the next few minutes.
          </p>
          <form onSubmit={submit} noValidate className="form">
            <FormField
              ref={input}
              label="Authentication code or recovery code"
              hint="6 digits from your app, or a recovery code like abcde-fghij."
              autoComplete="one-time-code"
              spellCheck={false}
              autoCapitalize="none"
              name="otp"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={error ?? undefined}
            />
            <div className="actions">
              <button type="submit" disabled={busy !== null}>
                {busy === 'code' ? 'Checking…' : 'Confirm'}
              </button>
              {others.map((m) => (
                <button key={m.id} type="button" className="button-secondary" disabled={busy !== null} onClick={() => void runMethod(m)}>
                  {busy === m.id ? 'Waiting…' : m.label}
                </button>
              ))}
              <button type="button" className="button-secondary" disabled={busy !== null} onClick={onCancel}>
                Cancel
              </button>
            </div>
          </form>
        </>
      )}
    </dialog>
  );
}
