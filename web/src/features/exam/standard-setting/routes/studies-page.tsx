import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { useEligibleRaters } from '../api/reviewers';
import { type Study, useOpenStudy, useStudies } from '../api/studies';
import { formatPercent, STUDY_STATUS_LABELS } from '../lib/format';

const MIN_RATERS = 2;
const MAX_RATERS = 30;

export function StudiesPage() {
  const studies = useStudies();
  return (
    <Page title="AIDA standard setting">
      <p>
        <Link to="/admin">Administration</Link>
      </p>
      <p>
        In a modified-Angoff study, each expert estimates, for every item, the percentage of minimally competent candidates who would answer
        it correctly; in a second round they see how candidates actually did and may revise their estimates. The recommended cut score is
        the mean of the experts’ estimates, and it changes the pass mark only when you adopt it for a new exam window.
      </p>

      <h2>Studies</h2>
      {studies.error && <Alert>{studies.error.message}</Alert>}
      {studies.isPending && <p role="status">Loading studies…</p>}
      {studies.data?.length === 0 && <p>No study has been opened yet.</p>}
      {!!studies.data?.length && (
        <table>
          <caption className="visually-hidden">Standard-setting studies, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Study</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Recommended cut</th>
            </tr>
          </thead>
          <tbody>
            {studies.data.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/admin/exam/standard-setting/${s.id}`}>{s.title}</Link>
                  <span className="hint angoff-block">opened {new Date(s.createdAt).toLocaleString()}</span>
                </th>
                <td>{STUDY_STATUS_LABELS[s.status]}</td>
                <td>{progressOf(s)}</td>
                <td>{s.result ? `${formatPercent(s.result.cutPercent)} (${s.result.cutRaw} of ${s.result.formLength})` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Open a study</h2>
      <OpenStudyForm />
    </Page>
  );
}

function progressOf(study: Study): string {
  const done = (round: 1 | 2) => study.raters.filter((r) => (round === 1 ? r.ratedRound1 : r.ratedRound2) >= study.items).length;
  const of = study.raters.length;
  if (study.status === 'round1') return `Round 1: ${done(1)} of ${of} raters finished`;
  if (study.status === 'round2') return `Round 2: ${done(2)} of ${of} raters have a rating for every item`;
  if (study.status === 'cancelled') return '—';
  return `${of} raters, ${study.items} items`;
}

interface OpenStudyValues {
  title: string;
  raterIds: string[];
}

function OpenStudyForm() {
  const navigate = useNavigate();
  const raters = useEligibleRaters();
  const open = useOpenStudy();
  const form = useForm<OpenStudyValues>({ defaultValues: { title: '', raterIds: [] } });
  const ratersError = form.formState.errors.raterIds?.message;

  return (
    <>
      {open.error && <Alert>{open.error.message}</Alert>}
      <form
        className="form angoff-form"
        noValidate
        onSubmit={form.handleSubmit((values) =>
          open.mutate(
            { title: values.title.trim(), raterIds: values.raterIds },
            { onSuccess: (study) => void navigate(`/admin/exam/standard-setting/${study.id}`) },
          ),
        )}
      >
        <FormField
          label="Title"
          hint="For example: AIDA cut score study, spring window."
          error={form.formState.errors.title?.message}
          {...form.register('title', {
            validate: (v) => (v.trim().length >= 3 && v.trim().length <= 200) || 'Enter a title of 3 to 200 characters',
          })}
        />
        <fieldset aria-describedby={['open-raters-hint', ratersError && 'open-raters-error'].filter(Boolean).join(' ')}>
          <legend>Raters</legend>
          <p className="hint" id="open-raters-hint">
            Choose {MIN_RATERS} to {MAX_RATERS} reviewers. Raters see every item with its key, so accounts that are also candidates cannot
            be chosen and are not listed.
          </p>
          {ratersError && (
            <p className="field-error" id="open-raters-error">
              {ratersError}
            </p>
          )}
          {raters.error && <Alert>{raters.error.message}</Alert>}
          {raters.isPending && <p role="status">Loading reviewers…</p>}
          {raters.data?.length === 0 && <p>No account is a reviewer without also being a candidate. Give reviewers their role first.</p>}
          {raters.data?.map((r) => (
            <div className="checkbox" key={r.id}>
              <input
                type="checkbox"
                id={`rater-${r.id}`}
                value={r.id}
                aria-invalid={ratersError ? true : undefined}
                {...form.register('raterIds', {
                  validate: (ids) =>
                    (ids.length >= MIN_RATERS && ids.length <= MAX_RATERS) ||
                    `Choose between ${MIN_RATERS} and ${MAX_RATERS} raters (${ids.length} chosen)`,
                })}
              />
              <label htmlFor={`rater-${r.id}`}>
                {r.fullName} ({r.email})
              </label>
            </div>
          ))}
        </fieldset>
        <div>
          {/* Until the reviewers are listed there is nothing to choose, and the rater rule could not be checked. */}
          <button type="submit" disabled={open.isPending || raters.isPending}>
            Open the study
          </button>
        </div>
      </form>
    </>
  );
}
