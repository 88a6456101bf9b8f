import { useEffect, useId } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../components/alert';
import { type CandidateAttributes, useDeclareAttributes, useMyAttributes } from '../api/attributes';

// The radio value for "Prefer not to say": it goes to the server as null, which withdraws an answer.
const NOT_SAID = '';

const QUESTIONS: Array<{ name: keyof CandidateAttributes; legend: string; choices: Array<[string, string]> }> = [
  {
    name: 'firstLanguage',
    legend: 'Is English your first language?',
    choices: [
      ['english', 'Yes'],
      ['other', 'No'],
    ],
  },
  {
    name: 'experience',
    legend: 'How long have you worked with AI systems in production?',
    choices: [
      ['under-2', 'Under 2 years'],
      ['2-5', '2 to 5 years'],
      ['over-5', 'Over 5 years'],
    ],
  },
];

type AboutYou = Record<keyof CandidateAttributes, string>;

const toForm = (a: CandidateAttributes): AboutYou => ({ firstLanguage: a.firstLanguage ?? NOT_SAID, experience: a.experience ?? NOT_SAID });

/** Optional self-declaration for fairness checks (DIF); the exam never depends on it. */
export function AboutYouForm() {
  const id = useId();
  const mine = useMyAttributes();
  const declare = useDeclareAttributes();
  const form = useForm<AboutYou>({ defaultValues: { firstLanguage: NOT_SAID, experience: NOT_SAID } });
  useEffect(() => {
    if (mine.data) form.reset(toForm(mine.data));
  }, [mine.data, form]);
  const saved = declare.data;

  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>About you (optional)</h2>
      <p>
        These answers are optional. They are used only to check that the questions are fair to every group of candidates, are never shown to
        reviewers, and you can withdraw them at any time by choosing “Prefer not to say”. They make no difference to your exam or your
        result.
      </p>
      {mine.error && <Alert>{mine.error.message}</Alert>}
      {declare.error && <Alert>{declare.error.message}</Alert>}
      {declare.isSuccess && saved && (
        <Alert kind="success">
          {saved.firstLanguage === null && saved.experience === null
            ? 'Saved: you have not given any answers about yourself.'
            : 'Your answers are saved.'}
        </Alert>
      )}
      <form
        noValidate
        onSubmit={form.handleSubmit((v) =>
          declare.mutate({
            firstLanguage: (v.firstLanguage || null) as CandidateAttributes['firstLanguage'],
            experience: (v.experience || null) as CandidateAttributes['experience'],
          }),
        )}
      >
        {QUESTIONS.map((q) => (
          <fieldset key={q.name}>
            <legend>{q.legend}</legend>
            {[...q.choices, [NOT_SAID, 'Prefer not to say'] as [string, string]].map(([value, label]) => (
              <div className="checkbox" key={value}>
                <input type="radio" id={`${id}-${q.name}-${value || 'none'}`} value={value} {...form.register(q.name)} />
                <label htmlFor={`${id}-${q.name}-${value || 'none'}`}>{label}</label>
              </div>
            ))}
          </fieldset>
        ))}
        {/* Not while the answers are unknown (loading, or failed to load): the defaults would withdraw them. */}
        <button type="submit" className="button-secondary" disabled={declare.isPending || !mine.data}>
          Save my answers
        </button>
      </form>
    </section>
  );
}
