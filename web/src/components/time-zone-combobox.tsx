import { useEffect, useId, useMemo, useState } from 'react';
import { filterTimeZones, timeZoneNames } from '../lib/time-zones';

/** Options shown at once; typing narrows the rest down. */
const SHOWN = 50;

/**
 * A searchable IANA time zone (the WAI-ARIA combobox pattern with a list popup): typing filters the zones,
 * Down/Up move through the matches, Enter picks one, Escape closes the list and restores the current zone.
 */
export function TimeZoneCombobox({ label, value, onChange }: { label: string; value: string; onChange: (zone: string) => void }) {
  const id = useId();
  const zones = useMemo(timeZoneNames, []);
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const matches = useMemo(() => filterTimeZones(zones, text === value ? '' : text), [zones, text, value]);
  const shown = matches.slice(0, SHOWN);
  const optionId = (i: number) => `${id}-option-${i}`;
  // The active option stays in view as the arrows move through a list longer than its box.
  useEffect(() => {
    if (open) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const pick = (zone: string) => {
    setText(zone);
    setOpen(false);
    if (zone !== value) onChange(zone);
  };
  const close = () => {
    setOpen(false);
    setText(value);
  };

  return (
    <div className="field combobox">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        Type a city or region, then choose from the list.
      </p>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-describedby={`${id}-hint`}
        aria-activedescendant={open && shown.length ? optionId(active) : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={(e) => e.target.select()}
        onClick={() => setOpen(true)}
        onBlur={() => {
          if (zones.includes(text)) pick(text);
          else close();
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!open) return setOpen(true);
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setActive((a) => (shown.length ? (a + step + shown.length) % shown.length : 0));
          } else if (e.key === 'Enter' && open) {
            e.preventDefault();
            if (shown[active]) pick(shown[active]);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            close();
          }
        }}
      />
      {open && (
        <ul id={`${id}-list`} role="listbox" aria-label={label} className="combobox-list">
          {shown.map((zone, i) => (
            <li
              key={zone}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // mousedown, not click: the input's blur would close the list first
              onMouseDown={(e) => {
                e.preventDefault();
                pick(zone);
              }}
            >
              {zone}
            </li>
          ))}
          {shown.length === 0 && <li className="combobox-empty">No time zone matches “{text}”</li>}
        </ul>
      )}
      <p className="visually-hidden" role="status">
        {open
          ? `${matches.length} time zone${matches.length === 1 ? '' : 's'} match${matches.length > SHOWN ? `, first ${SHOWN} shown` : ''}`
          : ''}
      </p>
    </div>
  );
}
