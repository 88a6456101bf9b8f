import { useId, useMemo } from 'react';
import { timeZoneNames } from '../lib/time-zones';

/** A labelled choice of IANA time zone (the browser's list, with UTC and the browser's own zone). */
export function TimeZoneSelect({ label, value, onChange }: { label: string; value: string; onChange: (zone: string) => void }) {
  const id = useId();
  const zones = useMemo(timeZoneNames, []);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </div>
  );
}
