import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { type ExamSettings, type UpdateExamSettings, useExamSettings, useUpdateSettings } from '../api/exam-admin';

const SOURCE_WORDS: Record<ExamSettings['passMarkSource'], string> = {
  blueprint: 'from the blueprint',
  admin_decision: 'set by an administrator',
  standard_setting: 'from a standard-setting study',
};

/** Durations as people think of them: the time limit in minutes, the cool-down in hours (the API keeps seconds). */
type SettingsForm = Pick<ExamSettings, 'passMarkPercent' | 'pretestCount'> & {
  timeLimitMinutes: number;
  retakeCooldownHours: number;
  passMarkReason: string;
};

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
const formOf = (s: ExamSettings): SettingsForm => ({
  timeLimitMinutes: round(s.timeLimitSeconds / 60),
  retakeCooldownHours: round(s.retakeCooldownSeconds / 3600),
  passMarkPercent: s.passMarkPercent,
  pretestCount: s.pretestCount,
  passMarkReason: '',
});
/** "168 hours is 7 days": the cool-down in days as well, where it helps. */
function inDays(hours: number): string {
  if (!Number.isFinite(hours) || hours < 24) return '';
  const days = round(hours / 24, 1);
  return `${hours} hours is ${days} day${days === 1 ? '' : 's'}.`;
}

/**
 * Only the fields an admin may change go back, with the revision they were changed from: a save made from a copy
 * someone else has changed since is refused, not applied over their change.
 */
function changesFrom(v: SettingsForm, before: ExamSettings): UpdateExamSettings {
  const body: UpdateExamSettings = {
    expectedRevision: before.revision,
    timeLimitSeconds: Math.round(v.timeLimitMinutes * 60),
    retakeCooldownSeconds: Math.round(v.retakeCooldownHours * 3600),
    pretestCount: v.pretestCount,
  };
  if (v.passMarkPercent !== before.passMarkPercent)
    Object.assign(body, { passMarkPercent: v.passMarkPercent, passMarkReason: (v.passMarkReason ?? '').trim() });
  return body;
}

export function ExamAdminPage() {
  const settings = useExamSettings();
  const update = useUpdateSettings();
  const form = useForm<SettingsForm>();
  useEffect(() => {
    if (settings.data) form.reset(formOf(settings.data));
  }, [settings.data, form]);
  const stale = (update.error as (Error & { reason?: string }) | null)?.reason === 'stale_settings';
  const passMark = form.watch('passMarkPercent');
  const passMarkChanged = settings.data !== undefined && Number.isFinite(passMark) && passMark !== settings.data.passMarkPercent;
  const [savedPassMark, setSavedPassMark] = useState<number | null>(null);

  return (
    <Page title="AIDA examination settings">
      <h2>Settings</h2>
      {settings.data && (
        <p>
          The pass mark in force, {settings.data.passMarkPercent}%, is {SOURCE_WORDS[settings.data.passMarkSource]}. See who set it and why,
          and how the exam performs, in the <Link to="/admin/exam/analysis">item analysis</Link>; a new cut score can come from a{' '}
          <Link to="/admin/exam/standard-setting">standard-setting study</Link>.
        </p>
      )}
      {settings.error && <Alert>{settings.error.message}</Alert>}
      {settings.isPending && <p role="status">Loading the settings…</p>}
      {update.isSuccess && (
        <Alert kind="success">
          Settings saved. They apply to attempts started from now on.
          {savedPassMark !== null && ` A new exam window starts with the pass mark ${savedPassMark}%.`}
        </Alert>
      )}
      {update.error && (
        <Alert>
          {update.error.message}
          {stale && (
            <>
              {' '}
              <button
                type="button"
                className="button-secondary"
                onClick={async () => {
                  await settings.refetch();
                  update.reset();
                }}
              >
                Load the current settings
              </button>
            </>
          )}
        </Alert>
      )}
      <form
        className="form"
        noValidate
        onSubmit={form.handleSubmit((v) => {
          if (!settings.data) return;
          const body = changesFrom(v, settings.data);
          setSavedPassMark(body.passMarkPercent ?? null);
          update.mutate(body);
        })}
      >
        <FormField
          label="Time limit (minutes)"
          hint="Before any accommodation; at most 1,440 minutes (a day)."
          type="number"
          step="any"
          inputMode="decimal"
          error={form.formState.errors.timeLimitMinutes?.message}
          {...form.register('timeLimitMinutes', {
            valueAsNumber: true,
            required: 'Enter a time limit in minutes',
            min: { value: 0.1, message: 'At least a tenth of a minute' },
            max: { value: 1440, message: 'At most 1,440 minutes' },
          })}
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
        {passMarkChanged && (
          <FormField
            label="Reason for the new pass mark"
            hint="Recorded with the new exam window and shown in the item analysis, e.g. the study or decision behind it."
            error={form.formState.errors.passMarkReason?.message}
            {...form.register('passMarkReason', {
              shouldUnregister: true,
              validate: (v) => (v ?? '').trim().length >= 3 || 'Give the reason for the new pass mark (at least 3 characters)',
              maxLength: { value: 500, message: 'At most 500 characters' },
            })}
          />
        )}
        <FormField
          label="Retake cool-down after a fail (hours)"
          hint={`0 lets a candidate retake at once; at most 8,760 hours (a year). ${inDays(form.watch('retakeCooldownHours'))}`}
          type="number"
          step="any"
          inputMode="decimal"
          error={form.formState.errors.retakeCooldownHours?.message}
          {...form.register('retakeCooldownHours', {
            valueAsNumber: true,
            required: 'Enter a cool-down in hours',
            min: { value: 0, message: 'Zero or more hours' },
            max: { value: 8760, message: 'At most 8,760 hours' },
          })}
        />
        <FormField
          label="Pretest questions per form"
          hint="0 to 5. Unscored trial questions added to every form to try out new items; they do not count towards the result, and candidates are not told which questions they are."
          type="number"
          inputMode="numeric"
          error={form.formState.errors.pretestCount?.message}
          {...form.register('pretestCount', {
            valueAsNumber: true,
            required: 'Enter a number of pretest questions',
            min: { value: 0, message: 'Between 0 and 5' },
            max: { value: 5, message: 'Between 0 and 5' },
            validate: (v) => Number.isInteger(v) || 'A whole number between 0 and 5',
          })}
        />
        {/* Until the settings are loaded the fields are empty, and there is no revision to save from. */}
        <button type="submit" disabled={update.isPending || !settings.data}>
          Save settings
        </button>
      </form>

      <h2>Accommodations</h2>
      <p>
        A time multiplier between 1.0 and 3.0 extends the time limit of a candidate's next attempts. It is shown and set on the candidate's
        page: find them in <Link to="/admin/people?role=candidate">People</Link> by name or e-mail address.
      </p>

      <h2>Attempts</h2>
      <p>
        <Link to="/admin/attempts">Every AIDA attempt</Link>: search by candidate, filter by status, result and day, sort, and export as
        CSV.
      </p>
    </Page>
  );
}
