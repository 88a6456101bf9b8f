import type { AutosaveStatus } from '../lib/rating-autosave';

const TEXT: Record<AutosaveStatus, string> = {
  idle: 'No unsaved changes',
  saving: 'Saving…',
  saved: 'Saved',
  failed: 'Not saved — retry',
};

/** The autosave state, announced politely as it changes; a failure is marked by words and a symbol, not colour alone. */
export function SaveStatus({ status }: { status: AutosaveStatus }) {
  return (
    <p role="status" className={`angoff-save angoff-save-${status}`} data-testid="rating-save-status">
      {status === 'failed' && <span aria-hidden="true">⚠ </span>}
      {TEXT[status]}
    </p>
  );
}
