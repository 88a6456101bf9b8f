import { useEffect, useId, useRef, useState } from 'react';

/**
 * "Clear my answers", confirmed in the page (the codebase asks in place or in its own dialog, never with the
 * browser's confirm()): the question takes focus when it opens, and Keep them puts focus back on the button.
 */
export function ClearAnswers({ disabled, onClear }: { disabled: boolean; onClear: () => void }) {
  const [asking, setAsking] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const id = useId();

  useEffect(() => {
    if (asking) question.current?.focus();
    else if (returnFocus.current) opener.current?.focus();
    returnFocus.current = false;
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="button-secondary" ref={opener} disabled={disabled} onClick={() => setAsking(true)}>
        Clear my answers
      </button>
    );
  }
  return (
    <div className="sa-confirm" role="group" aria-labelledby={id}>
      <p id={id} ref={question} tabIndex={-1}>
        Clear every rating from this browser? This cannot be undone. A copy saved to your account is kept.
      </p>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            setAsking(false);
            onClear();
          }}
        >
          Yes, clear my answers
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            returnFocus.current = true;
            setAsking(false);
          }}
        >
          Keep them
        </button>
      </div>
    </div>
  );
}
