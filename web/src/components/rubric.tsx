import type { ReactNode } from 'react';
import { type AutosaveStatus, describeDraft } from '../lib/use-autosave';

/** One level of a 0–3 scale with the words that say what it means: scorers choose against these, not a bare number. */
export interface RubricLevel {
  score: number;
  label: string;
  description: string;
}

/** The scale explained once, above the sheet. */
export function RubricScale({ levels, children }: { levels: readonly RubricLevel[]; children?: ReactNode }) {
  return (
    <details className="rubric-scale">
      <summary>What the scores mean</summary>
      <dl>
        {levels.map((r) => (
          <div key={r.score}>
            <dt>
              {r.score} {r.label}
            </dt>
            <dd>{r.description}</dd>
          </div>
        ))}
      </dl>
      {children}
    </details>
  );
}

/**
 * A score as a radio group named "Score for <code>": each level with its descriptor; one name per group, so the arrow
 * keys move the choice and Tab leaves it. Ids are `score-<code>-<score>` (the first is where an error summary sends
 * the focus) and `score-<code>-error`.
 */
export function RubricLevels({
  code,
  levels,
  value,
  onChange,
  error,
}: {
  code: string;
  levels: readonly RubricLevel[];
  value: number | null | undefined;
  onChange: (score: number) => void;
  error?: string;
}) {
  const id = `score-${code}`;
  return (
    <fieldset className={error ? 'field-invalid' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>Score for {code}</legend>
      {error && <FieldError id={`${id}-error`}>{error}</FieldError>}
      <div className="rubric-levels">
        {levels.map((r) => (
          <div className="checkbox" key={r.score}>
            <input
              type="radio"
              id={`${id}-${r.score}`}
              name={id}
              checked={value === r.score}
              onChange={() => onChange(r.score)}
              aria-describedby={`level-${code}-${r.score}`}
            />
            <label htmlFor={`${id}-${r.score}`}>
              {r.score} {r.label}
            </label>
            <span className="hint" id={`level-${code}-${r.score}`}>
              {r.description}
            </span>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The comment or notes beside a score (id `note-<code>`), with its error tied to it. */
export function RubricNote({
  code,
  label,
  value,
  onChange,
  error,
  maxLength,
}: {
  code: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  maxLength: number;
}) {
  const id = `note-${code}`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {error && <FieldError id={`${id}-error`}>{error}</FieldError>}
      <textarea
        id={id}
        rows={2}
        maxLength={maxLength}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

function FieldError({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p className="field-error" id={id}>
      <span className="visually-hidden">Error: </span>
      {children}
    </p>
  );
}

/**
 * Progress and the draft's state in one polite live region ("28 of 35 scored · Draft saved at 10:42"); it can take
 * the focus so a reader can hear it again.
 */
export function DraftProgress({ done, total, status, at }: { done: number; total: number; status: AutosaveStatus; at?: string }) {
  return (
    <p id="draft-state" role="status" aria-live="polite" className="save-status" tabIndex={-1}>
      {done} of {total} scored · {describeDraft(status, at)}
    </p>
  );
}
