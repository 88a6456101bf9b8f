import { useEffect, useRef, useState } from 'react';
import { longDate, monthGrid, monthOf, monthTitle, moveDate, addMonths } from '../lib/month-grid';

const WEEKDAYS: Array<[string, string]> = [
  ['Mon', 'Monday'],
  ['Tue', 'Tuesday'],
  ['Wed', 'Wednesday'],
  ['Thu', 'Thursday'],
  ['Fri', 'Friday'],
  ['Sat', 'Saturday'],
  ['Sun', 'Sunday'],
];

/**
 * A month of days as a grid of buttons (the WAI-ARIA date grid pattern): one day is in the tab order,
 * arrows move by day and week, Home/End to the week's ends, Page Up/Down by month. Days listed in
 * `counts` are marked and can be chosen; the others say so and do nothing.
 */
export function MonthCalendar({
  label,
  counts,
  selected,
  onSelect,
}: {
  label: string;
  /** Free times per date (YYYY-MM-DD). */
  counts: Map<string, number>;
  selected: string;
  onSelect: (date: string) => void;
}) {
  const [focusDate, setFocusDate] = useState(selected);
  const [moved, setMoved] = useState(false);
  const grid = useRef<HTMLTableElement>(null);
  useEffect(() => setFocusDate(selected), [selected]);
  // Focus follows the keyboard only: a re-render for other reasons leaves focus where it is.
  useEffect(() => {
    if (moved) grid.current?.querySelector<HTMLButtonElement>(`[data-date="${focusDate}"]`)?.focus();
    setMoved(false);
  }, [focusDate, moved]);
  const month = monthOf(focusDate);
  const go = (date: string) => {
    setFocusDate(date);
    setMoved(true);
  };
  const captionId = `calendar-${month}`;

  return (
    <div className="month-calendar" role="group" aria-label={label}>
      <div className="month-calendar-head">
        <button type="button" className="button-secondary" onClick={() => setFocusDate(addMonths(focusDate, -1))}>
          Previous month
        </button>
        <h3 id={captionId} aria-live="polite">
          {monthTitle(month)}
        </h3>
        <button type="button" className="button-secondary" onClick={() => setFocusDate(addMonths(focusDate, 1))}>
          Next month
        </button>
      </div>
      <table ref={grid} aria-labelledby={captionId}>
        <thead>
          <tr>
            {WEEKDAYS.map(([short, long]) => (
              <th key={short} scope="col" abbr={long}>
                {short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthGrid(month).map((week) => (
            <tr key={week.find(Boolean)}>
              {week.map((date, i) =>
                date ? (
                  <td key={date}>
                    <DayButton
                      date={date}
                      count={counts.get(date) ?? 0}
                      selected={date === selected}
                      tabbable={date === focusDate}
                      onSelect={onSelect}
                      onMove={go}
                    />
                  </td>
                ) : (
                  <td key={`empty-${i}`} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DayButton(props: {
  date: string;
  count: number;
  selected: boolean;
  tabbable: boolean;
  onSelect: (date: string) => void;
  onMove: (date: string) => void;
}) {
  const { date, count, selected } = props;
  const free = count > 0;
  return (
    <button
      type="button"
      data-date={date}
      className={`day${free ? ' day-free' : ''}${selected ? ' day-selected' : ''}`}
      tabIndex={props.tabbable ? 0 : -1}
      aria-pressed={free ? selected : undefined}
      aria-disabled={free ? undefined : true}
      aria-label={`${longDate(date)}: ${free ? `${count} free time${count === 1 ? '' : 's'}` : 'no free times'}`}
      onClick={() => free && props.onSelect(date)}
      onKeyDown={(e) => {
        const next = moveDate(date, e.key, e.shiftKey);
        if (!next) return;
        e.preventDefault();
        props.onMove(next);
      }}
    >
      {Number(date.slice(8))}
    </button>
  );
}
