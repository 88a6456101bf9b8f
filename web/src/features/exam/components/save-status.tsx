export function SaveStatus({ pending, busy, offline }: { pending: number; busy: boolean; offline: boolean }) {
  const text = offline
    ? `Offline — ${pending} answer${pending === 1 ? '' : 's'} waiting to be sent`
    : pending > 0 || busy
      ? 'Saving…'
      : 'All answers saved';
  return (
    <p role="status" aria-live="polite" className={`save-status${offline ? ' save-offline' : ''}`} data-testid="save-status">
      {text}
    </p>
  );
}
