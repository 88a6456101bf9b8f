import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { TimeZoneSelect } from '../../../components/time-zone-select';
import { type Availability, useAvailability, useCalendar, useSaveAvailability } from '../api/panels';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Window = { start: string; end: string };

export function AvailabilityPage() {
  const availability = useAvailability();
  const calendar = useCalendar(Boolean(availability.data));
  return (
    <Page title="My panel availability">
      <p>
        <Link to="/reviewer/panels">My panels</Link>
      </p>
      {availability.isPending && <p role="status">Loading…</p>}
      {availability.error && <Alert>{availability.error.message}</Alert>}
      {availability.data === null && <p>You are not an assessor yet. The certification body adds assessors and panel chairs.</p>}
      {availability.data && (
        <>
          <p>
            {availability.data.isChair ? 'You chair panels. ' : ''}
            {availability.data.active
              ? 'Candidates can book you within the hours below.'
              : 'Your assessor place is paused by the certification body.'}
          </p>
          <AvailabilityForm initial={availability.data} />
          <h2>Next four weeks</h2>
          {calendar.data && <CalendarTable days={calendar.data.days} timeZone={calendar.data.timeZone} />}
        </>
      )}
    </Page>
  );
}

function AvailabilityForm({ initial }: { initial: Availability }) {
  const saving = useSaveAvailability();
  const [timeZone, setTimeZone] = useState(initial.timeZone);
  const [weeklyCap, setWeeklyCap] = useState(initial.weeklyCap);
  const [weekly, setWeekly] = useState<Record<number, Window[]>>(() => {
    const byDay: Record<number, Window[]> = {};
    for (const w of initial.weekly) byDay[w.weekday] = [...(byDay[w.weekday] ?? []), { start: w.start, end: w.end }];
    return byDay;
  });
  const [overrides, setOverrides] = useState(initial.overrides.map((o) => ({ date: o.date, windows: o.windows.map((w) => ({ ...w })) })));
  const [status, setStatus] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  useEffect(() => setStatus(null), [timeZone]);

  const setDay = (day: number, windows: Window[]) => setWeekly({ ...weekly, [day]: windows });
  const save = () => {
    setStatus(null);
    saving.mutate(
      {
        timeZone,
        weeklyCap,
        weekly: Object.entries(weekly).flatMap(([day, ws]) =>
          ws.map((w) => ({ weekday: Number(day), start: w.start, end: w.end === '00:00' ? '24:00' : w.end })),
        ),
        overrides: overrides
          .filter((o) => o.date)
          .map((o) => ({ date: o.date, windows: o.windows.map((w) => ({ start: w.start, end: w.end === '00:00' ? '24:00' : w.end })) })),
      },
      {
        onSuccess: () => setStatus({ kind: 'success', text: 'Availability saved.' }),
        onError: (e) => setStatus({ kind: 'error', text: e.message }),
      },
    );
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2>Weekly hours</h2>
      <div className="filters">
        <TimeZoneSelect label="Time zone of these hours" value={timeZone} onChange={setTimeZone} />
        <div className="field">
          <label htmlFor="av-cap">Most panels per week</label>
          <input id="av-cap" type="number" min={1} max={20} value={weeklyCap} onChange={(e) => setWeeklyCap(Number(e.target.value))} />
        </div>
      </div>
      {WEEKDAYS.map((name, i) => {
        const day = i + 1;
        const windows = weekly[day] ?? [];
        return (
          <fieldset key={day} className="criterion">
            <legend>{name}</legend>
            {windows.length === 0 && <p className="hint">Not available.</p>}
            {windows.map((w, j) => (
              <WindowRow
                key={j}
                idPrefix={`w${day}-${j}`}
                label={`${name}, hours ${j + 1}`}
                window={w}
                onChange={(nw) =>
                  setDay(
                    day,
                    windows.map((x, k) => (k === j ? nw : x)),
                  )
                }
                onRemove={() =>
                  setDay(
                    day,
                    windows.filter((_, k) => k !== j),
                  )
                }
              />
            ))}
            <div>
              <button
                type="button"
                className="button-secondary"
                onClick={() => setDay(day, [...windows, { start: '09:00', end: '17:00' }])}
              >
                Add hours on {name}
              </button>
            </div>
          </fieldset>
        );
      })}
      <h2>Date overrides</h2>
      <p className="hint">An override replaces the weekly hours on that date: give different hours, or none for a day off.</p>
      {overrides.map((o, i) => (
        <fieldset key={i} className="criterion">
          <legend>Override {i + 1}</legend>
          <div className="field">
            <label htmlFor={`ov-date-${i}`}>Date</label>
            <input
              id={`ov-date-${i}`}
              type="date"
              value={o.date}
              onChange={(e) => setOverrides(overrides.map((x, k) => (k === i ? { ...x, date: e.target.value } : x)))}
            />
          </div>
          {o.windows.length === 0 && <p className="hint">Day off.</p>}
          {o.windows.map((w, j) => (
            <WindowRow
              key={j}
              idPrefix={`ov${i}-${j}`}
              label={`Override ${i + 1}, hours ${j + 1}`}
              window={w}
              onChange={(nw) =>
                setOverrides(overrides.map((x, k) => (k === i ? { ...x, windows: x.windows.map((y, m) => (m === j ? nw : y)) } : x)))
              }
              onRemove={() => setOverrides(overrides.map((x, k) => (k === i ? { ...x, windows: x.windows.filter((_, m) => m !== j) } : x)))}
            />
          ))}
          <div className="actions">
            <button
              type="button"
              className="button-secondary"
              onClick={() =>
                setOverrides(overrides.map((x, k) => (k === i ? { ...x, windows: [...x.windows, { start: '09:00', end: '17:00' }] } : x)))
              }
            >
              Add hours to override {i + 1}
            </button>
            <button type="button" className="button-secondary" onClick={() => setOverrides(overrides.filter((_, k) => k !== i))}>
              Remove override {i + 1}
            </button>
          </div>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => setOverrides([...overrides, { date: '', windows: [] }])}>
          Add a date override
        </button>
        <button type="submit">Save availability</button>
      </div>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
    </form>
  );
}

function WindowRow({
  idPrefix,
  label,
  window: w,
  onChange,
  onRemove,
}: {
  idPrefix: string;
  label: string;
  window: Window;
  onChange: (w: Window) => void;
  onRemove: () => void;
}) {
  return (
    <div className="filters" role="group" aria-label={label}>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>From</label>
        <input id={`${idPrefix}-from`} type="time" step={900} value={w.start} onChange={(e) => onChange({ ...w, start: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>Until</label>
        <input
          id={`${idPrefix}-to`}
          type="time"
          step={900}
          value={w.end === '24:00' ? '00:00' : w.end}
          onChange={(e) => onChange({ ...w, end: e.target.value })}
          aria-describedby={`${idPrefix}-to-hint`}
        />
        <span className="hint" id={`${idPrefix}-to-hint`}>
          00:00 means midnight at the end of the day
        </span>
      </div>
      <div className="field">
        <button type="button" className="button-secondary" onClick={onRemove}>
          Remove<span className="visually-hidden"> {label}</span>
        </button>
      </div>
    </div>
  );
}

type Day = {
  date: string;
  weekday: number;
  windows: Window[];
  overridden: boolean;
  bookings: Array<{ bookingId: string; localStart: string; localEnd: string }>;
};

/** A month view as a table: weeks in rows, weekdays in columns, hours and panels in each cell. */
function CalendarTable({ days, timeZone }: { days: Day[]; timeZone: string }) {
  const lead = (days[0]?.weekday ?? 1) - 1;
  const cells: Array<Day | null> = [...Array.from({ length: lead }, () => null), ...days];
  const weeks: Array<Array<Day | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <div className="calendar-scroll">
      <table className="calendar">
        <caption>Your hours and panels, in {timeZone}</caption>
        <thead>
          <tr>
            {WEEKDAYS.map((d) => (
              <th scope="col" key={d}>
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, i) => (
            <tr key={i}>
              {Array.from({ length: 7 }, (_, j) => week[j] ?? null).map((day, j) => (
                <td key={j}>
                  {day && (
                    <>
                      <strong>
                        {new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(
                          new Date(`${day.date}T12:00:00Z`),
                        )}
                      </strong>
                      <div>
                        {day.windows.length
                          ? day.windows.map((w) => `${w.start}–${w.end}`).join(', ')
                          : day.overridden
                            ? 'Day off'
                            : 'Not available'}
                      </div>
                      {day.bookings.map((b) => (
                        <div key={b.bookingId}>
                          <Link to={`/reviewer/panels/${b.bookingId}`}>
                            Panel {b.localStart}–{b.localEnd}
                          </Link>
                        </div>
                      ))}
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
