import { useLayoutEffect, useRef, useState } from 'react';
import { type FieldPath, useForm } from 'react-hook-form';
import type { FrameworkDomain } from '../api/framework';
import { type ItemForReview, type SubmitItemReview, useSubmitItemReview } from '../api/item-review';
import { DIFFICULTIES } from './labels';

interface Values {
  verdict: SubmitItemReview['verdict'] | '';
  keyConfirmed: boolean;
  cueingOk: boolean;
  criterion: string;
  difficulty: SubmitItemReview['difficulty'] | '';
  comment: string;
}

const MIN_COMMENT = 10;
const MAX_COMMENT = 4000;

/** Where each field's error links to, in the order the form shows them. */
const FIELD_IDS: Record<keyof Values, string> = {
  verdict: 'itemreview-verdict-approve',
  keyConfirmed: 'itemreview-key-confirmed',
  cueingOk: 'itemreview-cueing-ok',
  criterion: 'itemreview-criterion',
  difficulty: 'itemreview-difficulty',
  comment: 'itemreview-comment',
};

/** The server's 400 messages name the rule they break; each goes back to the field it is about. */
function fieldOf(message: string): keyof Values | null {
  if (message.startsWith('comment')) return 'comment';
  if (message.startsWith('criterion') || message.startsWith('you tag it')) return 'criterion';
  if (message.startsWith('an approval confirms')) return 'keyConfirmed';
  if (message.startsWith('difficulty')) return 'difficulty';
  if (message.startsWith('verdict')) return 'verdict';
  return null;
}

