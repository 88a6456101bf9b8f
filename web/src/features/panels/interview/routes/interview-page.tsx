import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { MonthCalendar } from '../../../../components/month-calendar';
import { TimeZoneCombobox } from '../../../../components/time-zone-combobox';
import { type CalendarEvent, googleCalendarUrl, outlookCalendarUrl } from '../../../../lib/calendar-links';
import { longDate } from '../../../../lib/month-grid';
import { browserTimeZone } from '../../../../lib/time-zones';
import {
  type BookingChange,
  type CandidatePanel,
  downloadInvitation,
  useChangeBooking,
  useMyPanel,
  useSlots,
  useWaitlist,
} from '../api/interview';

function formatRange(start: string, end: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(start),
  );
  const time = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  return `${day}, ${time(start)}–${time(end)}`;
}

/** What the calendar services get: the same as the candidate's .ics (the meeting link and this page), no credentials. */
function calendarEvent(panel: CandidatePanel): CalendarEvent {
  const b = panel.booking!;
  return {
    title: 'CPAA panel interview',
    start: b.start,
    end: b.end,
    location: b.meetingUrl,
    details: `Your structured CPAA panel interview with three PSF assessors (${panel.durationMinutes} minutes).\nJoin: ${b.meetingUrl}\nDetails, rescheduling and cancelling: ${window.location.origin}/candidate/cpaa/interview`,
  };
}

export function InterviewPage() {
  const me = useMyPanel();
  const change = useChangeBooking();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [moving, setMoving] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  /** Resolves once the change is settled, so the slot picker stays busy until then. */
  const act = (what: BookingChange, success: string) => {
    setMessage(null);
    return change.mutateAsync(what).then(
      () => {
        setMoving(false);
        setConfirmCancel(false);
        setMessage({ kind: 'success', text: success });
      },
      (e: Error) => setMessage({ kind: 'error', text: e.message }),
    );
  };

  const p = me.data;
  return (
    <Page title="CPAA panel interview">
      {me.isPending && <p role="status">Loading…</p>}
      {me.error && <Alert>{me.error.message}</Alert>}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {p?.stage === 'not_eligible' && (
        <p>
          The panel interview opens once your CPAA portfolio has passed review.{' '}
          <Link to="/candidate/portfolio/cpaa">Go to your CPAA portfolio</Link>.
        </p>
      )}
      {p?.stage === 'awaiting_booking' && (
        <>
          <p>
            Your CPAA portfolio has passed review. The last step is a structured interview of {p.durationMinutes} minutes with a panel of
            three assessors, held online. Choose a time below; you can change or cancel it up to {p.changeCutoffHours} hours before it
            starts ({p.changesLeft} change
            {p.changesLeft === 1 ? '' : 's'} left).
          </p>
          <SlotPicker
            initialZone={p.timeZone === 'UTC' ? browserTimeZone() : p.timeZone}
            action="Book this time"
            onPick={(start, tz) =>
              act({ kind: 'book', start, timeZone: tz }, 'Your interview is booked. An invitation is on its way by e-mail.')
            }
            whenNone={(tz) => <Waitlist panel={p} timeZone={tz} />}
          />
        </>
      )}
      {p?.stage === 'booked' && p.booking && (
        <>
          <h2>Your booking</h2>
          <dl className="meta">
            <dt>When</dt>
            <dd>
              {formatRange(p.booking.start, p.booking.end, p.timeZone)} ({p.timeZone})
            </dd>
            <dt>Where</dt>
            <dd>
              Online: <a href={p.booking.meetingUrl}>{p.booking.meetingUrl}</a>
            </dd>
            <dt>Changes left</dt>
            <dd>{p.changesLeft}</dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="button-secondary"
              onClick={() => downloadInvitation().catch((e: Error) => setMessage({ kind: 'error', text: e.message }))}
            >
              Download the invitation (.ics)
            </button>
            <a className="button button-secondary" href={googleCalendarUrl(calendarEvent(p))} target="_blank" rel="noreferrer">
              Add to Google Calendar<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
            <a className="button button-secondary" href={outlookCalendarUrl(calendarEvent(p))} target="_blank" rel="noreferrer">
              Add to Outlook.com<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
            {p.canChange && !moving && (
              <button type="button" className="button-secondary" onClick={() => setMoving(true)}>
                Reschedule
              </button>
            )}
            {p.canChange && !confirmCancel && (
              <button type="button" className="button-secondary" onClick={() => setConfirmCancel(true)}>
                Cancel the booking
              </button>
            )}
          </div>
          {!p.canChange && (
            <p>
              {p.changesLeft === 0
                ? 'You have used all the changes allowed for this interview.'
                : `The booking can no longer be changed online (less than ${p.changeCutoffHours} hours to go).`}{' '}
              If you cannot attend, contact the certification body.
            </p>
          )}
          {confirmCancel && (
            <div className="alert alert-info" role="group" aria-labelledby="cancel-q">
              <p id="cancel-q">Cancel this interview? It counts as one of your changes, and you will need to book a new time.</p>
              <div className="actions">
                <button
                  type="button"
                  onClick={() => act({ kind: 'cancel' }, 'Your booking is cancelled. Choose a new time when you are ready.')}
                >
                  Yes, cancel the booking
                </button>
                <button type="button" className="button-secondary" onClick={() => setConfirmCancel(false)}>
                  Keep it
                </button>
              </div>
            </div>
          )}
          {moving && (
            <section aria-labelledby="move-h">
              <h2 id="move-h">Choose a new time</h2>
              <SlotPicker
                initialZone={p.timeZone}
                action="Move my interview to this time"
                onPick={(start, tz) =>
                  act({ kind: 'reschedule', start, timeZone: tz }, 'Your interview has moved. An updated invitation is on its way.')
                }
              />
            </section>
          )}
        </>
      )}
      {p?.stage === 'decided' && p.decision && <Decision panel={p} />}
    </Page>
  );
}

