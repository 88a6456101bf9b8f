import { useEffect, useState } from 'react';
import { Alert } from '../../../../components/alert';
import { DataTable } from '../../../../components/data-table';
import { Page } from '../../../../components/page';
import { panelStatusLabel } from '../../../../components/panel-status';
import { ListTable } from '../../../../components/list-table';
import { ListFilters } from '../../../../components/list-filters';
import { useListParams } from '../../../../lib/list-params';
import {
  type AdminBooking,
  BOOKING_FILTERS,
  BOOKING_STATUSES,
  downloadBookingsCsv,
  type PanelSettings,
  useAssessors,
  useBookings,
  useCancelPanel,
  useLongWaits,
  usePanelSettings,
  useSavePanelSettings,
  useSetAssessor,
} from '../api/admin-panels';

const NUMBER_FIELDS: Array<{ key: keyof PanelSettings; label: string; min: number; max: number }> = [
  { key: 'durationMinutes', label: 'Interview length (minutes)', min: 30, max: 240 },
  { key: 'bufferMinutes', label: "Buffer around each assessor's panels (minutes)", min: 0, max: 120 },
  { key: 'minNoticeHours', label: 'Minimum notice for a booking (hours)', min: 0, max: 720 },
  { key: 'horizonDays', label: 'How far ahead candidates can book (days)', min: 1, max: 180 },
  { key: 'maxChanges', label: 'Reschedules or cancellations allowed per candidate', min: 0, max: 10 },
  { key: 'changeCutoffHours', label: 'Changes allowed until this many hours before', min: 0, max: 720 },
  { key: 'metScore', label: 'Lowest score (0–3) that counts as met', min: 1, max: 3 },
  { key: 'domainPassVotes', label: 'Assessors (of 3) who must judge a domain met', min: 1, max: 3 },
];

export function AdminPanelsPage() {
  const assessors = useAssessors();
  const setRole = useSetAssessor();
  const error = setRole.error?.message ?? null;
  const update = (userId: string, active: boolean, isChair: boolean) => setRole.mutate({ userId, active, isChair });
  return (
    <Page title="CPAA panels">
      <h2>Assessors</h2>
      <p className="hint">Reviewers become assessors here; at least one chair sits on every panel.</p>
      {error && <Alert>{error}</Alert>}
      {assessors.error && <Alert>{assessors.error.message}</Alert>}
      {assessors.data && (
        <DataTable
          caption="Reviewers and their panel roles"
          captionHidden
          rows={assessors.data}
          rowKey={(a) => a.userId}
          empty="No reviewer yet: reviewers become assessors here."
          columns={[
            {
              header: 'Name',
              rowHeader: true,
              cell: (a) => (
                <>
                  {a.name} <span className="hint">{a.email}</span>
                </>
              ),
            },
            { header: 'Time zone', cell: (a) => (a.assessor ? a.timeZone : '—') },
            {
              header: 'Assessor',
              cell: (a) => (
                <input
                  type="checkbox"
                  aria-label={`${a.name} is an assessor`}
                  checked={a.assessor && a.active}
                  onChange={(e) => update(a.userId, e.target.checked, a.isChair)}
                />
              ),
            },
            {
              header: 'Chair',
              cell: (a) => (
                <input
                  type="checkbox"
                  aria-label={`${a.name} chairs panels`}
                  checked={a.isChair}
                  onChange={(e) => update(a.userId, a.active || e.target.checked, e.target.checked)}
                />
              ),
            },
            { header: 'Upcoming panels', cell: (a) => a.upcomingPanels },
          ]}
        />
      )}
      <h2>Candidates waiting for a panel</h2>
      <LongWaits />
      <h2>Bookings</h2>
      <Bookings />
      <h2>Settings</h2>
      <SettingsForm />
    </Page>
  );
}

