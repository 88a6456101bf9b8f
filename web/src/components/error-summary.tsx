import { useEffect, useRef } from 'react';

export interface Problem {
  /** The id of the control the problem concerns: its link moves the focus there. */
  controlId: string;
  message: string;
}

/** Scrolls a control into view and gives it the focus. */
export function focusControl(id: string): void {
  const el = document.getElementById(id);
  el?.scrollIntoView({ block: 'center' });
  el?.focus();
}

/**
 * The problems of a form in one list that takes the focus when it appears or changes, each a link to its control
 * (GOV.UK's error summary pattern). `title` words the heading for the count.
 */
export function ErrorSummary({ problems, title }: { problems: Problem[]; title: (count: number) => string }) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);
  if (!problems.length) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={summary} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title(problems.length)}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.controlId}>
            <a
              href={`#${p.controlId}`}
              onClick={(e) => {
                e.preventDefault();
                focusControl(p.controlId);
              }}
            >
              {p.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