function Decision({ panel }: { panel: CandidatePanel }) {
  const d = panel.decision!;
  return (
    <>
      <p className={`result-banner result-${d.outcome}`}>
        {d.outcome === 'pass'
          ? 'The panel has passed your CPAA interview.'
          : d.route === 'no_show'
            ? 'The interview was recorded as missed.'
            : 'The panel did not pass your CPAA interview this time.'}
      </p>
      {panel.certificateNumber && (
        <p>
          Your CPAA certificate number is <strong>{panel.certificateNumber}</strong>.{' '}
          <Link to="/candidate/certificates">See your certificates</Link>.
        </p>
      )}
      {d.outcome === 'pass' && !panel.certificateNumber && <p role="status">Your certificate is being issued; refresh in a moment.</p>}
      {d.domains.length > 0 && (
        <table>
          <caption>Panel result per domain</caption>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {d.domains.map((x) => (
              <tr key={x.domain}>
                <th scope="row">
                  {x.domain} {x.title}
                </th>
                <td>{x.met ? 'Met' : 'Not met'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** No free time: the candidate asks to be e-mailed when one opens (or stops waiting). */
function Waitlist({ panel, timeZone }: { panel: CandidatePanel; timeZone: string }) {
  const waitlist = useWaitlist();
  const [status, setStatus] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const focusAfter = useRef<HTMLButtonElement>(null);
  const change = (join: boolean) => {
    setStatus(null);
    waitlist.mutate(join ? { join: true, timeZone } : { join: false }, {
      onSuccess: () => {
        setStatus({ kind: 'success', text: join ? 'You are on the waitlist.' : 'You have left the waitlist.' });
        requestAnimationFrame(() => focusAfter.current?.focus());
      },
      onError: (e) => setStatus({ kind: 'error', text: e.message }),
    });
  };
  const entry = panel.waitlist;
  const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long' });
  return (
    <section aria-labelledby="waitlist-h" className="waitlist">
      <h2 id="waitlist-h">No free time yet</h2>
      <p>No panel is free in the next four weeks at the moment. Assessors add hours regularly.</p>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      {entry && !entry.notifiedAt ? (
        <>
          <p>You are on the waitlist since {day(entry.joinedAt)}: we will e-mail you as soon as a time opens.</p>
          <button ref={focusAfter} type="button" className="button-secondary" disabled={waitlist.isPending} onClick={() => change(false)}>
            Leave the waitlist
          </button>
        </>
      ) : (
        <>
          {entry?.notifiedAt && <p>We e-mailed you on {day(entry.notifiedAt)} that a time had opened; it has been taken since.</p>}
          <button ref={focusAfter} type="button" disabled={waitlist.isPending} onClick={() => change(true)}>
            {entry ? 'Tell me again when a slot opens' : 'Tell me when a slot opens'}
          </button>
        </>
      )}
    </section>
  );
}

function SlotPicker({
  initialZone,
  action,
  onPick,
  whenNone,
}: {
  initialZone: string;
  action: string;
  onPick: (start: string, timeZone: string) => Promise<void>;
  whenNone?: (timeZone: string) => ReactNode;
}) {
  const [timeZone, setTimeZone] = useState(initialZone);
  const slots = useSlots(timeZone, true);
  const [date, setDate] = useState('');
  const [start, setStart] = useState('');
  const [busy, setBusy] = useState(false);
  const days = useMemo(() => slots.data?.days ?? [], [slots.data]);
  const counts = useMemo(() => new Map(days.map((d) => [d.date, d.slots.length])), [days]);
  useEffect(() => {
    if (days.length && !days.some((d) => d.date === date)) setDate(days[0].date);
  }, [days, date]);
  const day = days.find((d) => d.date === date);
  return (
    <form
      className="form slot-picker"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!start) return;
        setBusy(true);
        await onPick(start, timeZone);
        setBusy(false);
        setStart('');
      }}
    >
      <TimeZoneCombobox label="Your time zone" value={timeZone} onChange={setTimeZone} />
      {slots.isPending && <p role="status">Finding free times…</p>}
      {slots.error && <Alert>{slots.error.message}</Alert>}
      {slots.data &&
        days.length === 0 &&
        (whenNone?.(timeZone) ?? (
          <p role="status">
            No panel is free in the next four weeks at the moment. Please look again later; assessors add hours regularly.
          </p>
        ))}
      {days.length > 0 && date && (
        <>
          <p id="calendar-help">Days with free times are underlined. Choose a day, then a start time.</p>
          <MonthCalendar
            label={`Days with free times (${timeZone})`}
            counts={counts}
            selected={date}
            onSelect={(d) => {
              setDate(d);
              setStart('');
            }}
          />
          {day && (
            <fieldset>
              <legend>
                Start time on {longDate(day.date)} ({timeZone}), {slots.data?.durationMinutes} minutes
              </legend>
              <div className="slot-grid">
                {day.slots.map((s) => (
                  <div className="checkbox" key={s.start}>
                    <input
                      type="radio"
                      name="slot"
                      id={`slot-${s.start}`}
                      value={s.start}
                      checked={start === s.start}
                      onChange={() => setStart(s.start)}
                    />
                    <label htmlFor={`slot-${s.start}`}>{s.localTime}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          )}
          <button type="submit" disabled={!start || busy}>
            {action}
          </button>
        </>
      )}
    </form>
  );
}