const sentence = (message: string) => {
  const text = message.replace(/^comment: /, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * One expert's review: the same rules as the server (SubmitItemReviewDto and ItemReviewService.review)
 * so a reviewer learns what is missing before sending, with an error summary that takes the focus.
 */
export function ReviewForm({
  item,
  domain,
  criteriaLoading,
  onReviewed,
}: {
  item: ItemForReview;
  /** The item's domain in the framework, whose criteria the reviewer chooses from; undefined until it is loaded. */
  domain: FrameworkDomain | undefined;
  criteriaLoading: boolean;
  onReviewed: () => void;
}) {
  const submit = useSubmitItemReview(item.id);
  const [formError, setFormError] = useState<string | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  // Set when a submission fails; the summary takes the focus in the commit that shows it (the
  // errors reach the form's state a render after the submit handler's callbacks run).
  const focusSummary = useRef(false);
  const [, setAttempts] = useState(0);
  const showSummary = () => {
    focusSummary.current = true;
    setAttempts((n) => n + 1);
  };
  const form = useForm<Values>({
    shouldFocusError: false,
    defaultValues: { verdict: '', keyConfirmed: false, cueingOk: false, criterion: '', difficulty: '', comment: '' },
  });
  const { register, formState } = form;
  const errors = formState.errors;

  useLayoutEffect(() => {
    if (focusSummary.current && summary.current) {
      focusSummary.current = false;
      summary.current.focus();
    }
  });

  // A comment is needed whenever the reviewer does not simply approve.
  const commentNeeded = (v: Values) => v.verdict === 'changes_requested' || !v.keyConfirmed || !v.cueingOk;
  const deps: Array<FieldPath<Values>> = ['keyConfirmed', 'cueingOk', 'criterion', 'comment'];

  const onValid = (v: Values) => {
    setFormError(null);
    submit.mutate(
      {
        verdict: v.verdict as SubmitItemReview['verdict'],
        keyConfirmed: v.keyConfirmed,
        cueingOk: v.cueingOk,
        criterion: v.criterion,
        difficulty: v.difficulty as SubmitItemReview['difficulty'],
        comment: v.comment.trim() || undefined,
      },
      {
        onSuccess: () => onReviewed(),
        onError: (e) => {
          const field = fieldOf(e.message);
          if (field) form.setError(field, { type: 'server', message: sentence(e.message) });
          else setFormError(e.message);
          showSummary();
        },
      },
    );
  };

  const listed = (Object.keys(FIELD_IDS) as Array<keyof Values>).filter((f) => errors[f]?.message);
  const describedBy = (field: keyof Values, hint?: boolean) =>
    [hint && `${FIELD_IDS[field]}-hint`, errors[field] && `${FIELD_IDS[field]}-error`].filter(Boolean).join(' ') || undefined;
  const inlineError = (field: keyof Values) =>
    errors[field]?.message ? (
      <p className="field-error" id={`${FIELD_IDS[field]}-error`}>
        <span className="visually-hidden">Error: </span>
        {errors[field]?.message}
      </p>
    ) : null;

  return (
    <form
      className="itemreview-form"
      noValidate
      aria-labelledby="itemreview-form-heading"
      onSubmit={(e) => {
        setFormError(null);
        void form.handleSubmit(onValid, showSummary)(e);
      }}
    >
      <h3 id="itemreview-form-heading">Review version {item.version}</h3>
      {(listed.length > 0 || formError) && (
        <div className="itemreview-error-summary" ref={summary} tabIndex={-1} aria-labelledby="itemreview-error-summary-heading">
          <h4 id="itemreview-error-summary-heading">There is a problem with your review</h4>
          <ul>
            {formError && <li>{formError}</li>}
            {listed.map((f) => (
              <li key={f}>
                <a
                  href={`#${FIELD_IDS[f]}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(FIELD_IDS[f])?.focus();
                  }}
                >
                  {errors[f]?.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}

      <fieldset className="itemreview-fieldset" aria-describedby={describedBy('verdict')}>
        <legend>Your verdict</legend>
        {inlineError('verdict')}
        <div className="checkbox">
          <input
            type="radio"
            id="itemreview-verdict-approve"
            value="approve"
            aria-invalid={errors.verdict ? true : undefined}
            {...register('verdict', { required: 'Choose whether you approve the item or request changes', deps })}
          />
          <label htmlFor="itemreview-verdict-approve">Approve</label>
        </div>
        <div className="checkbox">
          <input
            type="radio"
            id="itemreview-verdict-changes"
            value="changes_requested"
            aria-invalid={errors.verdict ? true : undefined}
            {...register('verdict', { required: 'Choose whether you approve the item or request changes', deps })}
          />
          <label htmlFor="itemreview-verdict-changes">Request changes</label>
        </div>
      </fieldset>

      <fieldset className="itemreview-fieldset">
        <legend>Your checks</legend>
        <div className="checkbox">
          <input
            type="checkbox"
            id={FIELD_IDS.keyConfirmed}
            aria-invalid={errors.keyConfirmed ? true : undefined}
            aria-describedby={describedBy('keyConfirmed')}
            {...register('keyConfirmed', {
              deps: ['comment'],
              validate: (ok, v) =>
                ok || v.verdict !== 'approve' || 'To approve, confirm that the key is the one best answer — or request changes',
            })}
          />
          <label htmlFor={FIELD_IDS.keyConfirmed}>The key is the one best answer, defensible from the criterion</label>
        </div>
        {inlineError('keyConfirmed')}
        <div className="checkbox">
          <input
            type="checkbox"
            id={FIELD_IDS.cueingOk}
            aria-invalid={errors.cueingOk ? true : undefined}
            aria-describedby={describedBy('cueingOk')}
            {...register('cueingOk', {
              deps: ['comment'],
              validate: (ok, v) =>
                ok || v.verdict !== 'approve' || 'To approve, confirm that nothing but competence finds the key — or request changes',
            })}
          />
          <label htmlFor={FIELD_IDS.cueingOk}>Nothing but competence finds the key (no cues)</label>
        </div>
        {inlineError('cueingOk')}
      </fieldset>

      <div className="field">
        <label htmlFor={FIELD_IDS.criterion}>Criterion you would tag it with</label>
        <p className="hint" id={`${FIELD_IDS.criterion}-hint`}>
          One of {item.domain}’s criteria. Tagging it with another criterion than {item.criterion} means requesting changes.
        </p>
        <select
          id={FIELD_IDS.criterion}
          aria-invalid={errors.criterion ? true : undefined}
          aria-describedby={describedBy('criterion', true)}
          {...register('criterion', {
            required: 'Choose the criterion the item tests',
            validate: (c, v) =>
              v.verdict !== 'approve' ||
              !c ||
              c === item.criterion ||
              `You tag it ${c} but it is written for ${item.criterion}: request changes instead`,
          })}
        >
          <option value="">Choose a criterion</option>
          {domain?.criteria.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} — {c.text}
            </option>
          ))}
        </select>
        {criteriaLoading && <p role="status">Loading the criteria…</p>}
        {inlineError('criterion')}
      </div>

      <div className="field">
        <label htmlFor={FIELD_IDS.difficulty}>Difficulty you would give it</label>
        <select
          id={FIELD_IDS.difficulty}
          aria-invalid={errors.difficulty ? true : undefined}
          aria-describedby={describedBy('difficulty')}
          {...register('difficulty', { required: 'Choose the difficulty you would give the item' })}
        >
          <option value="">Choose a difficulty</option>
          {DIFFICULTIES.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        {inlineError('difficulty')}
      </div>

      <div className="field">
        <label htmlFor={FIELD_IDS.comment}>Comment</label>
        <p className="hint" id={`${FIELD_IDS.comment}-hint`}>
          Required when you request changes or a check fails: say what has to change (at least {MIN_COMMENT} characters).
        </p>
        <textarea
          id={FIELD_IDS.comment}
          rows={5}
          aria-invalid={errors.comment ? true : undefined}
          aria-describedby={describedBy('comment', true)}
          {...register('comment', {
            maxLength: { value: MAX_COMMENT, message: `Use at most ${MAX_COMMENT} characters` },
            validate: (c, v) =>
              !commentNeeded(v) ||
              c.trim().length >= MIN_COMMENT ||
              `Say what has to change (at least ${MIN_COMMENT} characters): you request changes or a check is not ticked`,
          })}
        />
        {inlineError('comment')}
      </div>

      <div className="actions">
        {/* Without the criteria there is nothing to choose, and the criterion rule could only refuse. */}
        <button type="submit" disabled={submit.isPending || !domain}>
          {submit.isPending ? 'Submitting…' : 'Submit review'}
        </button>
      </div>
    </form>
  );
}