/** Passed candidates with no booking for PANEL_WAIT_ALERT_DAYS: no full panel may be free for them. */
function LongWaits() {
  const waits = useLongWaits();
  if (!waits.data) return waits.error ? <Alert>{waits.error.message}</Alert> : null;
  const { alertDays, waits: rows } = waits.data;
  if (!rows.length) return <p>No passed candidate has waited {alertDays} days or more for a booking.</p>;
  const day = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(iso));
  return (
    <>
      <Alert kind="info">
        {rows.length} passed candidate{rows.length === 1 ? ' has' : 's have'} had no panel booked for {alertDays} days or more. Add
        assessors above, or ask assessors for more hours.
      </Alert>
      <table>
        <caption className="visually-hidden">Candidates waiting {alertDays} days or more, longest first</caption>
        <thead>
          <tr>
            <th scope="col">Candidate</th>
            <th scope="col">Waiting since</th>
            <th scope="col">Days</th>
            <th scope="col">Administrators e-mailed</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.interviewId}>
              <td>{w.candidateName}</td>
              <td>{day(w.waitingSince)}</td>
              <td>{w.days}</td>
              <td>{w.alertedAt ? day(w.alertedAt) : 'Not yet'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function SettingsForm() {
  const settings = usePanelSettings();
  const save = useSavePanelSettings();
  const [form, setForm] = useState<PanelSettings | null>(null);
  const [status, setStatus] = useState<{ kind: 'error' | 'success'; text: string; stale?: boolean } | null>(null);
  useEffect(() => {
    if (settings.data) setForm(settings.data);
  }, [settings.data]);
  // The form carries the revision it was loaded at; a colleague's save in between makes this one stale.
  const reload = async () => {
    const fresh = await settings.refetch();
    if (fresh.data) setForm(fresh.data);
    setStatus(null);
  };
  // The form is shown only with the settings it edits: saved from defaults, it would overwrite them (and has no revision).
  if (settings.error && !form) return <Alert>{settings.error.message}</Alert>;
  if (!form) return <p role="status">Loading the settings…</p>;
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(form, {
          onSuccess: (saved) => {
            setForm(saved);
            setStatus({ kind: 'success', text: 'Settings saved.' });
          },
          onError: (err) =>
            setStatus({ kind: 'error', text: err.message, stale: (err as Error & { reason?: string }).reason === 'stale_settings' }),
        });
      }}
    >
      {NUMBER_FIELDS.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`ps-${f.key}`}>{f.label}</label>
          <input
            id={`ps-${f.key}`}
            type="number"
            min={f.min}
            max={f.max}
            value={form[f.key] as number}
            onChange={(e) => setForm({ ...form, [f.key]: Number(e.target.value) })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="ps-step">Slot start times every (minutes)</label>
        <select
          id="ps-step"
          value={form.stepMinutes}
          onChange={(e) => setForm({ ...form, stepMinutes: Number(e.target.value) as PanelSettings['stepMinutes'] })}
        >
          {[15, 30, 60].map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="ps-noshow">When a candidate does not attend</label>
        <select
          id="ps-noshow"
          value={form.candidateNoShow}
          onChange={(e) => setForm({ ...form, candidateNoShow: e.target.value as 'fail' | 'rebook' })}
        >
          <option value="fail">The interview is failed</option>
          <option value="rebook">The candidate rebooks (counts as one change)</option>
        </select>
      </div>
      <button type="submit">Save settings</button>
      {status && (
        <Alert kind={status.kind}>
          {status.text}
          {status.stale && (
            <>
              {' '}
              <button type="button" className="button-secondary" onClick={() => void reload()}>
                Load the current settings
              </button>
            </>
          )}
        </Alert>
      )}
    </form>
  );
}

/** Every panel booking, searched and filtered on the server; the body can cancel an upcoming one without it counting as a change. */
function Bookings() {
  const list = useListParams(BOOKING_FILTERS, { sort: 'startsAt', order: () => 'desc' });
  const cancel = useCancelPanel();
  const bookings = useBookings(list.query);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const when = (iso: string) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const action = (b: AdminBooking) => (
    <>
      {b.status === 'booked' && Date.parse(b.start) > Date.now() && cancelling !== b.id && (
        <button type="button" className="button-secondary" onClick={() => setCancelling(b.id)}>
          Cancel
          <span className="visually-hidden">
            {' '}
            the panel of {b.candidateName} on {when(b.start)}
          </span>
        </button>
      )}
      {cancelling === b.id && (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            cancel.mutate(
              { bookingId: b.id, reason },
              {
                onSuccess: () => {
                  setStatus({
                    kind: 'success',
                    text: `Cancelled; ${b.candidateName} is asked to rebook (it does not count as one of their changes).`,
                  });
                  setCancelling(null);
                  setReason('');
                },
                onError: (err) => setStatus({ kind: 'error', text: err.message }),
              },
            );
          }}
        >
          <p id={`cancel-${b.id}-what`}>
            Cancelling tells {b.candidateName} and the three assessors at once; the candidate is asked to book again (it does not count as
            one of their changes).
          </p>
          <div className="field">
            <label htmlFor={`cancel-${b.id}`}>Reason</label>
            <input
              id={`cancel-${b.id}`}
              value={reason}
              aria-describedby={`cancel-${b.id}-what`}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <p className="actions">
            <button type="submit" className="button-danger" disabled={!reason.trim() || cancel.isPending}>
              Cancel this panel
            </button>
            <button type="button" className="button-secondary" onClick={() => setCancelling(null)}>
              Keep it
            </button>
          </p>
        </form>
      )}
    </>
  );

  return (
    <>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      <ListFilters list={list} label="Find panel bookings">
        {(field) => (
          <>
            <div className="field">
              <label htmlFor="bookings-query">Candidate name</label>
              <input id="bookings-query" type="search" {...field('query')} />
            </div>
            <div className="field">
              <label htmlFor="bookings-status">Status</label>
              <select id="bookings-status" {...field('status')}>
                <option value="">Any status</option>
                {BOOKING_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {panelStatusLabel(s)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="bookings-from">Starting from</label>
              <input id="bookings-from" type="date" {...field('from')} />
            </div>
            <div className="field">
              <label htmlFor="bookings-to">Starting until</label>
              <input id="bookings-to" type="date" {...field('to')} />
            </div>
          </>
        )}
      </ListFilters>
      <ListTable<AdminBooking>
        caption="Panel bookings"
        noun={['booking', 'bookings']}
        empty="No panel booking matches this search."
        data={bookings.data}
        loading={bookings.isFetching}
        error={bookings.error}
        rowKey={(b) => b.id}
        {...list.table}
        onExport={() => downloadBookingsCsv(list.filtersQuery)}
        columns={[
          { header: 'When', rowHeader: true, sortKey: 'startsAt', cell: (b) => <time dateTime={b.start}>{when(b.start)}</time> },
          { header: 'Candidate', cell: (b) => b.candidateName },
          { header: 'Panel (chair first)', cell: (b) => b.panel.join(', ') },
          { header: 'Status', cell: (b) => `${panelStatusLabel(b.status)}${b.closeReason ? ` (${b.closeReason})` : ''}` },
          { header: 'Action', cell: action },
        ]}
      />
    </>
  );
}
