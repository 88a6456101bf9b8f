import { useState } from 'react';

/**
 * Copies a text and says so in a live region. The visible label names the action; `what` completes its
 * accessible name when several copy buttons share a page.
 */
export function CopyButton({ text, label, what }: { text: string; label: string; what?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <>
      <button type="button" className="button-secondary" onClick={() => void copy()}>
        {label}
        {what && <span className="visually-hidden"> {what}</span>}
      </button>
      <span role="status" className="hint">
        {copied === 'yes' && 'Copied.'}
        {copied === 'failed' && 'Copying is not allowed here: select the link instead.'}
      </span>
    </>
  );
}
