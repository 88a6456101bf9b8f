import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../components/alert';
import { FormField } from '../../../components/form-field';
import { Page } from '../../../components/page';
import { ExamSettings, useAllAttempts, useCandidates, useExamSettings, useSetAccommodation, useUpdateSettings } from '../api/exam-admin';

export function ExamAdminPage() {
  const settings = useExamSettings();
  const update = useUpdateSettings();
  const form = useForm<ExamSettings>();
  useEffect(() => {
    if (settings.data) form.reset(settings.data);
  }, [settings.data, form]);

  const candidates = useCandidates();
  const accommodation = useSetAccommodation();
  const accForm = useForm<{ userId: string; timeMultiplier: number }>({ defaultValues: { timeMultiplier: 1.25 } });
  const attempts = useAllAttempts();

  return (
    <Page title="AIDA examination settings">
      <h2>Settings</h2>
      {update.isSuccess && <Alert kind="success">Settings saved. They apply to attempts started from now on.</Alert>}
      {update.error && <Alert>{update.error.message}</Alert>}
      <form className="form" noValidate onSubmit={form.handleSubmit((v) => update.mutate(v))}>
        <FormField
          label="Time limit (seconds)"
          type="number"
          inputMode="numeric"
          error={form.formState.errors.timeLimitSeconds?.message}
          {...form.register('timeLimitSeconds', { valueAsNumber: true, required: 'Enter a time limit', min: { value: 1, message: 'At least 1 second' } })}
        />
        <FormField
          label="Pass mark (%)"
          type="number"
          error={form.formState.errors.passMarkPercent?.message}
          {...form.register('passMarkPercent', {
            valueAsNumber: true,
            required: 'Enter a pass mark',
            min: { value: 1, message: 'Between 1 and 100' },
            max: { value: 100, message: 'Between 1 and 100' },
          })}
        />
        <FormField
          label="Retake cool-down after a fail (seconds)"
          hint="604800 seconds is 7 days."
          type="number"
          error={form.formState.errors.retakeCooldownSeconds?.message}
          {...form.register('retakeCooldownSeconds', { valueAsNumber: true, required: 'Enter a cool-down', min: { value: 0, message: 'Zero or more' } })}
        />
        <button type="submit" disabled={update.isPending}>
          Save settings
        </button>
      </form>

      <h2>Accommodations</h2>
      <p>A time multiplier between 1.0 and 3.0 extends the time limit of the candidate's next attempts.</p>
      {accommodation.isSuccess && <Alert kind="success">Accommodation saved.</Alert>}
      {accommodation.error && <Alert>{accommodation.error.message}</Alert>}
      <form className="form" noValidate onSubmit={accForm.handleSubmit((v) => accommodation.mutate(v))}>
        <div className="field">
          <label htmlFor="acc-user">Candidate</label>
          <select id="acc-user" {...accForm.register('userId', { required: true })}>
            {candidates.data
              ?.filter((u) => u.roles.includes('candidate'))
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.fullName} ({u.email})
                </option>
              ))}
          </select>
        </div>
        <FormField
          label="Time multiplier"
          type="number"
          step="0.05"
          error={accForm.formState.errors.timeMultiplier?.message}
          {...accForm.register('timeMultiplier', {
            valueAsNumber: true,
            min: { value: 1, message: 'Between 1.0 and 3.0' },
            max: { value: 3, message: 'Between 1.0 and 3.0' },
          })}
        />
        <button type="submit" disabled={accommodation.isPending}>
          Save accommodation
        </button>
      </form>

      <h2>Attempts</h2>
      {attempts.data && (
        <table>
          <caption className="visually-hidden">AIDA attempts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {attempts.data.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.candidateName} <span className="hint">{a.candidateEmail}</span>
                </td>
                <td>{new Date(a.startedAt).toLocaleString()}</td>
                <td>{a.status === 'in_progress' ? 'in progress' : a.status}</td>
                <td>{a.scorePercent === null ? '—' : `${a.scorePercent}% (${a.passed ? 'pass' : 'fail'})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
